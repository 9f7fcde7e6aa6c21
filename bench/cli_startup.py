"""How fast the `deep_xtal` command answers `--help` and usage errors (issue 16: < 1 s, median of 5).

Times, in fresh processes: `deep_xtal --help`, `deep_xtal solve --help`, an argparse error (`solve` without --formula),
and as the reference in the same run the cost the command paid before its imports were made lazy: importing the
science stack (`import deep_xtal.solve, deep_xtal.viz`) before parsing. Prints each median and the ratio.

    python bench/cli_startup.py [--repeat 5]
"""
import argparse, os, platform, shutil, statistics, subprocess, sys, time

def timed(cmd:list, repeat:int)->float:
    "Median wall time of `cmd` over `repeat` fresh processes, seconds."
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), max(ts)

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--repeat', type=int, default=5)
    a = ap.parse_args(argv)
    exe = shutil.which('deep_xtal') or 'deep_xtal'
    cases = {'deep_xtal --help': [exe, '--help'],
             'deep_xtal solve --help': [exe, 'solve', '--help'],
             'deep_xtal solve x.xy (usage error)': [exe, 'solve', 'x.xy'],
             'reference: import deep_xtal.solve, deep_xtal.viz': [sys.executable, '-c', 'import deep_xtal.solve, deep_xtal.viz']}
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    res = {k: timed(v, a.repeat) for k, v in cases.items()}
    ref = res['reference: import deep_xtal.solve, deep_xtal.viz'][0]
    for k, (med, worst) in res.items():
        tail = '' if k.startswith('reference') else f"  ({ref/med:.0f}× faster than the eager imports)"
        print(f"{k:<52} median {med:6.3f} s  worst {worst:6.3f} s{tail}")

if __name__ == '__main__': main()
