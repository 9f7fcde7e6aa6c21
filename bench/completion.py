"""Structure completion on simulated laboratory measurements of validation crystals (issue 13's acceptance run).

    python bench/completion.py --system Cubic --n 100 --out bench/results/completion_cubic.jsonl
    python bench/completion.py --system Trigonal --n 100 --out bench/results/completion_trigonal.jsonl
    python bench/completion.py --system Cubic --n 30 --anode MoKa --out bench/results/completion_cubic_mo.jsonl
    python bench/completion.py --summary bench/results/completion_cubic.jsonl [more files]

For each of the first N validation crystals of a crystal system (`mp_cubic_trigonal`, the paper's val lists) with at most
`--max-atoms` atoms in the conventional cell, it simulates a lab measurement (13_solve's `simulated_measurement`: Kα
doublet, Caglioti and Scherrer widths, sloping background, Poisson counts, B = 0.5 Å², a seed per crystal), runs the
bundled network (16 latent samples), decomposes the pattern in the true cell, and completes the structure (11_refine) with
the space groups ranked from the absences and Z estimated from the volume (or the true ones: `--groups truth`, `--z truth`).
It records, per crystal and per stage of the pipeline — the raw network, + symmetry (the mean projected onto the true
group after the origin search), + observed amplitudes (the data-consistent density), + refinement — the SSIM of the
density against the truth's procrystal density (B = 2 Å², the paper's protocol after aligning the origin) and whether
the atoms match (StructureMatcher, 07_metrics' settings); the refined Rwp beside the Rwp of the true structure refined in
the same way; the electron count; the wall time. `--ablation` adds the same completion started from a random density
instead of the network's; `--control` gives each crystal another crystal's pattern (the atoms of the next crystal of another space group, so of
another structure type, in this crystal's cell, so that it indexes) and records whether the pipeline still "finds" this
crystal, and at what Rwp.

Results are appended to a jsonl file as they come (re-running resumes); `--summary` prints the tables for BENCHMARKS.md;
`--redo-unmatched` reruns the crystals not matched (after a change to refinement), `--redo-changed` also those whose
screened (group, Z) the per-centring Z changed.
Runs `--workers` processes of one thread each.
"""
import argparse, json, math, os, sys, time, traceback
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import shared_data, conventional_cells


def crystals(system:str, n:int, max_atoms:int)->list:
    path = shared_data()/'mp_cubic_trigonal'/'paper_train_val_structures.jsonl.gz'
    return conventional_cells(path, n, max_sites=max_atoms, where=lambda r: r['paper_split'] == 'val' and r['paper_system'] == system)


def _ssim_aligned(grid, gt):
    from deep_xtal.metrics import paper_metrics, align
    return paper_metrics(align(grid, gt)[0][None], gt)['ssim']


def _atoms_match(grid, structure, z):
    from deep_xtal.metrics import atoms_from_density, match_structures
    try: return match_structures(atoms_from_density(grid, structure.lattice, structure.composition.reduced_composition, z), structure)[0]
    except Exception: return False


