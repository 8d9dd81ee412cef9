"""musicsage.graph has no import cycle — counting imports inside functions, which could hide one."""

from __future__ import annotations

import ast
from pathlib import Path

import musicsage

PACKAGE = Path(musicsage.__file__).parent / "graph"


def _graph_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found |= {n.split(".")[2] for n in names
                  if n.startswith("musicsage.graph.") and len(n.split(".")) > 2}
    return found


def test_graph_modules_import_each_other_without_a_cycle():
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    edges = {m: _graph_imports(PACKAGE / f"{m}.py") & modules - {m} for m in modules}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in sorted(edges[m]):
            assert state.get(n) != 1, "import cycle: " + " -> ".join(path + [m, n])
            if n not in state:
                visit(n, path + [m])
        state[m] = 2

    for m in sorted(modules):
        if m not in state:
            visit(m, [])
    assert "train" in edges["jobs"] and "objectives" in edges["dgi"]  # the scan sees imports
