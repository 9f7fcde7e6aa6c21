"""Render a deep_xtal HTML page in headless Chromium (software WebGL, no network) and check that it is not blank.

    python bench/render_html.py PAGE.html --out PAGE.png          # any page made by deep_xtal.viz.write_html
    python bench/render_html.py --nacl --out docs/viz_nacl_isosurface.png
                                                                 # NaCl procrystal (examples/NaCl.cif, 50³, B = 2 Å²),
                                                                 # atoms and cell (the page goes to a temporary
                                                                 # folder, or to --page PATH)

Prints the fraction of pixels unlike the background and the fraction in the isosurface's hue, and exits with status 1
when they are below --min-changed / --min-hue (a blank or colourless render). Needs Chromium (apt-get install chromium).
"""
import argparse, sys, tempfile, time
from pathlib import Path
from deep_xtal.viz import render_png, image_coverage, write_html, find_chromium


def nacl_page(path: Path, n: int = 50, color: str = '#3070d0') -> Path:
    "The NaCl procrystal density of the bundled CIF, with atoms and cell, as an offline page."
    from deep_xtal.structures import read_structures, batch_structures, EXAMPLE_DIR
    from deep_xtal.cmed import procrystal_density
    s = read_structures(EXAMPLE_DIR/'NaCl.cif')[0].structure
    rho = procrystal_density(batch_structures([s], dtype='float64'), n)[0].numpy()
    return write_html(path, rho, s, s, color=color, width=800, height=600, title=f'NaCl procrystal density ({n}³, B = 2 Å²)')


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('html', nargs='?', help='the HTML page to render')
    p.add_argument('--nacl', action='store_true', help='make the NaCl demo page and render it')
    p.add_argument('--page', help='with --nacl: where to keep the page (default: a temporary folder)')
    p.add_argument('--out', required=True, help='the PNG to write')
    p.add_argument('--color', default='#3070d0', help='isosurface colour to look for (default: %(default)s)')
    p.add_argument('--width', type=int, default=800); p.add_argument('--height', type=int, default=600)
    p.add_argument('--budget-ms', type=int, default=5000, help='virtual time for the page to draw')
    p.add_argument('--min-changed', type=float, default=0.01, help='least fraction of pixels unlike the background')
    p.add_argument('--min-hue', type=float, default=0.005, help='least fraction of pixels in the isosurface hue')
    a = p.parse_args(argv)
    if a.nacl == bool(a.html): p.error('give an HTML file or --nacl (not both)')
    out, tmp = Path(a.out), tempfile.TemporaryDirectory()
    html = nacl_page(Path(a.page or Path(tmp.name)/'nacl.html'), color=a.color) if a.nacl else Path(a.html)
    print(f'browser: {find_chromium()}')
    t = time.perf_counter()
    render_png(html, out, a.width, a.height, a.budget_ms)
    cov = image_coverage(out, a.color)
    print(f'{html} -> {out} in {time.perf_counter() - t:.1f} s ({html.stat().st_size/1e6:.2f} MB page)')
    print(f"pixels unlike the background: {100*cov['changed']:.2f} % (need > {100*a.min_changed:g} %); "
          f"in the isosurface hue: {100*cov['hue']:.2f} % (need > {100*a.min_hue:g} %)")
    ok = cov['changed'] > a.min_changed and cov['hue'] > a.min_hue
    print('OK: the page draws' if ok else 'FAIL: the render is blank or lacks the isosurface colour')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
