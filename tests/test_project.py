"""Project-level contracts: README's commands, CI, the Qt boundary, the layering, no import
cycles, the CLI entry."""

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
TOP_LEVEL = {"gui", "controllers", "usecases", "processes", "cli", "cli_parser", "cli_errors",
             "commands", "demo", "__main__"}
"""Front ends and glue that the core packages must never import."""
ABOVE = {"usecases": {"controllers", "gui", "cli", "cli_parser", "commands"},
         "controllers": {"gui", "cli", "cli_parser", "commands"}}
"""What the use cases and the (Qt-free) controllers must never import: what sits above them."""


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


def test_use_cases_and_controllers_do_not_import_what_sits_above_them():
    offenders = []
    for path in _python_files():
        rel = path.relative_to(REPO)
        forbidden = ABOVE.get(rel.parts[1] if len(rel.parts) > 2 else "")
        for mod in _imports(path) if forbidden else ():
            parts = mod.split(".")
            if parts[0] == "musicsage" and len(parts) > 1 and parts[1] in forbidden:
                offenders.append(f"{rel}: {mod}")
    assert offenders == []


def test_sql_stays_in_the_library_package():
    """Queries live in musicsage/library/ (queries.py, browse.py …), so a schema change has one
    place to look. graph/ keeps the SQL of its own table (graph_models) for now."""
    statement = re.compile(r"\.execute(?:many)?\(\s*f?[\"']")
    offenders = [str(path.relative_to(REPO)) for path in _python_files()
                 if path.relative_to(REPO).parts[1:2] not in (("library",), ("graph",))
                 and statement.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_nodes(node: ast.AST):
    """Every node that can run: all of them but the bodies of ``if TYPE_CHECKING:`` (imports
    for annotations only, never executed)."""
    yield node
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            for other in child.orelse:
                yield from _runtime_nodes(other)
            continue
        yield from _runtime_nodes(child)


def _import_graph() -> dict[str, set[str]]:
    """Module -> the musicsage modules it imports when it runs, anywhere in the file (imports
    inside functions count: they hide a cycle, they do not remove it; annotation-only imports
    under ``if TYPE_CHECKING:`` do not). ``from P import x`` counts as importing module
    ``P.x`` when that is a module, else ``P``."""
    modules = {_module_name(p): p for p in (REPO / "musicsage").rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        targets = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in _runtime_nodes(tree):
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name in modules}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([node.module] if node.module else []))
                for a in node.names:
                    sub = f"{base}.{a.name}"
                    targets.add(sub if sub in modules else base)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_between_modules():
    graph = _import_graph()
    assert len(graph) > 90 and "musicsage.gui.main_window" in graph  # the whole package
    assert _cycles(graph) == []


def test_the_cycle_check_finds_a_cycle_hidden_in_a_function():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [{"a", "b", "c"}]
    code = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import x\n"
                     "def f():\n    import y\n")
    found = {a.name for n in _runtime_nodes(code) if isinstance(n, ast.Import) for a in n.names}
    assert found == {"y"}


def _markdown_links(text: str) -> list[tuple[str, str | None]]:
    """Every local link of a page as (path, anchor): ``""`` for the page itself (``#a``),
    None when no anchor is named."""
    return [(path, anchor or None) for path, anchor
            in re.findall(r"\]\(([^)#\s]*)(?:#([^)\s]*))?\)", text)
            if (path or anchor) and not path.startswith(("http://", "https://", "mailto:"))]


def _github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: its text (a link's text, a code span's text without
    its backticks) lower-cased, punctuation but ``-`` and ``_`` dropped, spaces made ``-``."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def _page_anchors(text: str) -> set[str]:
    """The anchors of a page's headings (outside code fences), a repeated one with GitHub's
    ``-1``, ``-2`` suffixes; and those of ``<a name|id="…">`` tags."""
    anchors: set[str] = set(re.findall(r'<a\s+(?:name|id)="([^"]+)"', text))
    seen: dict[str, int] = {}
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and (m := re.match(r" {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$", line)):
            slug = _github_anchor(m.group(1))
            anchors.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
            seen[slug] = seen.get(slug, 0) + 1
    return anchors


def test_anchors_are_githubs():
    """A link to model.md#which-contexts-chosen-on-validation passed the check while GitHub
    names that heading …-graphtrainpy: the check must build anchors as GitHub does."""
    text = ("# Which contexts: chosen on validation (`graph/train.py`)\n```\n# not a heading\n"
            "```\n## The [model](model.md)'s `audio_model`, again\n## Options\n## Options\n")
    assert _page_anchors(text) == {"which-contexts-chosen-on-validation-graphtrainpy",
                                   "the-models-audio_model-again", "options", "options-1"}
    assert _markdown_links("[a](#x) [b](m.md#y) [c](m.md) [d](https://e/#f)") == [
        ("", "x"), ("m.md", "y"), ("m.md", None)]


def test_readme_and_docs_link_only_to_files_in_the_repository():
    broken = []
    for page in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        for link, anchor in _markdown_links(page.read_text(encoding="utf-8")):
            target = (page.parent / link).resolve() if link else page
            if not target.exists():
                broken.append(f"{page.relative_to(REPO)}: {link}")
            elif (anchor is not None and target.suffix == ".md"
                  and anchor not in _page_anchors(target.read_text(encoding="utf-8"))):
                broken.append(f"{page.relative_to(REPO)}: {link}#{anchor}")
    assert broken == []
    assert {p.name for p in (REPO / "docs").glob("*.md")} >= {
        "architecture.md", "cli.md", "dataset-dir.md", "audio-models.md"}


def test_code_and_readme_cite_no_document_a_clone_lacks():
    """A user's clone has no DESIGN.md and no ../shared: the repository explains itself
    (docs/), so neither code nor README nor docs may send a reader to the design brief."""
    brief = re.compile(r"\bDESIGN\b")
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")),
             *sorted((REPO / "bench").glob("*.py")), *sorted((REPO / "bench").glob("*.md"))]
    offenders = [str(path.relative_to(REPO)) for path in [*_python_files(), *pages]
                 if brief.search(path.read_text("utf-8"))]
    assert offenders == []


MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60


def test_modules_and_functions_stay_small_enough_to_read():
    """The package's size limits: a module a maintainer can hold in mind, a function that
    fits on a screen (tests and bench/ are exempt)."""
    too_long = []
    for path in sorted((REPO / "musicsage").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(REPO)
        if len(text.splitlines()) > MAX_MODULE_LINES:
            too_long.append(f"{rel}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{rel}::{node.name}: {length} lines")
    assert too_long == []


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


def test_every_name_the_benchmarks_import_from_the_package_exists():
    """A renamed or removed function must not leave a benchmark broken until someone runs it
    (bench/demo_eval.py imported ``holdout_split`` for a while after protocol 3 removed it).
    Imports inside functions count too."""
    import importlib

    missing = []
    for path in sorted((REPO / "bench").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and node.module
                    and node.module.split(".")[0] == "musicsage"):
                continue
            module = importlib.import_module(node.module)
            for alias in node.names:
                if not hasattr(module, alias.name):
                    try:
                        importlib.import_module(f"{node.module}.{alias.name}")
                    except ImportError:
                        missing.append(f"{path.name}: {node.module}.{alias.name}")
    assert missing == []
