"""A 200,000-point pattern solved end to end on one core (issue 16: ≤ 60 s with 16 samples, progress shown).

    python bench/long_pattern.py [--samples 16] [--points 200000]

Simulates the demo's NaCl Cu Kα measurement (13_solve's `demo_measurement` settings) over 10–120° with as many points as
asked, writes it as .xye, and times `deep_xtal solve` on it in this process with one torch thread: everything, stage
by stage, as the progress lines show it. The reference, in the same run: the closure fit (`pick_best_sample`, the stage
that grew with the points) on the unbinned pattern against the binned one, for the same two samples; prints the ratio.
"""
import argparse, os, platform, sys, tempfile, time
from pathlib import Path

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--samples', type=int, default=16)
    ap.add_argument('--points', type=int, default=200000)
    a = ap.parse_args(argv)
    import torch, numpy as np
    torch.set_num_threads(1)
    from deep_xtal.structures import example_structure
    from deep_xtal.solve import (simulated_measurement, write_xy, solve, read_pattern, prepare_pattern, load_solver, Solution,
                                 predict_density, parse_formula, pick_best_sample, bin_pattern)
    from deep_xtal.structures import as_lattice
    step = 110./a.points
    p = simulated_measurement(example_structure('NaCl'), 'CuKa', (10., 120. - step/2, step), counts=12000., background=(0.08, -0.04),
                              W=0.006, U=0.004, size_nm=150., zero_shift=0.02, seed=0)
    d = Path(tempfile.mkdtemp())
    write_xy(d/'NaCl_long.xye', p, 'NaCl, Cu Ka, simulated')
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, 1 torch thread, torch {torch.__version__}")
    print(f"pattern: {len(p)} points, step {step:.5f}°")
    t0 = time.perf_counter()
    stamp = lambda msg: print(f"[{time.perf_counter() - t0:6.1f} s] {msg}", flush=True)
    sol = solve(d/'NaCl_long.xye', 'NaCl', 'CuKa', cell=[5.64]*3 + [90]*3, n_samples=a.samples, progress=stamp)
    total = time.perf_counter() - t0
    st = sol.refinement
    print(f"solve, {a.samples} samples, with structure completion: {total:.1f} s; stages {sol.timings}")
    print(f"answer: {st.structure().composition.formula if st else None}, Rwp {st.fom['rwp'] if st else float('nan'):.4f}; verdict: {sol.verdict['summary']}")
    # reference: the closure fit on all the points against the binned ones (two samples)
    solver = load_solver()
    lat = as_lattice([5.64]*3 + [90]*3)
    f = parse_formula('NaCl')
    full = read_pattern(d/'NaCl_long.xye')
    times = {}
    for name, pat in (('binned', bin_pattern(full)), ('all points', full)):
        pp = prepare_pattern(pat, 'CuKa', solver.q_grid)
        s = predict_density(solver, pp.network_input, f, 2, 50, 0)
        sol2 = Solution(s, s.mean(0), s.std(0), None, 0, 'mean', pat, pp, f, solver, lat)
        t = time.perf_counter(); pick_best_sample(sol2); times[name] = time.perf_counter() - t
        print(f"closure fit, 2 samples, {name} ({len(pat)} points): {times[name]:.1f} s, Rwp {sol2.fit['rwp']:.4f}", flush=True)
    print(f"ratio (all points / binned): {times['all points']/times['binned']:.1f}×")

if __name__ == '__main__': sys.exit(main())
