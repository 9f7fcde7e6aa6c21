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

def resumable_run(one, jobs:list, out, line, workers:int=1):
    """Run `one(job)` over `jobs` (dicts with a 'name') in `workers` spawned processes, appending each result to the jsonl
    file `out` as it comes and skipping names already there (re-running resumes); `line(result)` is printed per result.
    Each job gets `seed` = its index in `jobs`, so a resumed run simulates the same patterns."""
    import json, multiprocessing as mp
    out = Path(out); out.parent.mkdir(parents=True, exist_ok=True)
    done = {json.loads(l)['name'] for l in out.read_text().splitlines() if l.strip()} if out.exists() else set()
    todo = [dict(j, seed=i) for i, j in enumerate(jobs) if j['name'] not in done]
    print(f"{len(done)} done, {len(todo)} to go; writing {out}", flush=True)
    with mp.get_context('spawn').Pool(workers) as pool, open(out, 'a') as f:
        for r in pool.imap_unordered(one, todo):
            f.write(json.dumps(r) + '\n'); f.flush()
            print(line(r), flush=True)
    return out

def record(out:dict, body)->dict:
    "Run `body(out)` (it fills the result dict `out`); on an exception keep its message and traceback; add the wall time."
    import time, traceback
    t0 = time.time()
    try: body(out)
    except Exception as e: out['error'] = f"{type(e).__name__}: {e}"; out['traceback'] = traceback.format_exc()[-1500:]
    out['time_s'] = time.time() - t0
    return out
