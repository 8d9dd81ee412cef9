"""Project-level contracts: README's commands, CI, the Qt boundary, the layering, the CLI entry."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO_COMMAND = "bash scripts/setup.sh && .venv/bin/python main.py --demo"
TEST_COMMAND = "bash scripts/setup.sh && .venv/bin/python -m pytest"
CORE_LAYERS = ["library", "audio", "graph", "search"]
"""Data flows left to right; each of these imports only the ones to its left."""
TOP_LEVEL = {"gui", "services", "cli", "demo", "__main__"}
"""Front ends and glue that the core packages must never import."""


def readme_commands() -> list[str]:
    """The shell commands of README's opening code blocks (before any other prose section)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    head = text.split("\n## ", 1)[0]  # everything before the first section
    blocks = re.findall(r"```(?:bash|sh|console)?\n(.*?)```", head, flags=re.S)
    return [line.strip() for b in blocks for line in b.splitlines() if line.strip()]


def test_readme_opens_with_exactly_the_two_commands():
    assert readme_commands() == [DEMO_COMMAND, TEST_COMMAND]


def test_ci_runs_readmes_test_command_verbatim():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines()
                if line.strip() and not line.strip().startswith("#")
                and not line.startswith(("set ", "cd "))]
    assert commands == [readme_commands()[1]]
    assert os.access(REPO / ".ci" / "run", os.X_OK) or ci.startswith("#!")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import: make it absolute
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.append(".".join(base + ([node.module] if node.module else [])))
            elif node.module:
                found.append(node.module)
    return found


def _python_files():
    for p in sorted((REPO / "musicsage").rglob("*.py")):
        yield p
    yield REPO / "main.py"


def test_only_gui_imports_qt():
    offenders = []
    for path in _python_files():
        rel = path.relative_to(REPO)
        in_gui = rel.parts[:2] == ("musicsage", "gui")
        for mod in _imports(path):
            if mod.split(".")[0] in ("PySide6", "pyqtgraph", "shiboken6") and not in_gui:
                offenders.append(f"{rel}: {mod}")
    assert offenders == []


def test_core_packages_import_only_to_their_left():
    offenders = []
    for path in _python_files():
        rel = path.relative_to(REPO)
        if len(rel.parts) < 3 or rel.parts[1] not in CORE_LAYERS:
            continue
        here = CORE_LAYERS.index(rel.parts[1])
        for mod in _imports(path):
            parts = mod.split(".")
            if parts[0] != "musicsage" or len(parts) < 2:
                continue
            target = parts[1]
            if target in TOP_LEVEL or (target in CORE_LAYERS and CORE_LAYERS.index(target) > here):
                offenders.append(f"{rel}: {mod}")
    assert offenders == []


def test_cli_help_works_and_starts_light():
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-m", "musicsage", "--help"], capture_output=True,
                         text=True, cwd=REPO, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    for command in ("scan", "embed", "train", "eval", "similar", "map", "import", "export",
                    "demo", "stats", "tags"):
        assert command in out.stdout
    heavy = subprocess.run(
        [sys.executable, "-c", "import sys, musicsage.cli as c; c.build_parser();"
         "print(sorted(m for m in ('torch', 'dgl', 'PySide6', 'umap', 'numpy') if m in sys.modules))"],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=60)
    assert heavy.returncode == 0 and heavy.stdout.strip() == "[]", heavy.stdout + heavy.stderr
