"""Speed of the batched refinement (11_refine) against rietx's Rietveld cycle on the same data.

    python bench/refine_speed.py [--threads 1] [--rietx-python /path/to/python-with-rietx]

Three patterns: the NIST LaB6 lab measurement (8,378 points, 7 atoms per cell) and the PbSO4 one (6,001 points, 24 atoms;
Pnma), both from ../shared/data/exp_pxrd with their published structures, and a simulated 20-atom crystal (the first
20-atom val crystal of mp_cubic_trigonal, 6,000 points, Cu Kα; the cubic val crystals have at most 16). For each:

- **candidate steps per second**: `screen`'s unit of work (its float32 kernel on orbits reduced by centring and inversion, and its anti-bump restraint;
  the float64 `batch_intensities` of every atom beside it, C = 256) — the value and the gradient of Rwp (against the measured profile,
  fixed reflection list, cell and profile from a Pawley fit) for every model of a batch — timed over batches of C models
  (the published structure with its free coordinates jittered), C = 64, 256, 1024;
- **one full Rietveld cycle** of `rietveld`: one residual (the whole profile, every parameter) and its Jacobian
  (Kaufman's variable projection), at the converged state;
- rietx's one cycle (residual + analytic Jacobian) on the same data, from `bench/rietx_reference.py` run with the given
  Python (rietx lives in its own environment), when `--rietx-python` is given.
The last line is `candidate steps/s: …` for the simulated 20-atom cell.
"""
import argparse, json, os, subprocess, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import shared_data, conventional_cells


def patterns():
    "(name, PowderData, Structure, space-group number) of the three test patterns."
    from deep_xtal.symmetry import standard_setting
    from deep_xtal.solve import read_pattern, simulated_measurement
    from deep_xtal.structures import read_structures, conventional_standard_structure
    from deep_xtal.extract import powder_data
    d = shared_data()
    out = []
    for stem, cif in (('LaB6_NIST660_lab', 'LaB6_NIST660_lab.LaB6.cif'), ('PbSO4_lab_CuKa', 'PbSO4_lab_CuKa.PbSO4.cif')):
        p = read_pattern(d/'exp_pxrd'/f'{stem}.pattern.csv')
        s = conventional_standard_structure(read_structures(d/'exp_pxrd'/cif)[0][1])
        out.append((stem, powder_data(p.x, p.y, p.esd, 'CuKa', stem), s))
    name, s = conventional_cells(d/'mp_cubic_trigonal'/'paper_train_val_structures.jsonl.gz', 1, 20, 20,
                                 where=lambda r: r['paper_split'] == 'val')[0]
    m = simulated_measurement(s, 'CuKa', two_theta=(15., 135., 0.02), b_iso=0.5)
    out.append((f'{name} {s.composition.reduced_formula} (simulated, 20 atoms)', powder_data(m.x, m.y, m.esd, 'CuKa', name), s))
    res = []
    for name, data, s in out:                      # the group's standard setting (PbSO4: Pnma's a = 8.48 Å, not pymatgen's a < b < c)
        std, g = standard_setting(s)
        res.append((name, data, std, g.number))
    return res


def steps_per_second(ps, model, C:int, fast:bool=True, repeats:int=3)->float:
    """Candidate steps (Rwp value + gradient of every model) per second for a batch of C jittered copies of `model`:
    with `screen`'s float32 reduced-orbit kernel (`powder_intensities`, fast=True) and its anti-bump restraint (`bump_penalty`
    on the pairs `near_pairs` lists every BUMP_EVERY steps, that listing's time shared among them), or the float64
    `batch_intensities` alone."""
    import torch, numpy as np
    from deep_xtal.refine import model_batch, batch_intensities, powder_intensities, atom_table, form_factor_table_at, Site, Model
    from deep_xtal.refine import bump_penalty, near_pairs, _real_atoms, BUMP_DISTANCE, BUMP_EVERY
    g = np.random.default_rng(0)
    models = [Model(model.group, model.cell, [Site(s.element, s.wyckoff, s.u + 0.01*g.standard_normal(3)) for s in model.sites], {})
              for _ in range(C)]
    mb = model_batch(models)
    fz = form_factor_table_at(mb.elements, ps.s2)
    at = atom_table(mb)
    u, b = mb.u.clone().requires_grad_(), mb.b_iso.clone().requires_grad_()
    atoms, reach = _real_atoms(mb), BUMP_DISTANCE + 2*BUMP_EVERY*0.004*max(model.cell[:3])   # as `screen` does (lr_u = 0.004)
    best = float('inf')
    for _ in range(repeats):
        t = time.perf_counter()
        if fast: pairs = near_pairs(mb, u, atoms, reach)
        t_pairs = time.perf_counter() - t
        I = powder_intensities(at, ps.hkl, ps.mult, ps.s2, fz, u, b) if fast else batch_intensities(mb, ps.hkl, ps.mult, ps.s2, fz, u, b)[0]
        r = ps.rwp(I)
        o = r*r + (bump_penalty(mb, u, atoms, pairs=pairs) if fast else 0)
        o.sum().backward()
        best = min(best, time.perf_counter() - t - t_pairs*(1 - 1/BUMP_EVERY))
    return C/best


