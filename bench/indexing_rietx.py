"""rietx's indexing as the reference for ours, on the same simulated patterns (issue 14).

    python bench/indexing_rietx.py --every 11 --out bench/results/indexing_rietx.jsonl       # run (resumable)
    python bench/indexing_rietx.py --summary bench/results/indexing_rietx.jsonl

The patterns are bench/indexing.py's: its `jobs(n, max_atoms)` list (default --n 100 --max-atoms 60, 350 jobs) and,
for the job at index i of that list, the same simulation as its `one()` with seed i (Cu Kα lab measurement by
`simulated_measurement`, 10–120°, B = 0.5 Å², a zero shift drawn in ±0.05°, an impurity line on odd seeds); its `simulate`
makes them, so pattern i here is pattern i there. The subset is every `--every`-th job (default 11: 32
patterns, 10 cubic, 9 trigonal, 4 tetragonal, 5 hexagonal, 4 orthorhombic, odd and even seeds alike, so half carry the
impurity line; an even `--every` would keep only even seeds and so no impurity line at all).

For each pattern, in one job: ours, `deep_xtal.index.index_pattern(powder_data, top=5)`, in this process, then rietx's
`rietx.index_pattern` on the identical arrays in a child process with one thread (a child, so that `--timeout` can
kill it; its ~7 s of imports are outside its time). Recorded per pattern: system, formula, true cell; for each program
its candidates, the rank of the first correct one (`same_cell`: lengths within 0.3 %, angles within 0.1°;
`rank_any_axes` lets the lengths come in any order, which is how orthorhombic cells are judged since the two programs
order a b c differently) and its time; for rietx also whether it *picked* a cell (`IndexingResult.best_or_none()`,
a cell only when exactly one candidate has confidence "high"), the picked cell and whether it is correct, each
candidate's confidence, caveats, Le Bail Rwp and the engines that found it, the systems searched (and completed), the
result's diagnostic codes; or the timeout / error.

rietx options (`--rietx`, default `five_systems`, chosen by the measurements below):
  * the instrument declared as simulated: `Instrument.bragg_brentano(radiation='CuKa')` with our Kα1/Kα2 wavelengths
    (1.54056/1.54439 Å, ratio 0.5) and the simulation's TCHZ widths (U = W = 0.004 deg², V = 0, X = 0.9 λ/200 nm in
    degrees, Y = 0), so its peak picking is seeded with the true width law;
  * `data=` and `instrument=`: rietx picks its own peaks (fitted positions with esds, which its engines weight each line
    by; our `find_peaks_2theta` positions refitted by `rx.fit_peaks` gave fewer lines and no better answer) and
    validates the shortlist by Le Bail fits — without validation every candidate caps at "medium" and rietx never
    picks;
  * all three engines (dichotomy, svd, trial_error): rietx's "high" means every engine that ran found the lattice, and
    a candidate found by one engine grades "low", so one engine would never pick either;
  * the search restricted to the lattices ours searches, `SearchSpec(systems=('cubic', 'hexagonal', 'trigonal',
    'tetragonal', 'orthorhombic'))` (ours: cubic, tetragonal, hexagonal — which holds the trigonal lattices — and
    orthorhombic); rietx's default adds monoclinic and triclinic;
  * the `quick` preset, rietx's default: a whole-run ceiling of 120 s, after which it returns what it has and says so
    (INDEX_BUDGET_EXHAUSTED; `systems_searched`/`search_complete` show where it stopped). `--timeout` (180 s) is the
    hard stop beyond it. `preset='full'` (no ceiling, 30 s per engine × system) is `--rietx five_systems_full`; it needs
    `--timeout 900` and a separate --out;
  * not given: the formula (ours gets none; `SearchSpec.from_formula` would narrow rietx's volume window) nor the true
    crystal system (`--rietx true_system` does, as a bound on what knowing it buys).

Measured (`--try-options`, one nice'd process on 2 cores shared with another benchmark, load 3–6: read the times as
upper bounds, ours slowed alike). Rank of the correct cell in rietx's list / confidence of its first candidate /
seconds of its index_pattern call; ours was rank 1 on all, in 7–15 s:

  | option set                         | ScS cubic F, 9 lines | UAl3Pd2 hexagonal, 39 lines | BaCuS2 orthorhombic, 84 lines |
  |------------------------------------|----------------------|-----------------------------|-------------------------------|
  | default (7 systems, quick)         | 1 / low / 18.1       | 1 / low / 123.7 (ceiling)   | none / low / 127.1 (ceiling in tetragonal) |
  | five_systems (chosen)              | 1 / low / 19.4       | 1 / low / 124.0 (ceiling)   | none / low / 126.0 (ceiling in tetragonal) |
  | five_systems_our_peaks             | 1 / low / 17.9       | 1 / low / 122.4 (ceiling)   | none / low / 123.3 (ceiling in trigonal)   |
  | true_system (unfair: told it)      | 1 / low / 17.7       | 1 / low / 27.5              | 1 / low / 126.9 (ceiling in orthorhombic)  |
  | five_systems_full (no ceiling)     |                      |                             | 1 / low / 566.8               |

  five_systems also: ZrC (cubic F, 10 lines) 1 / medium / 68.3; Rb2CrF6 (cubic F, 29 lines) 1 / low / 121.5 (ceiling).
  On these patterns the 7-system default never got past orthorhombic, so restricting the systems changed nothing but
  keeps rietx's search to ours; no option set made rietx pick a cell (`best_or_none()` was None on all 15 runs).

Reading the results. rietx's "high" needs a candidate with no caveat at all, and `fom_panel_disagrees` — its figures of
merit put different candidates first, which a sub- or supercell in the list nearly always causes — is a result-level
*refuting* caveat that grades every candidate "low"; below 20 lines `fom_panel_reduced` caps at "medium". So expect
"picked" near zero and read rietx's ranks: "top-1" and "anywhere in its list" (up to 12 candidates). rietx lists one
lattice as both hexagonal P and trigonal P (and an orthorhombic cell in two axis orders from two engines) as separate
candidates, which can push a correct cell down a rank. Job 187 (H3BrO, labelled trigonal in the data set) is
monoclinic in its conventional cell, so neither program, both searching no lower than orthorhombic, can find it.
Time: the run takes about 2.5 min a pattern (rietx 18–127 s, hitting its 120 s ceiling on most patterns with more than
~20 lines, ours 6–15 s, ~7 s of rietx imports), about 75 min for the 32 patterns with a free core.
"""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import resumable_run, record

