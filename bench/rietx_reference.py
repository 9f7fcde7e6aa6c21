"""Reference Le Bail and Rietveld fits by rietx (MIT, https://rietx.org) on two real lab powder patterns.

What it measures, for LaB6 (NIST SRM 660, Pm-3m) and anglesite PbSO4 (Pnma), both lab Cu Kα1/Kα2 data from
`exp_pxrd/` (see its README.md), doing what rietx's own docs (the agent skill shipped in the wheel,
`rietx/data/skill/rietx/SKILL.md` §1, §2 and §10) tell a new user to do:

1. Le Bail: `mode="lebail"`, plan `profile_only` with `lebail_passes = 8`, background seeded by
   `rx.auto_background(data, seed=True)` (a P-spline), starting widths seeded from `rx.pick_peaks` (SKILL §1).
   Reported: Rwp, GoF, χ², refined a/b/c, zero shift, profile terms, wall time.
2. Rietveld from the CIF: `rx.Instrument.bragg_brentano(radiation="CuKa")` (Kα1/Kα2 doublet, ratio 0.5),
   Chebyshev background from `rx.auto_background(data, kind="chebyshev")`, the same width seed, plan
   `mccusker_structural` (rietx's "worked default", SKILL §10 = `mccusker_default` continued into coordinates,
   Biso, PO, extinction, roughness). Reported: Rwp, GoF, a/b/c, B and Uiso per atom, coordinates, zero shift,
   number of refined parameters, wall time.
3. One least-squares cycle: the weighted residual and the analytic Jacobian at the converged Rietveld state,
   timed directly (rietx has no public Jacobian call, so this uses its private `optimize.least_squares`
   closures, the same ones its solver calls), plus the public-API estimate fit wall time / residual evaluations.
   `wall_s` is the `fit()` call alone; the width seed (`pick_peaks`) and `auto_background` are timed apart.
4. `definitions`: how rietx computes Rwp, GoF, χ², the weights and N, P, quoted from its source.

The CIFs in exp_pxrd are written in P1; rietx reads them as P1, so the asymmetric unit in the standard setting is
recovered with spglib (a rietx dependency) and the space group is checked against the expected one.
Threads: OMP/OpenBLAS/MKL and rietx's kernel pool (`RIETX_COMPILED_THREADS`) are set to `--threads` (default 1)
before numpy is imported. rietx's run telemetry (a `.rietx/` folder in the working directory) is switched off.

    python bench/rietx_reference.py [--out results.json] [--data DIR] [--samples LaB6 PbSO4] [--threads 1]

Needs a Python with rietx installed (`pip install rietx`; rietx 1.10.0 was used; torch is not needed).
Data: DIR, else $DEEP_XTAL_DATA/exp_pxrd, else ../shared/data/exp_pxrd relative to the repository root.
"""
import argparse, json, os, platform, sys, time, warnings
from pathlib import Path

SAMPLES = {
    'LaB6': dict(id='LaB6_NIST660_lab', formula='LaB6', space_group='Pm-3m', certified={'a': 4.15683}),
    'PbSO4': dict(id='PbSO4_lab_CuKa', formula='PbSO4', space_group='Pnma', certified=None),
}
THREAD_VARS = ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS', 'RIETX_COMPILED_THREADS')


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', help='also write the JSON here')
    ap.add_argument('--data', help='folder holding the exp_pxrd files')
    ap.add_argument('--samples', nargs='+', default=list(SAMPLES), choices=list(SAMPLES))
    ap.add_argument('--threads', type=int, default=1, help='BLAS and rietx kernel threads (default 1)')
    ap.add_argument('--cycle-repeats', type=int, default=5, help='repeats of the one-cycle timing (median kept)')
    return ap.parse_args()


def set_threads(n: int) -> dict:
    "Set the thread counts in the environment; must run before numpy/rietx are imported."
    for v in THREAD_VARS: os.environ[v] = str(n)
    os.environ['RIETX_TELEMETRY'] = '0'   # no .rietx/runs/ in the working directory
    return {v: os.environ[v] for v in THREAD_VARS}


