"""Training-batch throughput in the paper's configuration: 128 crystals × 1,000 query points, Mo Kα 1024 bins.

Three ways, timed in the same run on this machine (2 cores):
  cache   — batches streamed from a `deep_xtal build` cache, with the paper's augmentation (shift ±3 bins, noise 1e-3);
  raw     — batches simulated from structures on the fly (`CrystalData`);
  paper   — the paper's way, in two parts: making each pattern with pymatgen's XRDCalculator (done once, offline), and
            its loader, which reads stored patterns and 50³ grids and draws 1,000 query points per crystal in a Python
            loop (the grids are made before the timer starts, as the paper's stored densities).
Crystals: the first --n cubic training cells of mp_cubic_trigonal.

    python bench/data.py [--n 2048] [--cache DIR]
"""
import argparse, os, sys, time, tempfile
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
import numpy as np, torch
from _data import shared_data
from deep_xtal.structures import iter_records, structure_from_record, conventional_standard_structure, batch_structures
from deep_xtal.data import CrystalData, CachedData, DataConfig, data_loader, build_cache, grid_query_points
from deep_xtal.pxrd import bin_lines
from deep_xtal.cmed import procrystal_density

def rate(loader, max_batches=16, warm=2):
    "Crystals/s over up to `max_batches` batches, after `warm` batches (worker start-up, file opening) are skipped."
    n, t = 0, None
    for i, b in enumerate(loader):
        if i == warm: t = time.perf_counter()
        if i >= warm: n += len(b['names'])
        if i + 1 >= max_batches: break
    return n/(time.perf_counter() - t)

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--n', type=int, default=2048); ap.add_argument('--cache', default=None)
    a = ap.parse_args()
    path = shared_data()/'mp_cubic_trigonal/paper_train_val_structures.jsonl.gz'
    recs = [r for r, _ in zip((r for r in iter_records(path) if r['paper_split'] == 'train' and r['paper_system'] == 'Cubic'), range(a.n))]
    named = [structure_from_record(r) for r in recs]
    cache = Path(a.cache or tempfile.mkdtemp(prefix='deep_xtal_bench_'))
    t = time.perf_counter(); build_cache(named, cache, shard_size=512, progress=False); tb = time.perf_counter() - t
    print(f"{len(named)} cubic training crystals; cache built in {tb:.0f} s ({len(named)/tb:.0f} crystals/s, one process)", flush=True)
    cached = CachedData(cache)
    for nw in (0, 2):
        print(f"cache + augmentation, {nw} worker(s): {rate(data_loader(cached, 128, num_workers=nw)):,.0f} crystals/s", flush=True)
    raw = CrystalData(named)
    for nw in (0, 2):
        print(f"raw structures on the fly, {nw} worker(s): {rate(data_loader(raw, 128, num_workers=nw), 6, 1):,.0f} crystals/s", flush=True)
    # the paper's way: patterns from pymatgen's XRDCalculator, stored; densities stored as 50³ grids; each crystal's
    # 1,000 query points drawn by a Python loop over the 10×10×10 cells and snapped to the grid, as in its Dataset
    from pymatgen.analysis.diffraction.xrd import XRDCalculator
    conv = [conventional_standard_structure(s, name=n) for n, s in named[:256]]
    grids = procrystal_density(batch_structures(conv, dtype='float32'), 50).numpy()
    calc, pats = XRDCalculator('MoKa'), []
    t = time.perf_counter()
    for s in conv:
        p = calc.get_pattern(s, two_theta_range=(0, 180))
        v = np.zeros(1024); k = np.minimum((np.asarray(p.x)/180*1024).astype(int), 1023); np.maximum.at(v, k, np.asarray(p.y)/100)
        pats.append(v)
    tp = time.perf_counter() - t
    print(f"the paper's patterns (pymatgen XRDCalculator, Mo Kα 0–180°, 1 process): {len(conv)/tp:,.1f} crystals/s", flush=True)
    rng = np.random.default_rng(0)
    t = time.perf_counter()
    for i in range(len(conv)):
        coords, vals = [], []
        for x in range(10):
            for y in range(10):
                for z in range(10):
                    px, py, pz = (rng.uniform(c/10, min(1, (c + 1)/10)) for c in (x, y, z))
                    ix, iy, iz = int(px*50), int(py*50), int(pz*50)
                    coords.append((ix/50, iy/50, iz/50)); vals.append(grids[i][ix, iy, iz])
        item = (torch.tensor(pats[i]), torch.tensor(coords), torch.tensor(vals))
    tl = time.perf_counter() - t
    print(f"the paper's loader (stored patterns and grids, Python loop over query points, 1 process): {len(conv)/tl:,.0f} crystals/s", flush=True)

if __name__ == '__main__': main()