SYSTEMS5 = ('cubic', 'hexagonal', 'trigonal', 'tetragonal', 'orthorhombic')
RIETX = dict(systems=SYSTEMS5, engines=None, peaks='rietx', validate=True, preset=None)   # the run's options (five_systems)
OPTION_SETS = {                                                     # what --try-options compares
    'default': dict(systems=None, engines=None, peaks='rietx', validate=True, preset=None),
    'five_systems': RIETX,
    'five_systems_our_peaks': dict(RIETX, peaks='ours'),
    'five_systems_full': dict(RIETX, preset='full'),
    'true_system': dict(RIETX, systems='truth'),
    'trial_error_only': dict(RIETX, engines=('trial_error',)),   # not measured: one engine grades every candidate low
}
THREAD_VARS = ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS', 'RIETX_COMPILED_THREADS', 'NUMBA_NUM_THREADS')

def first_true(v:list):
    return v.index(True) + 1 if any(v) else None

def ranks(cells:list, truth)->dict:
    "Rank of the first cell equal to `truth` (12_index's `same_cell`), and with the lengths in any order."
    from deep_xtal.index import same_cell
    truth = [float(v) for v in truth]
    return dict(rank=first_true([same_cell(c, truth) for c in cells]),
                rank_any_axes=first_true([same_cell(sorted(c[:3]) + list(c[3:]), sorted(truth[:3]) + truth[3:]) for c in cells]))

