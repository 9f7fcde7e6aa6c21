"""Speed of deep_xtal's procrystal density (CMED) against a straightforward numpy reference, in the same run.

One CPU thread; the cubic val cells of ../shared/data/mp_cubic_trigonal with ≤ 20 atoms in the conventional cell;
50³ grid, B = 2 Å². The numpy reference sums every Gaussian of every atom over all periodic images within the cutoff,
vectorised over the grid points (run on --n-ref cells; its values are also compared with ours).
Query points: 1,000 uniform random fractional points per cell.

    python bench/cmed.py                  # CPU; last line: speedup grid=<x>
    python bench/cmed.py --system Trigonal   # the same for the trigonal val cells (hexagonal setting: not orthogonal)
    python bench/cmed.py --device cuda    # also densities/s and points/s on the GPU
"""
import os
for v in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS'): os.environ[v] = '1'
import argparse, itertools, math, platform, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
import numpy as np, torch
from _data import shared_data, conventional_cells
from deep_xtal.structures import batch_structures
from deep_xtal.cmed import procrystal_density, procrystal_density_at, gaussian_terms

def numpy_reference(structure, n=50, b_iso=2.0, tol=1e-9):
    "ρ on the n³ grid by direct summation of every atom's Gaussians over periodic images (e/Å³)."
    b = batch_structures([structure], dtype='float64')
    w, beta = (t[0].numpy() for t in gaussian_terms(b, b_iso))
    L = structure.lattice.matrix
    u = np.stack(np.meshgrid(*[np.arange(n)/n]*3, indexing='ij'), -1).reshape(-1, 3)
    rho = np.zeros(len(u))
    rcut = math.sqrt(beta.max()*math.log(1/tol))/(2*math.pi)
    m = [math.ceil(rcut*np.linalg.norm(r)) + 1 for r in np.linalg.inv(L).T]
    for (f, ws, bs) in zip(b.frac[0].numpy(), w, beta):
        if not ws.any(): continue
        for img in itertools.product(*[range(-k, k + 1) for k in m]):
            r2 = (((u - f - np.array(img)) @ L)**2).sum(1)
            for wt, bt in zip(ws, bs): rho += wt*(4*math.pi/bt)**1.5*np.exp(-4*math.pi**2*r2/bt)
    return rho.reshape(n, n, n)

def timed(fn, sync=lambda: None, repeats=3):
    best = float('inf')
    for _ in range(repeats):
        sync(); t = time.perf_counter(); out = fn(); sync(); best = min(best, time.perf_counter() - t)
    return best, out

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--device', default=None); ap.add_argument('--n-ref', type=int, default=3)
    ap.add_argument('--max-sites', type=int, default=20)
    ap.add_argument('--system', default='Cubic', choices=('Cubic', 'Trigonal'), help="the paper's crystal system of the val cells")
    a = ap.parse_args()
    torch.set_num_threads(1)
    cells = conventional_cells(shared_data()/'mp_cubic_trigonal/paper_train_val_structures.jsonl.gz', 10**6, 1, a.max_sites,
                               where=lambda r: r['paper_split'] == 'val' and r['paper_system'] == a.system)
    print(f"machine: {platform.machine()}, torch {torch.__version__}, 1 thread; {len(cells)} {a.system.lower()} val cells with ≤ {a.max_sites} atoms "
          f"(mean {np.mean([len(s) for _, s in cells]):.1f})", flush=True)
    ref_cells = cells[:a.n_ref]
    t_ref = time.perf_counter(); refs = [numpy_reference(s) for _, s in ref_cells]; t_ref = time.perf_counter() - t_ref
    ours_ref = procrystal_density(batch_structures(ref_cells, dtype='float64'), 50)
    err = max(float(np.abs(r - o.numpy()).max()/r.max()) for r, o in zip(refs, ours_ref))
    print(f"numpy reference: {len(ref_cells)/t_ref:.3f} densities/s; max |ours − reference| / max ρ = {err:.1e}", flush=True)
    rates = {}
    from deep_xtal.cmed import _is_orthogonal
    ortho = [c for c in cells if _is_orthogonal(torch.tensor(c[1].lattice.matrix))]
    other = [c for c in cells if not _is_orthogonal(torch.tensor(c[1].lattice.matrix))]
    for dt in ('float64', 'float32'):
        b = batch_structures(cells, dtype=dt)
        t, _ = timed(lambda: procrystal_density(b, 50), repeats=2)
        rates[dt] = len(cells)/t
        line = f"deep_xtal {dt}: 50³ grids {len(cells)/t:7.1f} densities/s (grid values gathered: {len(cells)*50**3/t:,.0f}/s)"
        for label, cs in (('all', cells), ('orthogonal', ortho), ('non-orthogonal', other)):
            if not cs: continue
            bs = batch_structures(cs, dtype=dt)
            pts = torch.rand(len(cs), 1000, 3, generator=torch.Generator().manual_seed(0), dtype=bs.dtype)
            tp, _ = timed(lambda: procrystal_density_at(bs, pts), repeats=2)
            line += f" | query points, {label} ({len(cs)}): {pts.shape[0]*pts.shape[1]/tp:,.0f}/s"
        print(line, flush=True)
    if a.device:
        dev = torch.device(a.device)
        sync = torch.cuda.synchronize if dev.type == 'cuda' else (lambda: None)
        torch.set_num_threads(os.cpu_count() or 1)
        b = batch_structures(cells, dtype='float32', device=dev)
        pts = torch.rand(len(cells), 1000, 3, device=dev)
        t, _ = timed(lambda: procrystal_density(b, 50), sync)
        tp, _ = timed(lambda: procrystal_density_at(b, pts), sync)
        print(f"{a.device}: 50³ grids {len(cells)/t:.1f} densities/s | query points {pts.numel()//3/tp:,.0f} points/s", flush=True)
    print(f"speedup grid={rates['float64']/(len(ref_cells)/t_ref):.0f}")

if __name__ == '__main__': main()