def one(job:dict)->dict:
    "Every figure of one crystal."
    import torch, numpy as np
    torch.set_num_threads(1)
    from deep_xtal.structures import batch_structures
    from deep_xtal.cmed import procrystal_density
    from deep_xtal.metrics import paper_metrics, match_structures
    from deep_xtal.symmetry import space_group, symmetrize, find_origin, to_origin
    from deep_xtal.extract import powder_data, pawley, rank_space_groups, observed_intensities, data_consistent_density, formula_units
    from deep_xtal.refine import complete_structure, rietveld, model_from_structure, refined_density, _grid_F2, groups_to_try, group_z_values, model_shortest_distance
    from deep_xtal.solve import solve, simulated_measurement, cell_formula_units, MORE_GROUPS
    import spglib
    name, s, a = job['name'], job['structure'], job['args']
    out = dict(name=name, formula=s.composition.reduced_formula, n_atoms=len(s), control=bool(job.get('control')))
    t0 = time.time()
    try:
        cell = s.lattice
        ds = spglib.get_symmetry_dataset((cell.matrix, s.frac_coords, [x.Z for x in s.species]), symprec=0.01)
        sg = int(ds.number); out['space_group'] = sg
        comp = s.composition.reduced_composition
        z_true = int(round(s.composition.num_atoms/comp.num_atoms)); out['z_true'] = z_true
        target = job.get('pattern_of', s)                              # the control: another crystal's atoms in this cell
        meas = simulated_measurement(target, a['anode'], b_iso=0.5, seed=job['seed'])
        if job.get('only_if_changed') and job.get('matched_before') and not _plan_changed(meas, cell, comp, a['anode'], name): return None
        sol = solve(meas, comp.formula, a['anode'], cell=cell, n_samples=a['samples'], refine=False, progress=None)
        gt = procrystal_density(batch_structures([s], dtype='float64'), 50)[0]
        out['ssim_network_paper'] = paper_metrics(sol.samples, gt)['ssim']
        out['ssim_network'] = _ssim_aligned(sol.mean, gt); out['match_network'] = _atoms_match(sol.mean, s, z_true)
        t1 = time.time(); out['time_network'] = t1 - t0
        data = powder_data(meas.x, meas.y, meas.esd, a['anode'], name)
        ex = pawley(data, cell, space_group(sg).crystal_system if a['groups'] == 'truth' else None)
        out['pawley_rwp'] = ex.fom['rwp']
        rows = rank_space_groups(ex)
        ranked = [r['number'] for r in rows if r['consistent']]
        out['true_group_rank'] = ranked.index(sg) + 1 if sg in ranked else None
        zs = [z_true] if a['z'] == 'truth' else None          # None: each group's own Z, from the volume and its centring, as solve does
        if zs is None: cell_formula_units(cell, comp)          # solve refuses a cell that no Z fits
        groups = [sg] if a['groups'] == 'truth' else [r['number'] for r in groups_to_try(rows, comp, zs, 4, more=MORE_GROUPS, volume=cell.volume)]
        out['z_tried'] = {str(g): group_z_values(g, cell.volume, comp, zs) for g in groups}
        n_e = z_true*sum(el.Z*n for el, n in comp.items())
        m, _, _ = find_origin(sol.mean, sg, cell)
        sym = symmetrize(to_origin(sol.mean*(n_e/(float(sol.mean.mean())*cell.volume)), m), sg, cell)
        out['ssim_symmetrized'] = _ssim_aligned(sym, gt); out['match_symmetrized'] = _atoms_match(sym, s, z_true)
        obs = observed_intensities(ex, sg, _grid_F2(sol.mean, cell))
        dc = data_consistent_density(sol.mean, obs, cell, n_e)
        out['ssim_data_consistent'] = _ssim_aligned(dc['density'], gt); out['match_data_consistent'] = _atoms_match(dc['density'], s, z_true)
        out['d_min'] = dc['d_min']
        t2 = time.time()
        c = complete_structure(data, ex, comp, sol.mean, groups, zs, max_groups=4)
        out['time_completion'] = time.time() - t2
        if c.best is None: out.update(matched=False, error='; '.join(c.messages))
        else:
            r = c.best
            out['shortest_distance'] = model_shortest_distance(r.model)
            out.update(group_found=r.model.group.number, z_found=r.z, rwp=r.fom['rwp'], gof=r.fom['gof'], n_params=r.fom['n_params'],
                       matched=match_structures(r.structure(), s)[0], electrons=float(sum(x.specie.Z for x in r.structure())),
                       electrons_true=float(sum(x.specie.Z for x in s)))
            rd = refined_density(r, 50)
            out['ssim_refined'] = _ssim_aligned(rd, gt)
            out['electrons_refined_grid'] = float(rd.mean())*cell.volume
        try:
            tr = rietveld(data, model_from_structure(s, sg), ex.profile, ex.n_background)
            out['rwp_true_structure'] = tr.fom['rwp']
        except Exception as e: out['rwp_true_structure'] = None; out['true_refine_error'] = repr(e)
        if a['ablation']:
            g = torch.Generator().manual_seed(job['seed'])
            rnd = torch.rand(sol.mean.shape, generator=g, dtype=torch.float64)
            cr = complete_structure(data, ex, comp, rnd, groups, zs, max_groups=4)
            out['matched_random_start'] = bool(cr.best is not None and match_structures(cr.best.structure(), s)[0])
            out['rwp_random_start'] = cr.best.fom['rwp'] if cr.best else None
            if cr.best is not None: out['ssim_random_start'] = _ssim_aligned(refined_density(cr.best, 50), gt)
            dcr = data_consistent_density(rnd, obs, cell, n_e)
            out['ssim_random_data_consistent'] = _ssim_aligned(dcr['density'], gt)
    except Exception as e:
        out['error'] = f"{type(e).__name__}: {e}"; out['traceback'] = traceback.format_exc()[-1500:]
        out.setdefault('matched', False)
    out['time_s'] = time.time() - t0
    return out