def rietveld_cycle(data, ex, model, repeats:int=3)->float:
    "Seconds for one residual and one Jacobian of the full Rietveld problem at its converged state."
    import numpy as np
    from deep_xtal import refine as R
    ref = R.rietveld(data, model, ex.profile, ex.n_background)
    t_cycle = []
    orig = R.fit_profile
    def timed(*a, **k):                                                 # time what least_squares calls: fun and jac
        from scipy import optimize
        real = optimize.least_squares
        calls = dict(fun=[], jac=[])
        def ls(fun, x0, jac=None, **kw):
            for _ in range(repeats):
                t = time.perf_counter(); fun(x0); t1 = time.perf_counter(); jac(x0); t2 = time.perf_counter()
                calls['fun'].append(t1 - t); calls['jac'].append(t2 - t1)
            return real(fun, x0, jac=jac, **{**kw, 'max_nfev': 1})
        optimize.least_squares = ls
        try: return orig(*a, **k)
        finally:
            optimize.least_squares = real
            t_cycle.append(min(calls['fun']) + min(calls['jac']))
    R.fit_profile = timed
    try: R.rietveld(data, ref.model, ref.profile, ex.n_background, max_nfev=1)
    finally: R.fit_profile = orig
    return t_cycle[0], ref


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--rietx-python', help='a Python with rietx installed, to time its Rietveld cycle on the same data')
    a = ap.parse_args(argv)
    import torch; torch.set_num_threads(a.threads)
    from deep_xtal.extract import pawley
    from deep_xtal.refine import pattern_system, model_from_structure
    rietx = {}
    if a.rietx_python:
        r = subprocess.run([a.rietx_python, str(Path(__file__).parent/'rietx_reference.py'), '--threads', str(a.threads)], capture_output=True, text=True)
        if r.returncode == 0:
            res = json.loads(r.stdout)
            for k, v in res['samples'].items(): rietx[k] = v.get('rietveld', {}).get('one_cycle', {})
        else: print(f"rietx reference failed: {r.stderr[-500:]}", file=sys.stderr)
    print(f"threads: {a.threads}, torch {torch.__version__}")
    print("| pattern | points | atoms | reflection classes | steps/s, C=64 | C=256 | C=1024 | float64 kernel, C=256 | our Rietveld cycle (ms) | rietx cycle (ms) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    last = None
    for name, data, s, sg in patterns():
        ex = pawley(data, s.lattice)
        model = model_from_structure(s, sg)
        ps = pattern_system(data, ex, sg)
        rates = [steps_per_second(ps, model, C) for C in (64, 256, 1024)]
        slow = steps_per_second(ps, model, 256, fast=False)
        cyc, _ = rietveld_cycle(data, ex, model)
        key = 'LaB6' if name.startswith('LaB6') else 'PbSO4' if name.startswith('PbSO4') else None
        rx = rietx.get(key, {}) if key else {}
        rx_ms = rx.get('cycle_s')
        print(f"| {name} | {len(data)} | {len(s)} | {len(ps.hkl)} | {rates[0]:,.0f} | {rates[1]:,.0f} | {rates[2]:,.0f} | {slow:,.0f} | {1000*cyc:.0f} | "
              f"{'–' if rx_ms is None else f'{1000*rx_ms:.0f}'} |", flush=True)
        last = rates
    print(f"candidate steps/s: {max(last):,.0f} (20-atom cell, best batch size)")


if __name__ == '__main__': sys.exit(main())
