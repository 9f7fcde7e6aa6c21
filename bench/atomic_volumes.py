"""Typical volumes per atom of the elements, fitted on crystal structures, and how well they predict Z.

    python bench/atomic_volumes.py [--out deep_xtal/assets/atomic_volumes.json] [--limit N] [--method rel|abs|log|robust]
                                   [--extra perov5,small] [--compare]

Model: one volume v_el ≥ 0 per element, V_cell ≈ Σ_el n_el v_el (n_el: atoms of el in the cell).
Fitting data: the ordered structures of mp_cubic_trigonal with paper_split `train` or `extraTrain` (Materials Project,
CC BY 4.0), minus any material_id that is also in mp20_test_subset (so that set stays held out). `--extra` adds
perov5_cmr (CDVAE Perov-5 val+test, MIT) and/or the permissively licensed parts of small_structure_collections
(robocrys MIT, pyxtal MIT, Dans_Diffraction Apache-2.0; the GPL/LGPL crystals and ase rows are not used).
Methods (`--method`):
  abs    — NNLS on rows divided by N_atoms: Σ (V_pred/N − V/N)²
  rel    — NNLS on rows divided by V: Σ ((V_pred − V)/V)²  (weighted least squares)
  log    — Σ ln(V_pred/V)², v ≥ 0 (scipy least_squares, started from `rel`)
  robust — as `log` with a soft-L1 loss (scale 0.05), so that odd cells (e.g. the unstable extraTrain ones) weigh less
Elements in fewer than 5 fitting structures (or never seen; all of H..Pu are listed), and fitted ones that end below
1 Å³, fall back to f·(4/3)π r³ with r = pymatgen's `Element.atomic_radius` and f the median of v_el/((4/3)π r³) over
the fitted elements; noble gases to close-packed van der Waals spheres, (4/3)π r_vdW³/0.74; elements with no radius
(At, Fr) to the nearest fitted element of their group. They are listed under `fallback`.

Evaluation: the `val` records of mp_cubic_trigonal and all of mp20_test_subset, each as its conventional standard cell
(SpacegroupAnalyzer, symprec 0.01; crystal system from the same analysis). Formula = reduced formula; true
Z = conventional atoms / reduced formula atoms. Candidates Z = 1..64 ranked by |ln(V/(Z·v_formula))|; reported:
top-1 and top-2 accuracy, median and 95th percentile of |V_pred/V − 1| at the true Z, per set and per crystal system.
`--compare` also fits every method (and the extra sources, and train-only) and prints their scores on val (the
held-out mp20 set is not used to choose).

It also counts the space groups of the fitting structures (their `spacegroup_number`, spglib at symprec 0.1) into
`space_group_counts`: the prior by which 10_extract's `rank_space_groups` orders groups the absences cannot tell apart.

Nothing is cached; only the JSON is written.
"""
import argparse, gzip, json, math, sys, time, warnings
from collections import Counter, defaultdict
from pathlib import Path
import numpy as np
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import shared_data

MIN_COUNT, ZMAX, Z_LAST = 5, 64, 94
PERMISSIVE_SMALL = ('robocrys', 'pyxtal', 'Dans_Diffraction')


def records(path):
    with gzip.open(path, 'rt', encoding='utf-8') as f:
        for line in f:
            if line.strip(): yield json.loads(line)


def parse(cif):
    from pymatgen.core import Structure
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        s = Structure.from_str(cif, fmt='cif')
    return s if s.is_ordered else None


def fit_rows(path, where, limit=None, exclude=frozenset(), tag=''):
    "[(counts {el: n}, V)] of the ordered, parseable structures of `path` that pass `where`, and the number skipped."
    out, skipped = [], 0
    for rec in records(path):
        if not where(rec) or rec.get('material_id') in exclude: continue
        try: s = parse(rec['cif'])
        except Exception: s = None
        if s is None: skipped += 1; continue
        out.append(({str(e): float(n) for e, n in s.composition.get_el_amt_dict().items()}, float(s.volume), rec.get('paper_split', tag)))
        if limit and len(out) >= limit: break
    return out, skipped