def _plan_changed(meas, cell, comp, anode, name)->bool:
    """Whether the (group, Z) screened by completion differ between Z from the volume alone (P centring, every group, as up to
    commit 198e854) and each group's own centring (`group_z_values`): the crystals to rerun."""
    from deep_xtal.extract import powder_data, pawley, rank_space_groups, cell_composition
    from deep_xtal.refine import groups_to_try, group_z_values, can_hold
    from deep_xtal.solve import cell_formula_units, MORE_GROUPS
    ex = pawley(powder_data(meas.x, meas.y, meas.esd, anode, name), cell, None)
    rows = rank_space_groups(ex)
    plan = lambda zs: [(r['number'], [z for z in group_z_values(r['number'], cell.volume, comp, zs) if can_hold(r['number'], cell_composition(comp, z))])
                       for r in groups_to_try(rows, comp, zs, 4, more=MORE_GROUPS, volume=cell.volume)]
    return plan(cell_formula_units(cell, comp)) != plan(None)


def _rows(path)->list:
    "The rows of a results file, the last one of each crystal (a crystal rerun with `--redo-changed` appears twice)."
    last = {}
    for l in Path(path).read_text().splitlines():
        if l.strip(): r = json.loads(l); last[r['name']] = r
    return list(last.values())


def summary(paths:list):
    "Tables of the figures over crystals."
    import numpy as np
    for p in paths:
        rows = _rows(p)
        n = len(rows)
        mean = lambda k: np.nanmean([r[k] for r in rows if r.get(k) is not None]) if any(r.get(k) is not None for r in rows) else float('nan')
        frac = lambda k: sum(bool(r.get(k)) for r in rows)/n if n else float('nan')
        print(f"\n{p}: {n} crystals")
        print("| stage | mean SSIM (aligned, paper protocol) | atoms matched |")
        print("|---|---|---|")
        print(f"| raw network (paper protocol, best of samples, no alignment) | {mean('ssim_network_paper'):.3f} | – |")
        for k, lab in (('network', 'raw network mean'), ('symmetrized', '+ symmetry'), ('data_consistent', '+ observed amplitudes'),
                       ('refined', '+ atoms and refinement')):
            mk = 'matched' if k == 'refined' else f'match_{k}'
            print(f"| {lab} | {mean('ssim_' + k):.3f} | {frac(mk):.2f} |")
        if any('matched_random_start' in r for r in rows):
            print(f"| same pipeline from a random start | {mean('ssim_random_start'):.3f} | {frac('matched_random_start'):.2f} |")
        ratio = [r['rwp']/r['rwp_true_structure'] for r in rows if r.get('rwp') and r.get('rwp_true_structure')]
        el = [abs(r['electrons_refined_grid']/r['electrons_true'] - 1) for r in rows if r.get('electrons_refined_grid')]
        print(f"Rwp / Rwp(true structure refined alike): median {np.median(ratio):.3f}, ≤ 1.2 for {np.mean(np.array(ratio) <= 1.2):.2f} "
              f"of {len(ratio)}; ∫ρ dV within 1 %: {np.mean(np.array(el) < 0.01):.2f} of {len(el)} (max deviation {max(el, default=0):.4f})")
        print(f"true group among the consistent ones: rank 1 for {frac_rank(rows, 1):.2f}, top 4 for {frac_rank(rows, 4):.2f}; "
              f"group found = true group for {sum(r.get('group_found') == r.get('space_group') for r in rows)/n:.2f}; "
              f"Z found = true Z for {sum(r.get('z_found') == r.get('z_true') for r in rows)/n:.2f}")
        from deep_xtal.solve import RWP_RATIO_WARN
        from deep_xtal.refine import MIN_DISTANCE
        good = [r for r in rows if _good(r)]
        print(f"structure verdict 'good' (refined Rwp ≤ {RWP_RATIO_WARN} × Pawley Rwp, no atoms closer than {MIN_DISTANCE} Å): {len(good)} of {n}; atoms matched among them "
              f"{sum(bool(r.get('matched')) for r in good)}, among the others {sum(bool(r.get('matched')) for r in rows if r not in good)} of {n - len(good)}")
        if any(r.get('control') for r in rows): control_summary(rows)
        t = [r['time_s'] for r in rows]
        print(f"time per crystal: median {np.median(t):.0f} s, max {max(t):.0f} s; errors: {sum('error' in r for r in rows)}")


def _good(r:dict)->bool:
    "`solve`'s structure verdict: refined Rwp ≤ RWP_RATIO_WARN × the Pawley Rwp and no two atoms closer than MIN_DISTANCE (rows before that check: Rwp only)."
    from deep_xtal.solve import RWP_RATIO_WARN
    from deep_xtal.refine import MIN_DISTANCE
    return bool(r.get('rwp') and r.get('pawley_rwp') and r['rwp'] <= RWP_RATIO_WARN*r['pawley_rwp'] and r.get('shortest_distance', MIN_DISTANCE) >= MIN_DISTANCE)


