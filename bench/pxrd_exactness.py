"""Exactness of deep_xtal's PXRD against pymatgen's XRDCalculator on real structures.

For every structure (conventional standard cell, symprec 0.01) and both Mo Kα and Cu Kα over 2θ 0–180°:
  float64, form_factors='pymatgen': every pymatgen line with I ≥ 0.1 (0–100 scale) must have one of our lines within
  1e-4° 2θ, with |ΔI| ≤ 1e-3; we also count our lines with I ≥ 0.1 that pymatgen does not have.
  float32: cosine between our 1024-bin encoding and the same binning of pymatgen's lines must be ≥ 0.9999.
Sets: mp_cubic_trigonal val, mp20_test_subset, small_structure_collections (../shared/data).

    python bench/pxrd_exactness.py [--limit N] [--workers 2]
"""
import argparse, math, sys, time
from multiprocessing import Pool
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
import numpy as np, torch
from _data import shared_data, conventional_cells
from deep_xtal.structures import batch_structures
from deep_xtal.pxrd import diffraction_lines, paper_encoding

LAMS = ('MoKa_avg', 'CuKa_avg')   # pymatgen's 'MoKa', 'CuKa': its weighted-mean lines

def pymatgen_lines(args):
    from pymatgen.analysis.diffraction.xrd import XRDCalculator
    s, lam = args
    p = XRDCalculator(lam.replace('_avg', '')).get_pattern(s, two_theta_range=(0, 180))
    return np.asarray(p.x), np.asarray(p.y)

def binned(x, y, n=1024):
    v = np.zeros(n)
    for a, b in zip(x, y):
        k = min(int(a/180*n), n - 1); v[k] = max(v[k], b/100)
    return v

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--limit', type=int, default=10**6)
    ap.add_argument('--workers', type=int, default=2); ap.add_argument('--max-sites', type=int, default=200)
    a = ap.parse_args()
    data = shared_data()
    sets = {
        'mp_cubic_trigonal val': conventional_cells(data/'mp_cubic_trigonal/paper_train_val_structures.jsonl.gz', a.limit, max_sites=a.max_sites, where=lambda r: r['paper_split'] == 'val'),
        'mp20_test_subset': conventional_cells(data/'mp20_test_subset/mp20_test_subset.jsonl.gz', min(a.limit, 300), max_sites=a.max_sites),
        'small_structure_collections': conventional_cells(data/'small_structure_collections/structures.jsonl.gz', a.limit, max_sites=a.max_sites),
    }
    total, worst = 0, dict(dtt=0., dI=0., cos=1., extra=0, missing=0)
    failures = []
    with Pool(a.workers) as pool:
        for set_name, structs in sets.items():
            t0 = time.time()
            b64 = batch_structures(structs, dtype='float64', on_error='skip')
            keep = [structs[i] for i in b64.indices]
            b32 = b64.to(dtype='float32')
            stats = dict(dtt=0., dI=0., cos=1., extra=0, missing=0, lines=0)
            for lam in LAMS:
                ours = diffraction_lines(b64, lam, (0, 180), 'pymatgen')
                enc32 = paper_encoding(b32, (lam,))[:, 0].double().numpy()
                refs = pool.map(pymatgen_lines, [(s, lam) for _, s in keep], chunksize=4)
                for i, ((name, s), (px, py)) in enumerate(zip(keep, refs)):
                    o = ours[i]; ox, oy = o['two_theta'], o['intensity']
                    strong = py >= 0.1
                    stats['lines'] += int(strong.sum())
                    if len(ox):
                        j = np.abs(ox[None, :] - px[strong, None]).argmin(1) if strong.any() else np.zeros(0, int)
                        dtt, dI = np.abs(ox[j] - px[strong]), np.abs(oy[j] - py[strong])
                    else: dtt = dI = np.full(int(strong.sum()), np.inf)
                    miss = int((dtt > 1e-4).sum())
                    extra = int(sum(np.abs(px - x).min() > 1e-4 for x in ox[oy >= 0.1])) if len(px) else int((oy >= 0.1).sum())
                    ref = binned(px, py); cos = float(enc32[i] @ ref/(np.linalg.norm(enc32[i])*np.linalg.norm(ref) + 1e-300))
                    stats['dtt'] = max(stats['dtt'], float(dtt.max(initial=0))); stats['dI'] = max(stats['dI'], float(dI.max(initial=0)))
                    stats['cos'] = min(stats['cos'], cos); stats['missing'] += miss; stats['extra'] += extra
                    if miss or extra or dI.max(initial=0) > 1e-3 or cos < 0.9999:
                        failures.append(f"{set_name} {name} {lam}: missing {miss}, extra {extra}, max dI {dI.max(initial=0):.2e}, cos {cos:.6f}")
            total += len(keep)
            for k in ('dtt', 'dI', 'extra', 'missing'): worst[k] = max(worst[k], stats[k]) if k in ('dtt', 'dI') else worst[k] + stats[k]
            worst['cos'] = min(worst['cos'], stats['cos'])
            print(f"{set_name}: {len(keep)} structures ({len(structs) - len(keep)} skipped), {stats['lines']} pymatgen lines with I ≥ 0.1 "
                  f"(Mo Kα + Cu Kα) | max |Δ2θ| {stats['dtt']:.2e}° | max |ΔI| {stats['dI']:.2e} | unmatched {stats['missing']} | extra {stats['extra']} "
                  f"| min float32 1024-bin cosine {stats['cos']:.7f} | {time.time() - t0:.0f} s", flush=True)
    for f in failures[:50]: print('FAIL', f)
    print(f"total {total} structures: max |Δ2θ| {worst['dtt']:.2e}° max |ΔI| {worst['dI']:.2e} unmatched {worst['missing']} extra {worst['extra']} "
          f"min cosine float32 {worst['cos']:.7f} failures {len(failures)}")

if __name__ == '__main__': main()
