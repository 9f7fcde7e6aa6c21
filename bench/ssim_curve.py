"""Validation SSIM (paper protocol, 50³) against training minutes, from checkpoints saved during a run.

    python bench/ssim_curve.py runs/solve_cpu --snapshots /work/snapshots/*.pt runs/solve_cpu/best.pt \
        --data configs/eval_solve_cubic.yaml --limit 40 --plot docs/ssim_curve_solve_cpu.png

For each checkpoint: the mean and median paper SSIM (best of 5 samples × 24 rotations) on the first `limit` validation
crystals of `data`, the constant cell-mean baseline on the same crystals, and the skill (SSIM − SSIM_const)/(1 − SSIM_const).
The training minutes of a checkpoint are read from the run's train.csv at the checkpoint's step.
"""
import argparse, csv, sys
from pathlib import Path
import torch

def minutes_at(run:Path, step:int)->float:
    rows = list(csv.DictReader(open(run/'train.csv')))
    past = [r for r in rows if int(r['step']) <= step] or rows[:1]
    return float(past[-1]['time'])/60

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('run')
    ap.add_argument('--snapshots', nargs='+', required=True)
    ap.add_argument('--data', required=True, help='run config naming the validation crystals')
    ap.add_argument('--limit', type=int, default=40)
    ap.add_argument('--samples', type=int, default=5)
    ap.add_argument('--plot')
    a = ap.parse_args(argv)
    from deep_xtal.train import load_checkpoint, load_run_config, make_datasets
    from deep_xtal.model import predict_grid
    from deep_xtal.metrics import paper_metrics
    from deep_xtal.cmed import constant_baseline_ssim
    from dataclasses import replace
    rc = load_run_config(a.data)
    _, val, _ = make_datasets(rc['data'], replace(rc['batches'], full_grid=True))   # validation batches with their 50³ targets
    n = min(a.limit, len(val))
    batches = [val.make_batch([i], train=False) for i in range(n)]
    const = torch.cat([constant_baseline_ssim(b['grid'].double()) for b in batches])
    c = float(const.mean())
    out = []
    print('| checkpoint | step | minutes | paper SSIM mean | median | cell-mean SSIM | skill |')
    print('|---|---|---|---|---|---|---|')
    for p in a.snapshots:
        model, ck = load_checkpoint(p)
        step = ck['state']['step']
        g = torch.Generator().manual_seed(0)
        s = torch.tensor([paper_metrics(predict_grid(model, b['pattern'], b['formula'], 50, a.samples, ck['transform'], generator=g)[:, 0].double(),
                                        b['grid'][0].double())['ssim'] for b in batches])
        row = (Path(p).name, step, minutes_at(Path(a.run), step), float(s.mean()), float(s.median()), c, (float(s.mean()) - c)/(1 - c))
        out.append(row)
        print('| %s | %d | %.1f | %.3f | %.3f | %.3f | %.2f |' % row)
    if a.plot:
        import matplotlib; matplotlib.use('Agg')
        import matplotlib.pyplot as plt
        out.sort(key=lambda r: r[2])
        fig, ax = plt.subplots(figsize=(5.5, 3.5), dpi=120)
        ax.plot([r[2] for r in out], [r[3] for r in out], 'o-', label='model, mean')
        ax.plot([r[2] for r in out], [r[4] for r in out], 's--', label='model, median')
        ax.axhline(c, color='grey', ls=':', label='constant cell mean')
        ax.set_xlabel('training minutes (CPU, 1 thread)'); ax.set_ylabel(f'paper SSIM ({n} val crystals)'); ax.legend(fontsize=8)
        fig.tight_layout(); fig.savefig(a.plot); print('wrote', a.plot)

if __name__ == '__main__': sys.exit(main())