def import_rietx():
    try:
        import rietx
    except ImportError:
        sys.exit('rietx is not installed in this Python: pip install rietx')
    return rietx


def data_dir(arg) -> Path:
    if arg: d = Path(arg)
    elif os.environ.get('DEEP_XTAL_DATA'): d = Path(os.environ['DEEP_XTAL_DATA'])/'exp_pxrd'
    else: d = Path(__file__).resolve().parents[1]/'..'/'shared'/'data'/'exp_pxrd'
    if not d.is_dir(): sys.exit(f'data folder not found: {d} (pass --data or set DEEP_XTAL_DATA)')
    return d.resolve()


# ---------------------------------------------------------------- inputs

def symmetrized_structure(rx, cif: Path, expected_sg: str):
    "Read the (P1) CIF with rietx and rebuild it in its space group from the asymmetric unit found by spglib."
    import numpy as np, spglib
    p1 = rx.Structure.from_cif(str(cif)).phases[0]
    c = p1.cell
    if any(abs(getattr(c, k).value - 90) > 1e-6 for k in ('alpha', 'beta', 'gamma')): raise ValueError('non-orthogonal cell')
    lattice = np.diag([c.a.value, c.b.value, c.c.value])
    species = sorted({a.species for a in p1.atoms})
    cell = (lattice, [[a.x.value, a.y.value, a.z.value] for a in p1.atoms], [species.index(a.species) + 1 for a in p1.atoms])
    ds = spglib.get_symmetry_dataset(cell, symprec=1e-3)
    if ds.international != expected_sg: raise ValueError(f'{cif.name}: spglib finds {ds.international}, expected {expected_sg}')
    if not (np.allclose(ds.transformation_matrix, np.eye(3)) and np.allclose(ds.origin_shift, np.round(ds.origin_shift), atol=1e-8)):
        raise ValueError(f'{cif.name}: not in the standard setting; transform the coordinates first')
    reps = sorted(set(int(i) for i in ds.equivalent_atoms))
    phase = rx.Phase(name=cif.name.split('.')[1], space_group=ds.international, cell=p1.cell.model_copy(deep=True),
                     atoms=[p1.atoms[i].model_copy(deep=True) for i in reps])
    info = dict(cif_space_group=p1.space_group, n_sites_p1=len(p1.atoms), space_group=ds.international,
                number=int(ds.number), wyckoff=[ds.wyckoffs[i] for i in reps], symmetrized_with=f'spglib {spglib.__version__}')
    return rx.Structure(phases=[phase]), info


def width_seed(rx, data, limits) -> dict:
    "SKILL §1: H = median FWHM of the 12 strongest picked peaks; W = (0.6 H)², X = 0.6 H."
    import numpy as np
    t = time.perf_counter()
    peaks = rx.pick_peaks(data, rx.Instrument.bragg_brentano(radiation='CuKa'), two_theta_range=limits).peaks
    strong = sorted(peaks, key=lambda p: -p.intensity)[:12]
    h = float(np.median([p.fwhm for p in strong]))
    return dict(median_fwhm_deg=h, w_start=(0.6*h)**2, x_start=0.6*h, n_peaks_picked=len(peaks), wall_s=time.perf_counter() - t)


def lab_instrument(rx, background, seed: dict):
    ins = rx.Instrument.bragg_brentano(radiation='CuKa')
    ins.background = background
    ins.profile.w.value, ins.profile.x.value = seed['w_start'], seed['x_start']
    return ins


# ---------------------------------------------------------------- results

def param_map(result) -> dict:
    return {p.path: (p.value, p.stderr) for p in result.parameters}


def val(pm, path):
    v, e = pm[path]
    return {'value': v, 'esd': e}


def fit_statistics(result) -> dict:
    s = result.statistics
    return dict(status=result.status, rwp=s.rwp, rp=s.rp, rexp=s.rexp, chi2_reduced=s.chi2, gof=s.gof,
                rwp_background_subtracted=s.rwp_background_subtracted, durbin_watson=s.durbin_watson,
                esd_inflation=s.esd_inflation, n_points=s.n_points, n_refined_parameters=s.n_free_parameters)


