"""Rietveld refinement of the published structures of the two measured patterns (LaB6 NIST SRM 660, PbSO4), ours beside
rietx's, on the same data.

    python bench/published_rietveld.py [--rietx-json /path/to/rietx_reference_results.json]

For each pattern of ../shared/data/exp_pxrd: the CIF in its group's standard setting (09_symmetry's `standard_setting`:
PbSO4 in Pnma's a = 8.48 Å labelling), a Pawley decomposition in that cell (10_extract: profile, zero shift, Chebyshev
background, Kα doublet), then 11_refine's `rietveld` from the published coordinates (scale, background, zero, profile,
lattice, free coordinates, one B per element). Prints Rwp, GoF, the cell with esds, the B's, the wall time, and rietx's
Rietveld Rwp/GoF/cell from the JSON that `bench/rietx_reference.py` writes (run in a Python with rietx).
"""
import argparse, json, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import shared_data

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--rietx-json', help='results of bench/rietx_reference.py')
    ap.add_argument('--threads', type=int, default=1)
    a = ap.parse_args(argv)
    import torch; torch.set_num_threads(a.threads)
    from deep_xtal.solve import read_pattern
    from deep_xtal.structures import read_structures
    from deep_xtal.symmetry import standard_setting
    from deep_xtal.extract import powder_data, pawley
    from deep_xtal.refine import model_from_structure, rietveld
    rx = json.loads(Path(a.rietx_json).read_text())['samples'] if a.rietx_json else {}
    d = shared_data()/'exp_pxrd'
    print("| pattern | group | Pawley Rwp | our Rietveld Rwp | GoF | cell (Å) | B (Å²) | time (s) | rietx Rietveld Rwp | rietx GoF | rietx cell (Å) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for key, stem in (('LaB6', 'LaB6_NIST660_lab'), ('PbSO4', 'PbSO4_lab_CuKa')):
        p = read_pattern(d/f'{stem}.pattern.csv')
        s, g = standard_setting(read_structures(d/f'{stem}.{key}.cif')[0][1])
        data = powder_data(p.x, p.y, p.esd, 'CuKa', stem)
        t = time.time()
        ex = pawley(data, s.lattice, g.crystal_system)
        ref = rietveld(data, model_from_structure(s, g), ex.profile, ex.n_background)
        dt = time.time() - t
        cell = ' '.join(f"{ref.model.cell[i]:.5f}({1e5*ref.esd.get(k, 0):.0f})" for i, k in enumerate('abc') if k == 'a' or g.crystal_system != 'cubic')
        r = rx.get(key, {}).get('rietveld', {})
        rc = r.get('cell', {})
        rcell = ' '.join(f"{rc[k]['value']:.5f}" for k in 'abc' if k in rc and (k == 'a' or g.crystal_system != 'cubic')) if rc else '–'
        print(f"| {key} | {g.symbol} | {ex.fom['rwp']:.4f} | {ref.fom['rwp']:.4f} | {ref.fom['gof']:.2f} | {cell} | "
              f"{', '.join(f'{e} {b:.2f}' for e, b in ref.model.b_iso.items())} | {dt:.1f} | {r.get('rwp', float('nan')):.4f} | "
              f"{r.get('gof', float('nan')):.2f} | {rcell} |", flush=True)

if __name__ == '__main__': sys.exit(main())
