"""Package a trained solver checkpoint as deep_xtal's bundled model and write its model card.

    python bench/package_model.py runs/solve_cpu/best.pt --systems cubic trigonal \
        --eval runs/solve_cpu/eval_cubic runs/solve_cpu/eval_trigonal \
        --solve runs/lab6_solved/report.json --out deep_xtal/models

Keeps what inference needs (weights, model/batch/train configs, transform, data hash, step) and drops the optimiser,
scheduler and RNG states. The card's figures are read from the evaluation folders (`deep_xtal eval`, results.json) and
from `deep_xtal solve` reports; nothing is typed in by hand.
"""
import argparse, hashlib, json, os, platform, sys
from pathlib import Path
import torch
from pymatgen.core import Composition
from deep_xtal.train import safe_load

KEEP = ('model', 'model_config', 'transform', 'batches', 'train_config', 'run', 'data_hash', 'state', 'version', 'vocabulary', 'crystal_systems')
CARD_METHODS = ('model', 'cell mean', 'mean density', 'random structure', 'formula only')

def cpu_name()->str:
    try:
        for line in Path('/proc/cpuinfo').read_text().splitlines():
            if line.startswith('model name'): return line.split(':', 1)[1].strip()
    except OSError: pass
    return platform.processor() or 'unknown CPU'

def training_time(run:Path, step:int)->tuple:
    "(minutes to `step`, minutes of the whole run, steps of the run, crystals per second) from the run's train.csv."
    import csv
    rows = list(csv.DictReader(open(run/'train.csv')))
    at = [r for r in rows if int(r['step']) <= step][-1]
    return float(at['time'])/60, float(rows[-1]['time'])/60, int(rows[-1]['step']), float(rows[-1]['crystals_per_s'])

def val_curve(run:Path)->list:
    p = run/'val.csv'
    if not p.exists(): return []
    rows = p.read_text().splitlines()
    head = rows[0].split(',')
    return [dict(zip(head, r.split(','))) for r in rows[1:]]