def cell_and_instrument(pm) -> dict:
    return dict(cell={k: val(pm, f'phases.0.cell.{k}') for k in ('a', 'b', 'c')},
                zero_shift_deg=val(pm, 'instrument.zero_shift'),
                profile={k: val(pm, f'instrument.profile.{k}')['value'] for k in 'uvwxy'})


def diagnostics(result, caught) -> dict:
    "Engine diagnostics (HIGH_CORRELATION only counted) and the Python warnings rietx raised."
    counts, rows = {}, []
    for d in result.diagnostics:
        counts[d.code] = counts.get(d.code, 0) + 1
        if d.code != 'HIGH_CORRELATION': rows.append(f'{d.level} {d.code}: {d.message[:220]}')
    return dict(counts=counts, messages=rows, python_warnings=[str(w.message).split('\n')[0][:220] for w in caught])


def stage_iterations(result) -> list:
    return [[s.name, s.n_iterations, s.status] for s in result.stages]


def background_info(ins) -> dict:
    b = ins.background
    n = len(b.coefficients) if hasattr(b, 'coefficients') else None
    return dict(kind=b.kind, n_coefficients=n, air_scatter=getattr(b, 'air_scatter', None) is not None)


# ---------------------------------------------------------------- the two fits

def run_lebail(rx, data, structure, seed, limits) -> dict:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        tb = time.perf_counter()
        ins = lab_instrument(rx, rx.auto_background(data, seed=True, two_theta_limits=limits).background, seed)
        background_s = time.perf_counter() - tb
        plan = rx.RefinementPlan.profile_only(); plan.lebail_passes = 8
        ref = rx.Refinement(structure.model_copy(deep=True), ins)
        t0, c0 = time.perf_counter(), time.process_time()
        result = ref.fit(data, mode='lebail', plan=plan, two_theta_limits=limits, telemetry=False)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    out = fit_statistics(result)
    out['n_refined_parameters_note'] = 'excludes the Le Bail-extracted reflection intensities (rietx counts them only in Pawley mode)'
    out.update(cell_and_instrument(param_map(result)))
    out.update(wall_s=wall, cpu_s=cpu, background_setup_s=background_s, plan='profile_only', lebail_passes=8, background=background_info(ins),
               stages_nfev=stage_iterations(result), diagnostics=diagnostics(result, caught))
    return out


def run_rietveld(rx, data, structure, seed, limits):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        tb = time.perf_counter()
        ins = lab_instrument(rx, rx.auto_background(data, kind='chebyshev', two_theta_limits=limits).background, seed)
        background_s = time.perf_counter() - tb
        ref = rx.Refinement(structure.model_copy(deep=True), ins)
        t0, c0 = time.perf_counter(), time.process_time()
        result = ref.fit(data, plan='mccusker_structural', two_theta_limits=limits, telemetry=False)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    pm = param_map(result)
    out = fit_statistics(result)
    out.update(cell_and_instrument(pm))
    atoms = []
    for i, a in enumerate(ref.fitted_structure.phases[0].atoms):
        row = dict(label=a.label, species=a.species)
        for k in ('x', 'y', 'z'):
            path = f'phases.0.atoms.{i}.{k}'
            row[k] = val(pm, path) if path in pm else {'value': getattr(a, k).value, 'esd': None, 'fixed_by_symmetry': True}
        row['biso'] = val(pm, f'phases.0.atoms.{i}.biso')
        row['uiso'] = row['biso']['value']/(8*3.141592653589793**2)
        atoms.append(row)
    src = ins.source
    n_eval = sum(s.n_iterations for s in result.stages)
    out.update(atoms=atoms, scale=val(pm, 'phases.0.scale'), wall_s=wall, cpu_s=cpu, background_setup_s=background_s, plan='mccusker_structural',
               refined_paths=[p.path for p in result.parameters if p.vary],
               instrument=dict(wavelengths=[l.wavelength.value for l in src.lines], line_weights=[l.weight.value for l in src.lines],
                               polarization=src.polarization.value, axial_sl=ins.geometry.axial_sl.value,
                               axial_hl=ins.geometry.axial_hl.value, background=background_info(ins)),
               stages_nfev=stage_iterations(result), residual_evaluations=n_eval,
               fit_wall_per_residual_evaluation_s=wall/n_eval, diagnostics=diagnostics(result, caught))
    return out, ref