# ---------------------------------------------------------------- rietx, in a child process
def rietx_instrument():
    "Bragg–Brentano Cu Kα as simulated: our Kα1/Kα2 wavelengths (ratio 0.5) and the simulation's TCHZ widths."
    import math, rietx as rx
    from deep_xtal import core
    src = core.xray_source('CuKa')
    lam1, (lam2, ratio) = src.lambda1, src.kalpha2
    inst = rx.Instrument.bragg_brentano(radiation='CuKa', ka2_ratio=ratio)
    lines = [l.model_copy(update=dict(wavelength=l.wavelength.model_copy(update=dict(value=float(lam)))))
             for l, lam in zip(inst.source.lines, (lam1, lam2))]
    x_scherrer = math.degrees(0.9*lam1/(10*200.))                  # Lorentzian FWHM·cosθ of a 200 nm crystallite, degrees
    prof = inst.profile
    prof = prof.model_copy(update={k: getattr(prof, k).model_copy(update=dict(value=v))
                                   for k, v in dict(u=0.004, v=0., w=0.004, x=x_scherrer, y=0.).items()})
    return inst.model_copy(update=dict(source=inst.source.model_copy(update=dict(lines=lines)), profile=prof))

def _fom(c, name):
    return next((round(f.value, 2) for f in c.fom if f.name.lower() == name.lower()), None)

def rietx_child(npz:str, opts:dict)->dict:
    "Index the pattern in `npz` with rietx and `opts` (runs in the child; one thread)."
    import numpy as np, rietx as rx
    from rietx.indexing import SearchSpec, index_pattern
    p = np.load(npz)
    data = rx.PatternData(two_theta=p['x'].tolist(), intensity=p['y'].tolist(), sigma=p['sigma'].tolist())
    inst = rietx_instrument()
    systems = opts.get('systems')
    if systems == 'truth': systems = (opts['true_system'],)
    spec = SearchSpec(systems=tuple(systems)) if systems else None
    t0 = time.time()
    if opts.get('peaks') == 'ours':
        from deep_xtal.extract import powder_data
        from deep_xtal.index import find_peaks_2theta
        pos = find_peaks_2theta(powder_data(p['x'], p['y'], p['sigma'], 'CuKa', 'pattern')).two_theta
        peaks = rx.fit_peaks(data, inst, np.asarray(pos))
    else: peaks = None
    res = index_pattern(peaks, data=data, instrument=inst, spec=spec, engines=opts.get('engines'),
                        validate=opts.get('validate', True), preset=opts.get('preset'))
    t = time.time() - t0
    best = res.best_or_none()
    cands = [dict(system=c.system, centring=c.centring, cell=[round(float(v), 5) for v in c.cell], confidence=c.confidence,
                  found_by=list(c.found_by), n_indexed=c.n_indexed, n_lines=c.n_lines, m20=_fom(c, 'M20'),
                  lebail_rwp=(round(c.lebail.rwp, 4) if c.lebail is not None and np.isfinite(c.lebail.rwp) else None),
                  caveats=[str(k) for k in c.confidence_caveats][:6]) for c in res.candidates]
    return dict(index_s=t, candidates=cands, picked=best is not None, picked_cell=list(best.cell) if best is not None else None,
                top_confidence=cands[0]['confidence'] if cands else None, engines_run=list(res.engines_run),
                systems_searched=list(res.systems_searched), search_complete=dict(res.search_complete), preset=res.preset,
                n_usable_lines=res.n_usable_lines, diagnostics=sorted({d.code for d in res.diagnostics}))

def run_rietx(pattern:dict, opts:dict, timeout:float)->dict:
    "rietx on `pattern` in a child process (one thread); {'timeout': True} when it runs past `timeout` seconds."
    import numpy as np
    env = dict(os.environ, RIETX_TELEMETRY='0', **{v: '1' for v in THREAD_VARS})
    with tempfile.TemporaryDirectory() as d:
        npz = str(Path(d)/'pattern.npz')
        np.savez(npz, x=pattern['x'], y=pattern['y'], sigma=pattern['sigma'])
        t0 = time.time()
        try:
            p = subprocess.run([sys.executable, __file__, '--rietx-child', npz, json.dumps(opts)], capture_output=True,
                               text=True, timeout=timeout, env=env, cwd=d)   # cwd: any file rietx writes goes with d
        except subprocess.TimeoutExpired:
            return dict(timeout=True, index_s=None, wall_s=time.time() - t0)
        wall = time.time() - t0
    lines = [l for l in p.stdout.splitlines() if l.startswith('{')]
    if p.returncode or not lines:
        return dict(error=f"rietx child exit {p.returncode}: {p.stderr.strip()[-800:]}", index_s=None, wall_s=wall)
    return dict(json.loads(lines[-1]), wall_s=wall)

