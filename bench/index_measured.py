"""Indexing the two measured lab patterns of ../shared/data/exp_pxrd against their published cells (issue 14).

    OMP_NUM_THREADS=1 python bench/index_measured.py

For LaB6 (NIST SRM 660, certified a = 4.1568 Å) and PbSO4 (anglesite, the CIF's cell): `read_pattern` on the CSV,
`index_report` with the formula and the Pawley check of the top cell (`check=1`), one thread. Prints the top cell, its
M20 and lines, Z, the first space groups, whether the cell matches the CIF's conventional cell (`same_cell`: lengths
within 0.3 %, angles within 0.1°) and the times (indexing alone, and with the Pawley check).
"""
import argparse, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import shared_data

PATTERNS = (('LaB6_NIST660_lab', 'LaB6'), ('PbSO4_lab_CuKa', 'PbSO4'))

def main(argv=None):
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args(argv)
    import torch
    torch.set_num_threads(1)
    from pymatgen.core import Structure
    from pymatgen.symmetry.analyzer import SpacegroupAnalyzer
    from deep_xtal.solve import read_pattern
    from deep_xtal.extract import powder_data
    from deep_xtal.index import index_report, same_cell
    e = shared_data()/'exp_pxrd'
    for stem, formula in PATTERNS:
        p = read_pattern(e/f'{stem}.pattern.csv')
        ref = SpacegroupAnalyzer(Structure.from_file(e/f'{stem}.{formula}.cif'), 0.01).get_conventional_standard_structure().lattice
        rep = index_report(powder_data(p.x, p.y, p.esd, 'CuKa', stem), formula, check=1)
        b = rep['candidates'][0]
        groups = ', '.join(g['symbol'] for g in b.get('space_groups', [])[:4])
        print(f"{stem}: {b['system']} {b['centring']} {' × '.join(f'{v:.5f}' for v in b['cell'][:3])} Å (CIF "
              f"{' × '.join(f'{v:.4f}' for v in ref.abc)}; same cell: {same_cell(b['cell'], ref.parameters)}), M20 {b['m20']:.1f}, "
              f"{b['indexed']}/{b['n_lines']} lines, zero {b['zero_shift']:+.3f}°, Z = {b['z'][0]['z']}, groups {groups}; "
              f"Pawley Rwp {b.get('pawley_rwp')}; {rep['index_s']:.1f} s to index, {rep['time_s']:.1f} s with the check; "
              f"warnings: {rep['warnings'] or 'none'}", flush=True)

if __name__ == '__main__': sys.exit(main())
