"""Run notebooks and keep their outputs, so that figures and printed checks show on GitHub without running anything.

    python tools/save_outputs.py nbs/02_pxrd.ipynb [nbs/03_cmed.ipynb ...] [--max-kb 250]

Cells flagged `#| slow` or `#| gpu` (CI skips them too) keep the outputs they already have; every other code cell is run
in order, in the notebook's folder, as `nbdev_test` runs it, and its outputs are stored. An output larger than
`--max-kb` (a 3-D view with the inlined 3Dmol.js, say) is replaced by a one-line note, so that the notebooks stay small
(the project keeps all of nbs/ under 5 MB). The run stops at the first error and leaves the file unchanged. Afterwards
run `nbdev_clean` (it keeps outputs, drops execution metadata).
"""
import argparse, json, os, re, sys
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

SKIP = re.compile(r'^\s*#\|\s*(slow|gpu|eval:\s*false)\b', re.M)


def _size(output)->int: return len(json.dumps(output, default=str))


def _trim(cell, max_bytes:int):
    "Replace outputs over `max_bytes` by a stream note."
    keep = []
    for o in cell.get('outputs', []):
        if _size(o) <= max_bytes: keep.append(o); continue
        kb = _size(o)//1024
        keep.append({'name': 'stdout', 'output_type': 'stream',
                     'text': [f'[output of {kb} KB not kept in the saved notebook; run the cell to see it]\n']})
    cell['outputs'] = keep


def save_outputs(path:Path, max_kb:int=250):
    "Execute one notebook and write it back with its outputs."
    nb = read_nb(path)
    old = {id(c): c.get('outputs', []) for c in nb.cells}
    shell = CaptureShell(path)
    cwd = os.getcwd()
    os.chdir(path.parent)
    os.environ.setdefault('MPLBACKEND', 'module://matplotlib_inline.backend_inline')
    try:
        for cell in nb.cells:
            if cell.cell_type != 'code': continue
            if SKIP.search(cell.source): cell['outputs'] = old[id(cell)]; continue
            cell['outputs'] = []                                       # a cell that now prints nothing keeps no stale output
            shell.cell(cell)
            if shell.exc: raise RuntimeError(f"{path.name}: a cell failed:\n{cell.source[:400]}\n{shell.exc!r}")
            _trim(cell, max_kb*1024)
    finally: os.chdir(cwd)
    write_nb(nb, path)
    print(f"{path}: {path.stat().st_size/1024:.0f} KB with outputs")


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('notebooks', nargs='+', type=Path)
    ap.add_argument('--max-kb', type=int, default=250, help='largest output kept, KB (default 250)')
    a = ap.parse_args()
    for p in a.notebooks: save_outputs(p.resolve(), a.max_kb)
