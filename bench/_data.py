"Shared helpers for the benchmark scripts: locating ../shared/data and loading conventional cells."
import os, sys
from pathlib import Path

def shared_data()->Path:
    "The shared data folder (DEEP_XTAL_DATA overrides); exits with a clear message when absent."
    cands = [os.environ.get('DEEP_XTAL_DATA', ''), Path(__file__).resolve().parents[2]/'shared'/'data', Path('shared_data')]
    for c in cands:
        if c and Path(c).exists(): return Path(c)
    sys.exit("benchmark data not found: set DEEP_XTAL_DATA to the folder that holds mp_cubic_trigonal/, perov5_cmr/, …")

def conventional_cells(path, n:int, min_sites:int=1, max_sites:int=10**9, where=None, symprec:float=0.01)->list:
    "Up to `n` (name, conventional standard Structure) pairs from a jsonl.gz file, with min_sites ≤ sites ≤ max_sites."
    from deep_xtal.structures import iter_records, structure_from_record, conventional_standard_structure
    out = []
    for rec in iter_records(path):
        if where is not None and not where(rec): continue
        try:
            name, s = structure_from_record(rec)
            s = conventional_standard_structure(s, symprec, name)
        except Exception as e:
            print(f"skipped {rec.get('material_id', rec.get('name'))}: {e}", file=sys.stderr); continue
        if min_sites <= len(s) <= max_sites: out.append((name, s))
        if len(out) >= n: break
    return out
