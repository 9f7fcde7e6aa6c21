"""Speed of deep_xtal's batched PXRD against pymatgen's XRDCalculator, measured in the same run.

One CPU thread, Mo Kα, 2θ 0–180°, stick lines from the conventional standard cell, reflection enumeration
included. Sets: (a) 200 five-atom perovskites (perov5_cmr); (b) 50 conventional cells of 50–90 atoms
(mp_cubic_trigonal). Both codes get the same pymatgen Structures; our time includes turning them into tensors.

    python bench/pxrd.py                 # CPU comparison; last line: speedup small=<x> large=<y>
    python bench/pxrd.py --device cuda   # also patterns/s for 10,000 MP-20 cells on the GPU (--device cpu: same on all CPU threads)
"""
import os
for v in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS'): os.environ[v] = '1'
import argparse, platform, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
import numpy as np, torch
from _data import shared_data, conventional_cells
from pymatgen.analysis.diffraction.xrd import XRDCalculator
from deep_xtal.structures import batch_structures
from deep_xtal.pxrd import diffraction_lines, paper_encoding

def time_pymatgen(structs, lam='MoKa'):
    calc = XRDCalculator(lam)
    t = time.perf_counter()
    for _, s in structs: calc.get_pattern(s, two_theta_range=(0, 180))
    return time.perf_counter() - t

def time_ours(structs, dtype, device='cpu', repeats=3, encode=False):
    best = float('inf')
    for _ in range(repeats):
        if device != 'cpu': torch.cuda.synchronize()
        t = time.perf_counter()
        b = batch_structures(structs, dtype=dtype, device=device)
        out = paper_encoding(b, ('MoKa_avg',)) if encode else diffraction_lines(b, 'MoKa_avg', (0, 180), 'pymatgen')
        if device != 'cpu': torch.cuda.synchronize()
        best = min(best, time.perf_counter() - t)
    return best

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--device', default=None); ap.add_argument('--n-small', type=int, default=200)
    ap.add_argument('--n-large', type=int, default=50); ap.add_argument('--n-gpu', type=int, default=10000)
    a = ap.parse_args()
    torch.set_num_threads(1)
    data = shared_data()
    print(f"machine: {platform.processor() or platform.machine()}, torch {torch.__version__}, 1 thread", flush=True)
    small = conventional_cells(data/'perov5_cmr/perov5_val_test.jsonl.gz', a.n_small, 5, 5)
    large = conventional_cells(data/'mp_cubic_trigonal/paper_train_val_structures.jsonl.gz', a.n_large, 50, 90)
    ratios = {}
    for label, structs in (('small', small), ('large', large)):
        n = len(structs); sites = np.mean([len(s) for _, s in structs])
        tp = time_pymatgen(structs)
        t64, t32 = time_ours(structs, 'float64'), time_ours(structs, 'float32')
        te = time_ours(structs, 'float32', encode=True)
        print(f"{label}: {n} cells, mean {sites:.1f} sites | pymatgen {n/tp:8.2f} patterns/s | deep_xtal float64 {n/t64:8.1f}/s "
              f"(x{tp/t64:.1f}) | float32 {n/t32:8.1f}/s (x{tp/t32:.1f}) | float32 1024-bin encoding {n/te:8.1f}/s", flush=True)
        ratios[label] = tp/t64
    if a.device:
        dev = torch.device(a.device)
        sync = torch.cuda.synchronize if dev.type == 'cuda' else (lambda: None)
        torch.set_num_threads(os.cpu_count() or 1)
        mp20 = conventional_cells(data/'mp20_test_subset/mp20_test_subset.jsonl.gz', 10**6)
        cells = (mp20*(a.n_gpu//len(mp20) + 1))[:a.n_gpu]
        b = batch_structures(cells, dtype='float32', device=dev)
        for _ in range(2): paper_encoding(b[:256], ('MoKa_avg',))  # warm-up
        name = torch.cuda.get_device_name(dev) if dev.type == 'cuda' else f'cpu x{torch.get_num_threads()}'
        for ce in (1 << 20, 1 << 24, 1 << 27):
            sync(); t = time.perf_counter()
            enc = paper_encoding(b, ('MoKa_avg',), chunk_elements=ce)
            sync(); dt = time.perf_counter() - t
            print(f"{name}: {len(cells)} MP-20 conventional cells (mean {b.mask.sum(1).float().mean():.1f} sites), "
                  f"1024-bin Mo Kα encoding, float32, chunk_elements {ce}: {len(cells)/dt:.0f} patterns/s", flush=True)
    print(f"speedup small={ratios['small']:.1f} large={ratios['large']:.1f}")

if __name__ == '__main__': main()
