"""Indexing on simulated laboratory patterns (issue 14's acceptance run).

    python bench/indexing.py --n 100 --out bench/results/indexing.jsonl       # run (resumable)
    python bench/indexing.py --summary bench/results/indexing.jsonl
    OMP_NUM_THREADS=1 python bench/indexing.py --n 40 --retime bench/results/indexing.jsonl --k 8   # slowest, alone

For the first N cubic and N trigonal validation crystals (`mp_cubic_trigonal`, the paper's val lists) and N/2
tetragonal, N/2 hexagonal and N/2 orthorhombic crystals of `mp20_test_subset`, it simulates a Cu Kα lab measurement (13_solve's
`simulated_measurement`: Kα doublet, Caglioti + Scherrer widths, sloping background, Poisson counts, B = 0.5 Å², a zero
shift drawn in ±0.05°, 10–120°), adds one impurity line (a Gaussian of 5–15 % of the strongest peak at a random angle)
to every second pattern, and runs `index_report` with the reduced formula (indexing, Z, and a Pawley fit of the top
candidate that ranks the space groups). A candidate is correct when its conventional cell matches the truth's (12_index
compares a b c within 0.3 % and α β γ within 0.1°; orthorhombic cells also with their axes in any order). Records the
rank of the first correct candidate, its M20 and zero shift, the rank of the true Z and of the true space group (spglib,
symprec 0.01) for the top candidate, and the time of the indexing alone and with the Pawley check. Runs `--workers` processes of one thread each.
"""
import argparse, json, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import shared_data, conventional_cells, resumable_run, record

