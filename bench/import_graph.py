"""The import graph of deep_xtal and its upward imports.

Each module belongs to the notebook chapter whose `#| default_exp` names it; chapters are ordered by their number
prefix (00_core … 15_cli). A module may import only modules of earlier chapters — at module level or inside a function.
This script reads every `deep_xtal/*.py` with `ast`, prints each module's imports of other deep_xtal modules (earlier
chapters first), every upward import with its line, and the count. It exits with status 1 when the count is not 0,
so CI (the index notebook's test) fails and names the import.

    python bench/import_graph.py [REPO_ROOT]
"""
import ast, json, re, sys
from pathlib import Path


def chapter_order(root:Path)->dict:
    "module -> (chapter number, notebook name), from the `#| default_exp` line of each numbered notebook."
    order = {}
    for nb in sorted((root/'nbs').glob('*.ipynb')):
        m = re.match(r'(\d+)[a-z]?_', nb.name)
        if not m: continue
        for c in json.loads(nb.read_text())['cells']:
            e = re.search(r'#\|\s*default_exp\s+(\S+)', ''.join(c['source']))
            if e: order[e.group(1)] = (int(m.group(1)), nb.name); break
    return order


def module_imports(py:Path)->list:
    "(imported deep_xtal module, line) of every import in a module, nested ones included."
    out = []
    for node in ast.walk(ast.parse(py.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module: out.append((node.module.split('.')[0], node.lineno))        # from .core import x
            elif node.level == 1: out += [(a.name, node.lineno) for a in node.names]                       # from . import core
            elif node.module and node.module.split('.')[0] == 'deep_xtal':
                parts = node.module.split('.')
                out += [(parts[1], node.lineno)] if len(parts) > 1 else [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.Import):
            out += [(a.name.split('.')[1], node.lineno) for a in node.names if a.name.startswith('deep_xtal.')]
    return out


def upward_imports(root:Path)->tuple:
    "({module: sorted imported modules}, ['mod -> target (line n)' for every upward import])."
    order, graph, up = chapter_order(root), {}, []
    for py in sorted((root/'deep_xtal').glob('*.py')):
        mod = py.stem
        if mod not in order: continue
        deps = {t: ln for t, ln in module_imports(py) if t in order and t != mod}
        graph[mod] = sorted(deps, key=lambda t: order[t])
        up += [f"{mod} -> {t} (line {ln}): {order[mod][1]} imports the later chapter {order[t][1]}"
               for t, ln in deps.items() if order[t] > order[mod]]
    return dict(sorted(graph.items(), key=lambda kv: order[kv[0]])), sorted(up)


if __name__ == '__main__':
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1])
    graph, up = upward_imports(root)
    for mod, deps in graph.items(): print(f"{mod:>10} <- {', '.join(deps) or '(nothing)'}")
    for u in up: print(f"UPWARD {u}")
    print(f"upward imports: {len(up)} across {len(graph)} modules")
    sys.exit(1 if up else 0)
