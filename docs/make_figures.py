"""Make the figure shown in README.md: corundum's simulated Cu Kα pattern, sticks and a realistic profile.

    python docs/make_figures.py      # writes docs/corundum_cuka.png (and docs/learning_curve_small_cpu.png after the small CPU run)
"""
from pathlib import Path
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt, torch
from deep_xtal.structures import read_structures, batch_structures, EXAMPLE_DIR
from deep_xtal.pxrd import diffraction_lines, profile_pattern

batch = batch_structures(read_structures(EXAMPLE_DIR/'corundum.cif'), conventional=True, dtype='float64')
lines = diffraction_lines(batch, 'CuKa1', (10, 90))
grid = torch.linspace(10, 90, 8001, dtype=torch.float64)
y = profile_pattern(lines, grid, U=0.004, V=-0.002, W=0.003, crystallite_size=30, kalpha2=(1.54439, 0.5),
                    background=[0.04, -0.02], poisson_counts=5000, generator=torch.Generator().manual_seed(1))[0]
fig, ax = plt.subplots(figsize=(9, 3.2), dpi=120)
ax.plot(grid, y, lw=0.6, color='C0', label='profile: Kα1+Kα2, 30 nm, background, Poisson noise')
l = lines[0]
ax.vlines(l['two_theta'], -0.25, -0.25 + 0.2*l['intensity']/100, color='k', lw=0.8, label='stick lines (Cu Kα1)')
for tt, i, h in zip(l['two_theta'], l['intensity'], l['hkl']):
    if i > 30: ax.annotate(''.join(str(int(v)) for v in h), (tt, -0.25 + 0.2*i/100), fontsize=6, ha='center', va='bottom')
ax.set_xlabel('2θ (degrees)'); ax.set_ylabel('I / I_max'); ax.set_title('α-Al₂O₃ (corundum), simulated with deep_xtal')
ax.legend(fontsize=7, loc='upper right'); fig.tight_layout()
out = Path(__file__).parent/'corundum_cuka.png'
fig.savefig(out); print('wrote', out)

# The learning curve of the small CPU run (BENCHMARKS.md), when its run folder is here:
#   deep_xtal train --config configs/small_cpu.yaml --out runs/small_cpu
run = Path(__file__).parent.parent/'runs'/'small_cpu'
if (run/'train.csv').exists():
    from deep_xtal.train import learning_curve
    out = Path(__file__).parent/'learning_curve_small_cpu.png'
    learning_curve(run, out); print('wrote', out)

# The README's demo picture: `deep_xtal demo` with the bundled model, its offline 3-D view of the refined structure rendered
# by headless Chromium (deep_xtal.viz.render_png; needs the Debian package chromium) beside the Rietveld fit (fit.png).
import tempfile
from deep_xtal.viz import demo
from deep_xtal.viz import render_png, find_chromium, image_coverage
with tempfile.TemporaryDirectory() as d:
    rep = demo(d, progress=None)
    if find_chromium():
        left = render_png(Path(d)/'view.html', Path(d)/'view.png', 700, 560)
        print('3-D view coverage', image_coverage(left)); what = 'density isosurface'
    else: left, what = Path(d)/'slices.png', 'density slices'   # no Chromium here: the slices instead of the 3-D view
    fit = Path(d)/('fit.png' if (Path(d)/'fit.png').exists() else 'pattern.png')   # the Rietveld fit of the refined structure
    fig, axs = plt.subplots(1, 2, figsize=(13, 5), dpi=110, gridspec_kw=dict(width_ratios=[1, 1.45]))
    for ax, img in zip(axs, (left, fit)):
        ax.imshow(plt.imread(img)); ax.axis('off')
    st = rep.get('structure')
    axs[0].set_title(f"NaCl: refined {st['formula']} in {st['space_group']}, Rwp {st['rwp']:.4f} ({what})" if st else
                     f"NaCl mean density ({what}, paper SSIM {rep['comparison']['paper']['ssim']:.3f})", fontsize=10)
    fig.tight_layout()
    out = Path(__file__).parent/'demo_result.png'
    fig.savefig(out); print('wrote', out)