# ---------------------------------------------------------------- one pattern, both programs
def one(job:dict, opts:dict|None=None)->dict:
    import numpy as np, torch
    torch.set_num_threads(1)
    from deep_xtal.extract import powder_data
    from deep_xtal.index import index_pattern
    from indexing import simulate                                      # the same patterns as bench/indexing.py
    s, i = job['structure'], job['pattern_seed']
    opts = dict(opts or job.get('rietx_options') or RIETX, true_system=job['system'])   # true_system: read by 'truth' only
    truth = [round(float(v), 5) for v in s.lattice.parameters]
    out = dict(name=job['name'], seed=i, system=job['system'], formula=s.composition.reduced_formula, cell=truth,
               rietx_options={k: v for k, v in opts.items() if k != 'true_system'})
    def body(out):
        p = simulate(s, i)
        out.update(p['info'])
        t0 = time.time()
        try:
            cands = index_pattern(powder_data(p['x'], p['y'], p['sigma'], 'CuKa', job['name']), top=5)
            ours = dict(candidates=[dict(system=c.system, centring=c.centring, cell=[round(v, 5) for v in c.cell],
                                         m20=round(c.m20, 2), indexed=c.indexed, n_lines=c.n_lines, zero=c.zero_shift) for c in cands])
        except Exception as e: ours = dict(candidates=[], error=f"{type(e).__name__}: {e}")
        ours['index_s'] = time.time() - t0
        ours.update(ranks([c['cell'] for c in ours['candidates']], truth))
        rx = run_rietx(p, opts, job.get('timeout', 180.))
        if 'candidates' in rx:
            rx.update(ranks([c['cell'] for c in rx['candidates']], truth))
            if rx['picked']: rx['picked_correct'] = ranks([rx['picked_cell']], truth)['rank_any_axes'] == 1
        out.update(ours=ours, rietx=rx)
    return record(out, body)

# ---------------------------------------------------------------- report
def correct_rank(r:dict, prog:dict):
    "The rank that counts: lengths in any order for orthorhombic cells (the programs order a b c differently), as given otherwise."
    return prog.get('rank_any_axes') if r['system'] == 'orthorhombic' else prog.get('rank')