def time_one_cycle(ref, repeats: int) -> dict:
    "Time one residual + one Jacobian at the converged state (private rietx closures: there is no public Jacobian)."
    import numpy as np
    try:
        from rietx.optimize import least_squares as lsq
        table = ref._prepare_table(restore=True)
        model = ref._model
        residual, jacobian = lsq._make_residual(model, table), lsq._jacobian_for(model, table, 'numpy')
        theta0 = table.x0()
        r, J = residual(theta0), jacobian(theta0)   # warm-up
        tr, tj = [], []
        for k in range(1, repeats + 1):
            # a fresh point each time, as in the solver: rietx memoises blocks on bit-equal inputs, so the residual
            # at a new θ misses its memo and the Jacobian at that same θ then reuses what the residual built
            theta = theta0*(1 + 1e-9*k) + 1e-12*k
            t = time.perf_counter(); residual(theta); tr.append(time.perf_counter() - t)
            t = time.perf_counter(); jacobian(theta); tj.append(time.perf_counter() - t)
        return dict(method='direct: median over fresh points next to the converged Rietveld state of '
                           'rietx.optimize.least_squares._make_residual then _jacobian_for (numpy backend) at the same point, '
                           'on the closing-stage compiled model; excludes the LM linear solve',
                    residual_s=float(np.median(tr)), jacobian_s=float(np.median(tj)),
                    cycle_s=float(np.median(tr) + np.median(tj)), repeats=repeats,
                    residual_rows=int(r.shape[0]), jacobian_shape=list(J.shape))
    except Exception as e:   # private API: may change between rietx versions
        return dict(method='direct timing failed', error=f'{type(e).__name__}: {e}')


# ---------------------------------------------------------------- definitions and environment

def definitions(rx) -> dict:
    return {
        'rwp': 'Rwp = sqrt( sum w (y_obs - y_calc)^2 / sum w y_obs^2 ), over all fitted points; y_obs is the raw '
               'pattern and y_calc includes the background, so the background is in both numerator and denominator '
               '(rietx/optimize/statistics.py: compute_statistics).',
        'weights': 'w = 1/sigma^2 with sigma = the file esd column as read by rx.read_pattern, floored at 1e-3 x its '
                   'median positive value; with no esd column sigma = sqrt(max(y, 1)) (rietx/schemas/pattern.py: '
                   'PatternData.sig, _floor_sigma). Here esd = sqrt(counts), so w = 1/counts.',
        'rp': 'Rp = sum |y_obs - y_calc| / sum y_obs, unweighted (compute_statistics).',
        'rexp': 'Rexp = sqrt( (N - P) / sum w y_obs^2 ) (compute_statistics).',
        'chi2': 'chi2 = sum w (y_obs - y_calc)^2 / (N - P), i.e. reduced chi-squared (compute_statistics).',
        'gof': 'GoF = Rwp / Rexp = sqrt(chi2_reduced) (compute_statistics).',
        'rwp_background_subtracted': 'sqrt( sum w (y_obs - y_calc)^2 / sum w (y_obs - y_bkg)^2 ), same weights (compute_statistics).',
        'n_points_and_parameters': 'N = points inside two_theta_limits and outside excluded regions (rietx/model/forward.py: '
                                   'compile_model); P = free table parameters + Pawley intensities; Le Bail intensities are '
                                   'not counted (rietx/refine.py: _build_result / Refinement._record, _pawley_n).',
        'n_iterations': 'StageResult.n_iterations is the LM driver nfev: residual evaluations, rejected trials and the '
                        'initial one included, not Jacobian evaluations (rietx/optimize/least_squares.py: run_least_squares).',
        'profile': 'TCHZ pseudo-Voigt: Gaussian FWHM^2 = U tan^2(theta) + V tan(theta) + W (deg^2), Lorentzian FWHM = '
                   'X/cos(theta) + Y tan(theta) (rx.help_for("instrument.profile.*")); asymmetry only through the FCJ '
                   'axial terms axial_sl/axial_hl, which the preset leaves at 0 and the McCusker plans do not free.',
        'timing': 'wall_s/cpu_s: the Refinement.fit() call only (the Le Bail one runs up to lebail_passes whole plan '
                  'passes); width_seed.wall_s (rx.pick_peaks) and background_setup_s (rx.auto_background) are separate.',
        'source_version': f'rietx {rx.__version__}',
    }