def eval_rows(path, where, limit=None):
    "[(crystal system, conventional counts, V)] for the evaluation sets, and the number skipped."
    from pymatgen.symmetry.analyzer import SpacegroupAnalyzer
    out, skipped = [], 0
    for rec in records(path):
        if not where(rec): continue
        try:
            s = parse(rec['cif'])
            if s is None: raise ValueError('partially occupied')
            sga = SpacegroupAnalyzer(s, symprec=0.01)
            c = sga.get_conventional_standard_structure()
            out.append((sga.get_crystal_system(), c.composition, float(c.volume)))
        except Exception: skipped += 1; continue
        if limit and len(out) >= limit: break
    return out, skipped


def design(rows, els):
    idx = {e: i for i, e in enumerate(els)}
    A = np.zeros((len(rows), len(els)))
    for r, (c, _, _) in enumerate(rows):
        for e, n in c.items(): A[r, idx[e]] = n
    return A, np.array([v for _, v, _ in rows])


def solve(A, V, method):
    from scipy.optimize import nnls, least_squares
    if method == 'abs':
        N = A.sum(1)
        return nnls(A/N[:, None], V/N, maxiter=50*A.shape[1])[0]
    x = nnls(A/V[:, None], np.ones(len(V)), maxiter=50*A.shape[1])[0]
    if method == 'rel': return x
    lo = 1e-3
    x0 = np.maximum(x, 1.0)
    res = lambda v: np.log(A @ v) - np.log(V)
    jac = lambda v: A/(A @ v)[:, None]
    loss, scale = ('soft_l1', 0.05) if method == 'robust' else ('linear', 1.0)
    return least_squares(res, x0, jac=jac, bounds=(lo, np.inf), loss=loss, f_scale=scale, method='trf', x_scale='jac').x


def fit(rows, method):
    "({el: v}, {el: structures}, [fallback els], packing factor) for all of H..Pu and every element seen."
    from pymatgen.core import Element
    counts = Counter(e for c, _, _ in rows for e in c)
    good = sorted(e for e, n in counts.items() if n >= MIN_COUNT)
    use = [r for r in rows if all(e in good for e in r[0])]       # rows with a rare element are left out of the fit
    A, V = design(use, good)
    x = solve(A, V, method)
    vol = {e: float(v) for e, v in zip(good, x) if v >= 1.0}
    def sphere(e):
        try: r = Element(e).atomic_radius
        except Exception: r = None
        return 4/3*math.pi*float(r)**3 if r else None
    ratios = [vol[e]/sphere(e) for e in vol if sphere(e)]
    f = float(np.median(ratios)); med = float(np.median(list(vol.values())))
    fit_err = float(np.median([abs(math.log(f*sphere(e)/vol[e])) for e in vol if sphere(e)]))
    fitted, fallback = dict(vol), []
    for e in sorted({Element.from_Z(z).symbol for z in range(1, Z_LAST + 1)} | set(counts), key=lambda e: Element(e).Z):
        if e in vol: continue
        el, sp = Element(e), sphere(e)
        if el.group == 18 and el.van_der_waals_radius:            # noble gases: close-packed van der Waals spheres
            vol[e] = 4/3*math.pi*float(el.van_der_waals_radius)**3/0.74
        elif sp: vol[e] = f*sp
        else:                                                     # no radius: the nearest fitted member of its group
            same = [x for x in fitted if Element(x).group == el.group]
            vol[e] = fitted[min(same, key=lambda x: abs(Element(x).Z - el.Z))] if same else med
        fallback.append(e)
    vol = {e: vol[e] for e in sorted(vol, key=lambda e: Element(e).Z)}
    return vol, {e: counts.get(e, 0) for e in vol}, fallback, f, len(use), fit_err