def metrics_table(res:dict)->list:
    s = res['summary']
    f = lambda v: '–' if v is None else f'{v:.3f}'
    lines = ['| method | paper SSIM mean (median) | paper PSNR | strict best SSIM | strict mean SSIM | strict mean PSNR | Rwp median | atoms matched | skill paper / strict mean |',
             '|---|---|---|---|---|---|---|---|---|']
    for m in CARD_METHODS:
        if m not in s: continue
        x = s[m]
        lines.append(f"| {m} | {f(x['paper_ssim']['mean'])} ({f(x['paper_ssim']['median'])}) | {f(x['paper_psnr']['mean'])} | "
                     f"{f(x['best_ssim']['mean'])} | {f(x['mean_ssim']['mean'])} | {f(x['mean_psnr']['mean'])} | "
                     f"{f(x['rwp']['median'] if x.get('rwp') else None)} | {f(x['match_rate'])} | "
                     f"{f(x.get('skill_paper_ssim'))} / {f(x.get('skill_mean_ssim'))} |")
    return lines

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('checkpoint')
    ap.add_argument('--eval', nargs='*', default=[], help='evaluation folders (deep_xtal eval --out)')
    ap.add_argument('--solve', nargs='*', default=[], help='report.json files of deep_xtal solve runs on real data')
    ap.add_argument('--out', default='deep_xtal/models')
    ap.add_argument('--name', default='solve_mp_small.pt')
    ap.add_argument('--hardware', default=None, help='training hardware (default: this machine)')
    ap.add_argument('--systems', nargs='+', default=None, metavar='SYSTEM',
                    help="crystal systems of the training data, recorded as 'crystal_systems' for solve's verdicts (e.g. cubic trigonal)")
    a = ap.parse_args(argv)
    ck = safe_load(a.checkpoint)
    slim = {k: ck[k] for k in KEEP if k in ck}
    if a.systems: slim['crystal_systems'] = [x.lower() for x in a.systems]
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    path = out/a.name
    torch.save(slim, path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    run = Path(a.checkpoint).parent
    step = slim['state']['step']
    minutes, run_minutes, steps, cps = training_time(run, step)
    n_params = sum(v.numel() for v in slim['model'].values() if v.is_floating_point())
    rc, b, t, m = slim.get('run') or {}, slim.get('batches') or {}, slim.get('train_config') or {}, slim['model_config']
    hw = a.hardware or f"{cpu_name()}, {t.get('threads') or os.cpu_count()} thread(s), no GPU, torch {torch.__version__}"
    curve = val_curve(run)
    L = [f"# Model card: `{a.name}`", '',
         "The pretrained solver model that `deep_xtal solve` and `deep_xtal demo` use when no checkpoint is given.",
         f"Written by `python bench/{Path(__file__).name} {a.checkpoint} --eval {' '.join(a.eval)}" + (f" --solve {' '.join(a.solve)}" if a.solve else '') + "`.", '',
         '## What it is', '',
         f"- Network: `CrystalNet` (05_model), preset `small` with latent {m['latent']}: {n_params/1e6:.2f} M parameters; "
         f"variational = {m['variational']}; pattern input {m['n_channels']} × {m['n_bins']} (measured-like pattern and range mask on Q "
         f"{b.get('experimental', {}).get('q_grid')}), formula input 119 (mode `{b.get('formula')}`).",
         f"- Target: the procrystal (independent-atom) electron density with B = {b.get('b_iso')} Å², on the 50³ fractional grid of "
         "the conventional standard cell, trained on the log1p scale. **Not** the DFT valence density of Guo et al. (2024): "
         "compare their figures with care.",
         f"- File: {path.stat().st_size/1e6:.2f} MB, sha256 `{sha}`.", '',
         '## Data', '',
         f"- Materials Project cubic and trigonal crystals of the paper's published lists (`../shared/data/mp_cubic_trigonal`, "
         f"CC BY 4.0), splits {rc.get('data', {}).get('train_splits')} for training and `{rc.get('data', {}).get('val_split')}` "
         "for validation (the paper's test crystals are not in the data).",
         f"- Input patterns drawn fresh per crystal and step (04_data `ExperimentConfig`): anodes {b.get('experimental', {}).get('anodes')}, "
         "Kα doublet, Caglioti + Scherrer widths, zero shift, background, Poisson counts, a random measured 2θ window.",
         f"- Data hash (names + batch settings): `{slim.get('data_hash')}`.",
         f"- Crystal systems seen in training (recorded in the checkpoint as `crystal_systems`; `solve` flags any other): "
         f"{', '.join(slim.get('crystal_systems') or ['not recorded'])}.", '',
         '## Training', '',
         "- Recipe: `deep_xtal train --config configs/solve_cpu.yaml --out runs/solve_cpu` (after `deep_xtal build`, see the config).",
         f"- This checkpoint: step {step} (lowest validation L1) after {minutes:.1f} minutes; the run: {steps} steps of {t.get('batch_size')} "
         f"crystals ({t.get('schedule')} schedule, peak lr {t.get('lr')}, grad clip {t.get('grad_clip')}) in {run_minutes:.1f} minutes "
         f"wall time, {cps:.1f} crystals/s.",
         f"- Hardware: {hw}."]
    if curve:
        L += [f"- Validation L1 (log1p scale, {len(curve)} validations): {float(curve[0]['val_l1']):.4f} at step {curve[0]['step']} → "
              f"{min(float(r['val_l1']) for r in curve):.4f} (best)."]
    for e in a.eval:
        res = json.loads((Path(e)/'results.json').read_text())
        st = res['settings']
        L += ['', f"## Validation: `{e}`", '',
              f"{st['n_crystals']} validation crystals, {st['n_samples']} latent samples, patterns as the validation batches make them "
              "(Cu Kα, the middle of every experimental range, no noise). Paper protocol: best of samples × 24 rotations, SSIM and PSNR "
              "maximised separately; strict: each sample aligned (rotation, inversion, origin shift), best = lowest L2, mean over samples. "
              "Skill = (SSIM − SSIM_cell mean)/(1 − SSIM_cell mean).", ''] + metrics_table(res)
    for s in a.solve:
        r = json.loads(Path(s).read_text())
        c = r.get('comparison') or {}
        L += ['', f"## Real measurement: {r['input']['pattern']} ({r['input']['formula']})", '',
              f"- Closure Rwp {r['closure']['rwp_best']:.3f} (best of {len(r['closure']['rwp_samples'])} samples); cell check: "
              f"{'all strongest peaks indexed' if (r.get('indexing') or {}).get('ok') else 'warning'}.",
              f"- Against {c.get('reference')}: paper SSIM {c['paper']['ssim']:.3f}, PSNR {c['paper']['psnr']:.1f} dB; strict best SSIM "
              f"{c['strict']['best']['ssim']:.3f}, mean {c['strict']['mean']['ssim']:.3f}; constant cell-mean baseline {c['constant_ssim']:.3f} "
              f"(skill {c['skill_paper']:.2f} / {c['skill_strict_mean']:.2f})" + (f"; atoms matched: {c['atoms']['matched']}" if 'atoms' in c else '') + '.',
              f"- Electrons in the cell, ∫ρ dV of the mean density: {r['density']['electrons_per_cell']:.1f} e; the formula "
              f"{r['input']['composition']} has {Composition(r['input']['composition']).total_electrons:.0f} e per formula unit."]
    L += ['', '## Limits', '',
          "- Trained on CPU for about an hour: this is the best this project could train without a GPU, not a converged model "
          "(issue 8 tracks a model above the paper's quality).",
          "- The absolute scale is the weakest part: ∫ρ dV of a prediction can be far below the cell's electron count (see the "
          "measurement above), while the shape scores well; atoms are placed from the density's maxima with the formula units "
          "this integral implies, so they inherit the error.",
          "- Trigonal crystals are learned much less well than cubic ones (skill above).",
          "- Cells must be given in the conventional standard setting; the network predicts in that frame.",
          "- Only cubic and trigonal crystals were seen; other systems are outside its training."]
    (out/'MODEL_CARD.md').write_text('\n'.join(L) + '\n')
    print(f"wrote {path} ({path.stat().st_size/1e6:.2f} MB, {n_params/1e6:.2f} M parameters) and {out/'MODEL_CARD.md'}")

if __name__ == '__main__': sys.exit(main())