def control_summary(rows:list):
    "The control's figures: how often the pipeline 'finds' the crystal whose pattern it was not given, and whether `solve` accepts it."
    import numpy as np
    from deep_xtal.solve import RWP_RATIO_WARN
    q = {r['name']: r['rwp']/r['pawley_rwp'] for r in rows if r.get('rwp') and r.get('pawley_rwp')}
    acc = [r for r in rows if _good(r)]
    m, ma = [r for r in rows if r.get('matched')], [r for r in acc if r.get('matched')]
    print(f"control: matched {len(m)} of {len(rows)} ({len(m)/len(rows):.2f}); matched with a structure verdict of 'good' "
          f"(refined Rwp ≤ {RWP_RATIO_WARN} × the Pawley Rwp, as `solve` judges it) {len(ma)} of {len(rows)} ({len(ma)/len(rows):.2f}); "
          f"refined / Pawley Rwp: median {np.median(list(q.values())):.2f}, min {min(q.values()):.2f}; of the matched: "
          + ', '.join(f"{r['formula']} {q.get(r['name'], float('nan')):.2f}" for r in m))


def _group(s)->int:
    import spglib
    return int(spglib.get_symmetry_dataset((s.lattice.matrix, s.frac_coords, [x.Z for x in s.species]), symprec=0.01).number)


def frac_rank(rows, k): return sum(1 for r in rows if r.get('true_group_rank') and r['true_group_rank'] <= k)/max(len(rows), 1)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--system', default='Cubic', choices=('Cubic', 'Trigonal'))
    ap.add_argument('--n', type=int, default=100)
    ap.add_argument('--max-atoms', type=int, default=20)
    ap.add_argument('--anode', default='CuKa')
    ap.add_argument('--samples', type=int, default=16)
    ap.add_argument('--groups', default='ranked', choices=('ranked', 'truth'))
    ap.add_argument('--z', default='estimate', choices=('estimate', 'truth'))
    ap.add_argument('--ablation', action='store_true', help='also complete from a random start density')
    ap.add_argument('--control', action='store_true', help="give each crystal the next crystal's atoms (in this crystal's cell)")
    ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--out', default=None)
    ap.add_argument('--summary', nargs='*')
    ap.add_argument('--redo-changed', action='store_true', help="rerun the crystals of the results file that were not matched, or whose "
                    "screened (group, Z) differ from Z by volume alone (P centring); their new rows are appended and count in --summary")
    ap.add_argument('--redo-unmatched', action='store_true', help="rerun the crystals of the results file that were not matched "
                    "(after a change to refinement); their new rows are appended and count in --summary")
    a = ap.parse_args(argv)
    if a.summary: return summary(a.summary)
    out = Path(a.out or f'bench/results/completion_{a.system.lower()}.jsonl'); out.parent.mkdir(parents=True, exist_ok=True)
    done = {r['name']: r for r in _rows(out)} if out.exists() else {}
    matched_before = {n for n, r in done.items() if r.get('matched')}
    if a.redo_changed: done = {}
    if a.redo_unmatched: done = {n: r for n, r in done.items() if r.get('matched')}
    cells = crystals(a.system, a.n, a.max_atoms)
    args = dict(anode=a.anode, samples=a.samples, groups=a.groups, z=a.z, ablation=a.ablation)
    jobs = []
    for i, (name, s) in enumerate(cells):
        if name in done: continue
        job = dict(name=name, structure=s, args=args, seed=i, control=a.control, only_if_changed=a.redo_changed,
                   matched_before=name in matched_before)
        if a.control:                       # the next crystal of another space group (so of another structure type)
            other = next((c for k in range(1, len(cells)) for c in [cells[(i + k) % len(cells)][1]] if _group(c) != _group(s)), cells[(i + 1) % len(cells)][1])
            from pymatgen.core import Structure
            job['pattern_of'] = Structure(s.lattice, other.species, other.frac_coords)
        jobs.append(job)
    print(f"{len(cells)} crystals, {len(done)} done, {len(jobs)} to go; writing {out}", flush=True)
    import multiprocessing as mp
    with mp.get_context('spawn').Pool(a.workers) as pool, open(out, 'a') as f:
        for r in pool.imap_unordered(one, jobs):
            if r is None: continue                              # --redo-changed: this crystal's screening is unchanged
            f.write(json.dumps(r) + '\n'); f.flush()
            print(f"{r['name']:>12} {r['formula']:>12} matched {r.get('matched')} Rwp {r.get('rwp', float('nan')):.4f} "
                  f"(true {r.get('rwp_true_structure') or float('nan'):.4f}) {r['time_s']:.0f} s {r.get('error', '')[:80]}", flush=True)
    summary([out])


if __name__ == '__main__': sys.exit(main())
