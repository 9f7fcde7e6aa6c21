"""Time the main job: `deep_xtal demo` (bundled NaCl example) and, when ../shared is present, the LaB6 measurement,
each with structure completion and Rietveld refinement (the default) and with `--no-refine`.

    python bench/solve.py [--samples 16] [--threads 1]

Prints the wall time of each stage (read/prepare, inference, closure fits, atoms, structure completion, comparison) and
the total, as the command line would run it (a fresh process: imports and writing the outputs included in `total`).
"""
import argparse, json, subprocess, sys, tempfile, time
from pathlib import Path

def run(cmd:list)->tuple:
    t = time.time()
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode: sys.exit(f"{' '.join(cmd)} failed:\n{r.stderr}")
    return time.time() - t, r.stdout

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--samples', type=int, default=16)
    ap.add_argument('--threads', type=int, default=None, help='OMP/torch threads (default: all cores)')
    a = ap.parse_args(argv)
    import os
    if a.threads: os.environ['OMP_NUM_THREADS'] = str(a.threads)
    shared = Path(__file__).resolve().parents[2]/'shared'/'data'/'exp_pxrd'
    jobs = [('demo (NaCl, bundled)', ['deep_xtal', 'demo', '--samples', str(a.samples)])]
    if shared.exists():
        jobs.append(('LaB6 NIST 660 (measured)', ['deep_xtal', 'solve', str(shared/'LaB6_NIST660_lab.pattern.csv'), '--formula', 'LaB6',
                                                  '--wavelength', 'CuKa', '--cell', '4.1568', '4.1568', '4.1568', '90', '90', '90',
                                                  '--samples', str(a.samples), '--reference', str(shared/'LaB6_NIST660_lab.LaB6.cif')]))
    if shared.exists():   # the same LaB6 solve without the comparison with the reference CIF (the timing target)
        jobs.append(('LaB6 NIST 660 (measured), no --reference', jobs[-1][1][:jobs[-1][1].index('--reference')]))
    print("| job | refinement | total (s) | read | inference | closure fits | atoms | completion + refinement | comparison | samples |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, cmd in jobs:
        for refine in ((True, False) if '--reference' in cmd else (True,)):   # the demo always refines
            with tempfile.TemporaryDirectory() as d:
                total, _ = run(cmd + ['--out', d] + ([] if refine else ['--no-refine']))
                t = json.loads((Path(d)/'report.json').read_text())['timings_s']
            print(f"| {name} | {'yes' if refine else 'no'} | {total:.1f} | {t.get('read', 0):.1f} | {t.get('inference', 0):.1f} | "
                  f"{t.get('pattern', 0):.1f} | {t.get('atoms', 0):.1f} | {t.get('completion', 0):.1f} | {t.get('comparison', 0):.1f} | {a.samples} |",
                  flush=True)

if __name__ == '__main__': sys.exit(main())