def environment(rx, threads_env) -> dict:
    import numpy, scipy
    from rietx.model import compiled
    try: import torch; tv = torch.__version__
    except ImportError: tv = None
    try: import rietx_kernels; kv = getattr(rietx_kernels, '__version__', '?')
    except ImportError: kv = None
    n_kernel = compiled.n_threads()
    single = all(v == '1' for v in threads_env.values()) and n_kernel == 1
    return dict(rietx=rx.__version__, rietx_kernels=kv, compiled_kernels_enabled=bool(compiled.enabled()),
                python=platform.python_version(), numpy=numpy.__version__, scipy=scipy.__version__, torch=tv,
                processor=platform.processor() or platform.machine(), platform=platform.platform(), cpu_count=os.cpu_count(),
                thread_env=threads_env, rietx_kernel_threads=n_kernel, single_thread=single,
                telemetry='off (RIETX_TELEMETRY=0, fit(telemetry=False))', backend='numpy', solver='lm (rietx default)')


# ---------------------------------------------------------------- main

def run_sample(rx, d: Path, name: str, repeats: int) -> dict:
    import numpy as np
    cfg = SAMPLES[name]
    data = rx.read_pattern(str(d/f"{cfg['id']}.pattern.csv"))
    structure, sym = symmetrized_structure(rx, d/f"{cfg['id']}.{cfg['formula']}.cif", cfg['space_group'])
    tt = np.asarray(data.two_theta)
    limits = (float(tt.min()), float(tt.max()))
    seed = width_seed(rx, data, limits)
    c = structure.phases[0].cell
    out = dict(pattern=f"{cfg['id']}.pattern.csv", n_points=len(tt), two_theta_limits=list(limits), symmetry=sym,
               start_cell=dict(a=c.a.value, b=c.b.value, c=c.c.value), certified_cell=cfg['certified'], width_seed=seed)
    print(f'[{name}] Le Bail ...', file=sys.stderr, flush=True)
    out['lebail'] = run_lebail(rx, data, structure, seed, limits)
    print(f"[{name}] Le Bail Rwp {out['lebail']['rwp']:.4f} in {out['lebail']['wall_s']:.1f} s; Rietveld ...", file=sys.stderr, flush=True)
    out['rietveld'], ref = run_rietveld(rx, data, structure, seed, limits)
    out['rietveld']['one_cycle'] = time_one_cycle(ref, repeats)
    print(f"[{name}] Rietveld Rwp {out['rietveld']['rwp']:.4f} GoF {out['rietveld']['gof']:.3f} in {out['rietveld']['wall_s']:.1f} s",
          file=sys.stderr, flush=True)
    return out


def main():
    a = parse_args()
    threads_env = set_threads(a.threads)
    rx = import_rietx()
    d = data_dir(a.data)
    res = dict(benchmark='rietx reference Le Bail + Rietveld on exp_pxrd lab Cu Kα patterns', data_dir=str(d),
               environment=environment(rx, threads_env), definitions=definitions(rx),
               samples={name: run_sample(rx, d, name, a.cycle_repeats) for name in a.samples})
    text = json.dumps(res, indent=1, default=str)
    print(text)
    if a.out: Path(a.out).write_text(text + '\n')


if __name__ == '__main__':
    main()