def jobs(n:int, max_atoms:int)->list:
    out = []
    vp = shared_data()/'mp_cubic_trigonal'/'paper_train_val_structures.jsonl.gz'
    for system in ('Cubic', 'Trigonal'):
        out += [dict(name=nm, system=system.lower(), structure=s) for nm, s in
                conventional_cells(vp, n, max_sites=max_atoms, where=lambda r, S=system: r['paper_split'] == 'val' and r['paper_system'] == S)]
    tp = shared_data()/'mp20_test_subset'/'mp20_test_subset.jsonl.gz'
    for system in ('tetragonal', 'hexagonal', 'orthorhombic'):
        out += [dict(name=nm, system=system, structure=s) for nm, s in
                conventional_cells(tp, max(1, n//2), max_sites=max_atoms, where=lambda r, S=system: r['crystal_system'] == S)]
    return out

def simulate(structure, seed:int)->dict:
    "The pattern of job `seed`: {'x', 'y', 'sigma', 'info': {'zero_true', 'impurity' (odd seeds)}}."
    import numpy as np
    from deep_xtal.solve import simulated_measurement
    rng, info = np.random.default_rng(seed), {}
    zero = float(rng.uniform(-0.05, 0.05))
    m = simulated_measurement(structure, 'CuKa', (10., 120., 0.02), zero_shift=zero, b_iso=0.5, seed=seed)
    y = m.y.copy()
    if seed % 2:
        pos, h = float(rng.uniform(15, 100)), float(rng.uniform(0.05, 0.15))*float(y.max() - np.median(y))
        y = y + h*np.exp(-0.5*((m.x - pos)/0.04)**2)
        info['impurity'] = round(pos, 3)
    info['zero_true'] = zero
    return dict(x=m.x, y=y, sigma=np.sqrt(np.maximum(y, 1)), info=info)

def one(job:dict)->dict:
    import time, numpy as np, torch
    torch.set_num_threads(1)
    from pymatgen.symmetry.analyzer import SpacegroupAnalyzer
    from deep_xtal.extract import powder_data
    from deep_xtal.index import index_report, same_cell
    s, i = job['structure'], job['seed']
    formula, z_true = s.composition.get_reduced_formula_and_factor()
    out = dict(name=job['name'], system=job['system'], formula=formula, z_true=int(z_true), cell=[round(v, 5) for v in s.lattice.parameters],
               space_group=SpacegroupAnalyzer(s, symprec=0.01).get_space_group_number())
    def body(out):
        p = simulate(s, i)
        out.update(p['info'])
        rep = index_report(powder_data(p['x'], p['y'], p['sigma'], 'CuKa', job['name']), formula, top=5, check=1)
        cands = rep['candidates']
        truth = s.lattice.parameters
        ok = [same_cell(c['cell'], truth) for c in cands]
        anyorder = [same_cell(sorted(c['cell'][:3]) + c['cell'][3:], sorted(truth[:3]) + list(truth[3:])) for c in cands]
        first = lambda v: v.index(True) + 1 if any(v) else None
        out.update(rank=first(ok), rank_any_axes=first(anyorder), n_candidates=len(cands), top=cands[0] if cands else None,
                   index_s=rep['index_s'], warnings=rep['warnings'])
        if cands:
            out['z_rank'] = first([z['z'] == z_true for z in cands[0].get('z', [])])
            out['sg_rank'] = first([g['number'] == out['space_group'] for g in cands[0].get('space_groups', [])])
    return record(out, body)

def summary(paths:list):
    import numpy as np
    rows = [json.loads(l) for p in paths for l in Path(p).read_text().splitlines() if l.strip()]
    print("| system | patterns | top candidate correct | correct in top 3 | with impurity line: top correct | true Z first | true group in top 3 "
          "| indexing median / worst (s) | with Pawley check, median (s) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for s in ('cubic', 'trigonal', 'tetragonal', 'hexagonal', 'orthorhombic', 'all'):
        rs = [r for r in rows if r['system'] == s or s == 'all']
        if not rs: continue
        imp = [r for r in rs if 'impurity' in r]
        t = [r.get('index_s', r['time_s']) for r in rs]
        print(f"| {s} | {len(rs)} | {np.mean([r.get('rank') == 1 for r in rs]):.2f} | {np.mean([(r.get('rank') or 99) <= 3 for r in rs]):.2f} | "
              f"{np.mean([r.get('rank') == 1 for r in imp]) if imp else float('nan'):.2f} ({len(imp)}) | "
              f"{np.mean([r.get('z_rank') == 1 for r in rs]):.2f} | {np.mean([(r.get('sg_rank') or 99) <= 3 for r in rs]):.2f} | "
              f"{np.median(t):.1f} / {max(t):.1f} | {np.median([r['time_s'] for r in rs]):.1f} |")
    right = [r for r in rows if r.get('rank') == 1]
    if right: print(f"when the top cell is right ({len(right)}): true Z first {np.mean([r.get('z_rank') == 1 for r in right]):.2f}, "
                    f"true group in the top 3 {np.mean([(r.get('sg_rank') or 99) <= 3 for r in right]):.2f}, "
                    f"first {np.mean([r.get('sg_rank') == 1 for r in right]):.2f}")
    print(f"errors: {sum('error' in r for r in rows)}")

def retime(path, k:int=8, n:int=100, max_atoms:int=60):
    "Index again, alone and one thread, the k patterns of a results file that took longest (its times may be contended)."
    import time, torch
    torch.set_num_threads(1)
    from deep_xtal.extract import powder_data
    from deep_xtal.index import index_pattern, same_cell
    rows = sorted((json.loads(l) for l in Path(path).read_text().splitlines() if l.strip()), key=lambda r: -r.get('index_s', 0))[:k]
    js = {j['name']: dict(j, seed=i) for i, j in enumerate(jobs(n, max_atoms))}
    print("| crystal | system | in the run (s) | alone (s) | top correct |\n|---|---|---|---|---|")
    for r in rows:
        j = js[r['name']]; p = simulate(j['structure'], j['seed'])
        t0 = time.time(); c = index_pattern(powder_data(p['x'], p['y'], p['sigma'], 'CuKa', r['name']), formula=r['formula']); t = time.time() - t0
        print(f"| {r['formula']} | {r['system']} | {r['index_s']:.1f} | {t:.1f} | {same_cell(c[0].cell, j['structure'].lattice.parameters)} |", flush=True)

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--n', type=int, default=100)
    ap.add_argument('--max-atoms', type=int, default=60)
    ap.add_argument('--workers', type=int, default=1)
    ap.add_argument('--out', default='bench/results/indexing.jsonl')
    ap.add_argument('--summary', nargs='*')
    ap.add_argument('--retime', metavar='FILE', help="index again, alone, the --k slowest patterns of FILE (same --n as the run's jobs list)")
    ap.add_argument('--k', type=int, default=8)
    a = ap.parse_args(argv)
    if a.summary: return summary(a.summary)
    if a.retime: return retime(a.retime, a.k, a.n, a.max_atoms)
    def line(r):
        top = r.get('top') or {}
        return (f"{r['name']:>12} {r['system']:>11} {r['formula']:>10} rank {r.get('rank')} top {top.get('system')} {top.get('centring')} "
                f"{[round(v, 3) for v in top.get('cell', [])[:3]]} M20 {top.get('m20', 0):.0f} {r['time_s']:.1f} s {r.get('error', '')[:60]}")
    summary([resumable_run(one, jobs(a.n, a.max_atoms), a.out, line, a.workers)])

if __name__ == '__main__': sys.exit(main())