def summary(paths:list):
    import numpy as np
    rows = [json.loads(l) for p in paths for l in Path(p).read_text().splitlines() if l.strip()]
    rows = [r for r in rows if 'ours' in r]
    med = lambda t: f"{np.median(t):.1f} / {max(t):.1f}" if t else "–"
    print("| system | patterns | ours: top-1 correct | rietx: top-1 correct | rietx: picked a cell (correct) | rietx: correct anywhere "
          "in its list | ours: median / worst s | rietx: median / worst s | time rietx/ours (median of ratios) | rietx timeouts / errors |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for s in (*SYSTEMS5, 'all'):
        rs = [r for r in rows if s in ('all', r['system'])]
        if not rs: continue
        ok = lambda r, k: correct_rank(r, r[k]) == 1
        rx_done = [r for r in rs if r['rietx'].get('index_s') is not None]
        rx_t = [r['rietx']['index_s'] for r in rx_done] + [r['rietx']['wall_s'] for r in rs if r['rietx'].get('timeout')]
        ratio = [r['rietx']['index_s']/max(r['ours']['index_s'], 1e-3) for r in rx_done]
        picked = [r for r in rs if r['rietx'].get('picked')]
        print(f"| {s} | {len(rs)} | {sum(ok(r, 'ours') for r in rs)} | {sum(ok(r, 'rietx') for r in rs)} | "
              f"{len(picked)} ({sum(bool(r['rietx'].get('picked_correct')) for r in picked)}) | "
              f"{sum(correct_rank(r, r['rietx']) is not None for r in rs)} | {med([r['ours']['index_s'] for r in rs])} | {med(rx_t)} | "
              f"{np.median(ratio):.0f}× | {sum(bool(r['rietx'].get('timeout')) for r in rs)} / {sum('error' in r['rietx'] for r in rs)} |"
              if ratio else f"| {s} | {len(rs)} | {sum(ok(r, 'ours') for r in rs)} | – | – | – | {med([r['ours']['index_s'] for r in rs])} "
              f"| {med(rx_t)} | – | {sum(bool(r['rietx'].get('timeout')) for r in rs)} / {sum('error' in r['rietx'] for r in rs)} |")
    print("\nCounts of patterns. Correct: 12_index's same_cell (lengths 0.3 %, angles 0.1°), orthorhombic with the lengths in any order. "
          "'picked': rietx's best_or_none() returned a cell (one candidate of confidence 'high'); rietx times are its "
          "index_pattern call (peak picking, search, Le Bail validation), a timeout counted at its wall time.")
    conf = {}
    for r in rows: conf[r['rietx'].get('top_confidence')] = conf.get(r['rietx'].get('top_confidence'), 0) + 1
    print(f"rietx's top-candidate confidence: {conf}; errors (whole job): {sum('error' in r for r in rows)}")

def line(r:dict)->str:
    o, x = r.get('ours', {}), r.get('rietx', {})
    rx = ('timeout' if x.get('timeout') else x.get('error', '')[:60] if 'error' in x else
          f"rank {correct_rank(r, x)} picked {x.get('picked')} top {x.get('top_confidence')} {x.get('index_s', 0):.1f} s")
    return (f"{r['name']:>12} {r['system']:>12} {r['formula']:>10} | ours rank {correct_rank(r, o) if o else None} "
            f"{o.get('index_s', 0):.2f} s | rietx {rx} {r.get('error', '')[:60]}")

def subset(n:int, max_atoms:int, every:int, offset:int=0, only=None)->list:
    "Every `every`-th job of bench/indexing.py's list, with its index there as `pattern_seed`."
    from indexing import jobs
    js = [dict(j, pattern_seed=i) for i, j in enumerate(jobs(n, max_atoms))]
    return [j for j in js[offset::every] if only is None or j['name'] in only]

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--n', type=int, default=100, help="bench/indexing.py's --n (its job list, hence the seeds)")
    ap.add_argument('--max-atoms', type=int, default=60, help="bench/indexing.py's --max-atoms")
    ap.add_argument('--every', type=int, default=11, help='take every k-th pattern of that list (odd: both impurity cases)')
    ap.add_argument('--offset', type=int, default=0)
    ap.add_argument('--names', nargs='*', help='only these structures (names as in the job list)')
    ap.add_argument('--timeout', type=float, default=180., help='seconds per rietx call before it is killed')
    ap.add_argument('--rietx', default='five_systems', choices=list(OPTION_SETS), help='rietx option set (see above)')
    ap.add_argument('--out', default='bench/results/indexing_rietx.jsonl')
    ap.add_argument('--summary', nargs='*')
    ap.add_argument('--try-options', nargs='*', help=f"time these rietx option sets ({', '.join(OPTION_SETS)}) on the "
                    "chosen patterns instead of running the benchmark; writes --out with one row per (pattern, option set)")
    ap.add_argument('--rietx-child', nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.rietx_child:
        print(json.dumps(rietx_child(a.rietx_child[0], json.loads(a.rietx_child[1])))); return
    if a.summary: return summary(a.summary)
    todo = subset(a.n, a.max_atoms, a.every, a.offset, set(a.names) if a.names else None)
    for j in todo: j.update(timeout=a.timeout, rietx_options=OPTION_SETS[a.rietx])
    if a.try_options is not None:
        todo = [dict(j, name=f"{j['name']}|{o}", rietx_options=OPTION_SETS[o]) for j in todo for o in (a.try_options or OPTION_SETS)]
    print(', '.join(f"{s} {sum(j['system'] == s for j in todo)}" for s in SYSTEMS5), flush=True)
    summary([resumable_run(one, todo, a.out, line, 1)])

if __name__ == '__main__': sys.exit(main())