def evaluate(vol, rows)->dict:
    by = defaultdict(list)
    for system, comp, V in rows:
        red = comp.reduced_composition
        z_true = round(comp.num_atoms/red.num_atoms)
        v_fu = sum(vol[str(e)]*n for e, n in red.get_el_amt_dict().items())
        zs = np.arange(1, ZMAX + 1)
        order = zs[np.argsort(np.abs(np.log(V/(zs*v_fu))), kind='stable')]
        r = (order[0] == z_true, z_true in order[:2], abs(z_true*v_fu/V - 1), z_true > ZMAX)
        by['all'].append(r); by[system].append(r)
    def summ(rs):
        a = np.array(rs, dtype=float)
        return dict(n=len(rs), top1=round(a[:, 0].mean(), 3), top2=round(a[:, 1].mean(), 3),
                    median_err=round(float(np.median(a[:, 2])), 3), p95_err=round(float(np.percentile(a[:, 2], 95)), 3),
                    z_over_64=int(a[:, 3].sum()))
    keys = ['all'] + sorted(k for k in by if k != 'all')
    return {k: summ(by[k]) for k in keys}


def table(name, ev):
    print(f"{name}:\n  {'system':13s} {'n':>5s} {'top-1':>6s} {'top-2':>6s} {'med|dV|':>8s} {'p95|dV|':>8s}")
    for k, m in ev.items():
        print(f"  {k:13s} {m['n']:5d} {m['top1']:6.3f} {m['top2']:6.3f} {m['median_err']:8.3f} {m['p95_err']:8.3f}"
              + (f"  ({m['z_over_64']} with Z>64)" if m['z_over_64'] else ''))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default=str(Path(__file__).resolve().parents[1]/'deep_xtal'/'assets'/'atomic_volumes.json'))
    ap.add_argument('--limit', type=int, default=None, help='at most N structures from each file (quick tries)')
    ap.add_argument('--method', default='rel', choices=['abs', 'rel', 'log', 'robust'])
    ap.add_argument('--extra', default='', help="comma-separated extra fitting sources: perov5, small")
    ap.add_argument('--compare', action='store_true', help='also fit the other methods / sources and score them on val')
    a = ap.parse_args(argv)
    t0 = time.time(); d = shared_data()
    mct, mp20p = d/'mp_cubic_trigonal'/'paper_train_val_structures.jsonl.gz', d/'mp20_test_subset'/'mp20_test_subset.jsonl.gz'
    mp20_ids = frozenset(r['material_id'] for r in records(mp20p))
    extra = {x for x in a.extra.split(',') if x}
    sources = ['perov5', 'small'] if a.compare else sorted(extra)
    rows, skipped = fit_rows(mct, lambda r: r['paper_split'] in ('train', 'extraTrain'), a.limit, mp20_ids, 'mp')
    split = {r['material_id']: r['paper_split'] for r in records(mct)}
    n_excl = sum(1 for i in mp20_ids if split.get(i) in ('train', 'extraTrain'))
    ex_rows = {}
    if 'perov5' in sources:
        ex_rows['perov5'] = fit_rows(d/'perov5_cmr'/'perov5_val_test.jsonl.gz', lambda r: True, a.limit, tag='perov5')[0]
    if 'small' in sources:
        ex_rows['small'] = fit_rows(d/'small_structure_collections'/'structures.jsonl.gz',
                                    lambda r: r['source'].startswith(PERMISSIVE_SMALL), a.limit, tag='small')[0]
    val, vskip = eval_rows(mct, lambda r: r['paper_split'] == 'val', a.limit)
    mp20, mskip = eval_rows(mp20p, lambda r: True, a.limit)
    print(f"fitting: {len(rows)} mp_cubic_trigonal train+extraTrain structures ({skipped} skipped, {n_excl} mp20 ids left out)"
          + ''.join(f", {len(v)} {k}" for k, v in ex_rows.items())
          + f"; evaluating {len(val)} val ({vskip} skipped), {len(mp20)} mp20 ({mskip} skipped); {time.time()-t0:.0f} s", flush=True)

    if a.compare:
        print("comparison on val (all / cubic / trigonal top-1, median |dV|):")
        variants = [(m, '', rows) for m in ('abs', 'rel', 'log', 'robust')]
        variants += [(a.method, ' train only', [r for r in rows if r[2] == 'train']),
                     (a.method, ' +perov5', rows + ex_rows['perov5']), (a.method, ' +small', rows + ex_rows['small'])]
        for m, lab, rr in variants:
            ev = evaluate(fit(rr, m)[0], val)
            print(f"  {m:7s}{lab:12s} top-1 {ev['all']['top1']:.3f} (cubic {ev.get('cubic', {}).get('top1', float('nan')):.3f},"
                  f" trigonal {ev.get('trigonal', {}).get('top1', float('nan')):.3f})  top-2 {ev['all']['top2']:.3f}"
                  f"  median |dV| {ev['all']['median_err']:.3f}  p95 {ev['all']['p95_err']:.3f}", flush=True)

    fit_set = rows + [r for k in sorted(extra) for r in ex_rows.get(k) or fit_rows(
        {'perov5': d/'perov5_cmr'/'perov5_val_test.jsonl.gz', 'small': d/'small_structure_collections'/'structures.jsonl.gz'}[k],
        (lambda r: True) if k == 'perov5' else (lambda r: r['source'].startswith(PERMISSIVE_SMALL)), a.limit, tag=k)[0]]
    vol, counts, fallback, f, n_used, fit_err = fit(fit_set, a.method)
    ev = dict(val=evaluate(vol, val), mp20=evaluate(vol, mp20))
    cmd = 'python bench/atomic_volumes.py' + (f' --method {a.method}' if a.method != 'rel' else '') \
          + (f" --extra {','.join(sorted(extra))}" if extra else '') + (f' --limit {a.limit}' if a.limit else '')
    names = {'rel': 'relative-error NNLS (Σ((V_pred−V)/V)², v ≥ 0)', 'abs': 'NNLS on volume per atom',
             'log': 'least squares on ln(V_pred/V), v ≥ 0', 'robust': 'soft-L1 fit of ln(V_pred/V), v ≥ 0'}
    src = (f"V_cell ≈ Σ n_el·v_el, {names[a.method]}, fitted on {n_used} ordered structures of "
           f"shared/data/mp_cubic_trigonal/paper_train_val_structures.jsonl.gz (paper_split train+extraTrain; Materials "
           f"Project, CC BY 4.0, Jain et al. 2013; mp20_test_subset ids left out"
           + ''.join({'perov5': '; + perov5_cmr/perov5_val_test.jsonl.gz (CMR via CDVAE, MIT)',
                      'small': '; + small_structure_collections robocrys/pyxtal/Dans_Diffraction rows'}[k] for k in sorted(extra))
           + f"); elements in < {MIN_COUNT} structures (listed in fallback): {f:.2f}·(4/3)π·atomic_radius³, noble gases "
           f"(4/3)π·r_vdW³/0.74, no radius: nearest fitted element of the same group. "
           f"Evaluated on the val split and mp20_test_subset (conventional cells, symprec 0.01). Made by: {cmd}")
    from deep_xtal.structures import iter_records
    sg = Counter(int(r['spacegroup_number']) for r in iter_records(d/'mp_cubic_trigonal'/'paper_train_val_structures.jsonl.gz')
                 if r['paper_split'] in ('train', 'extraTrain') and r.get('spacegroup_number'))
    out = dict(source=src, volumes={e: round(v, 2) for e, v in vol.items()}, counts=counts, fallback=fallback,
               evaluation={'mp_cubic_trigonal_val': ev['val'], 'mp20_test_subset': ev['mp20']},
               space_group_counts={str(k): v for k, v in sorted(sg.items())})
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(out, separators=(',', ':')) + '\n')
    print(f"method {a.method}: {len(vol) - len(fallback)} fitted elements, {len(fallback)} fallback (packing factor {f:.2f}); "
          f"wrote {a.out}; {time.time() - t0:.0f} s")
    print(f"radius rule checked on the fitted elements: median |ln(f·(4/3)πr³ / v_fit)| = {fit_err:.2f}")
    table('mp_cubic_trigonal val', ev['val']); table('mp20_test_subset', ev['mp20'])
    print(f"Z correct: val {ev['val']['all']['top1']:.2f}, mp20 {ev['mp20']['all']['top1']:.2f}")


if __name__ == '__main__': sys.exit(main())
