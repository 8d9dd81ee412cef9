"""What the window unpickles from a child process imports neither torch nor dgl: a Retrain
froze the window for 0.3–0.8 s at its end, when its TrainReport, defined beside the training
code, pulled both into the window's process (docs/architecture.md: only child processes
import torch)."""

from __future__ import annotations

import importlib
import os
import pickle
import pkgutil
import subprocess
import sys
from pathlib import Path

import musicsage.usecases
from musicsage.demo.state import DemoReport
from musicsage.graph.jobs import TrainReport  # where it was: still importable from there
from musicsage.search.types import MapPoints
from musicsage.usecases.embed_report import LibraryEmbedReport
from musicsage.usecases.execution import Mode, execution_of
from musicsage.usecases.inductive import InductiveReport
from musicsage.usecases.models import ModelSwitch
from musicsage.usecases.tags import TagLibraryReport, TagScore

REPO = Path(__file__).resolve().parents[2]

RESULT_TYPES = {"TrainReport": TrainReport, "LibraryEmbedReport": LibraryEmbedReport,
                "EmbedReport": LibraryEmbedReport, "InductiveReport": InductiveReport,
                "ModelSwitch": ModelSwitch, "MapPoints": MapPoints, "DemoReport": DemoReport,
                "TagLibraryReport": TagLibraryReport, "list[TagScore]": TagScore,
                "dict": dict}
"""The declared result of every use case the window runs in a child process or in the
helper, and the class it unpickles (``pipeline.embed`` returns a LibraryEmbedReport)."""


def _results_of_child_use_cases() -> set[str]:
    names = set()
    for info in pkgutil.iter_modules(musicsage.usecases.__path__):
        module = importlib.import_module(f"musicsage.usecases.{info.name}")
        for fn in vars(module).values():
            if getattr(fn, "__module__", None) != module.__name__ or not callable(fn):
                continue
            try:
                mode = execution_of(fn).mode
            except Exception:  # noqa: BLE001 - not a use case
                continue
            if mode in (Mode.PROCESS, Mode.HELPER):
                names.add(str(fn.__annotations__.get("return")).strip("'\""))
    return names


def test_every_result_a_child_process_sends_the_window_is_known_here():
    """A use case added to a child process with a new report type fails here until the
    type joins RESULT_TYPES, and so the test below."""
    found = _results_of_child_use_cases()
    assert "TrainReport" in found and "MapPoints" in found
    assert found <= set(RESULT_TYPES), found - set(RESULT_TYPES)


def test_unpickling_what_a_child_process_returns_imports_neither_torch_nor_dgl():
    report = TrainReport(metrics={"graph": {"hr@10": 0.5}, "notes": ["only 1 evaluation pair"]},
                         steps=100, best_step=100, best_val_hr10=None, seconds=3.0,
                         contexts=("playlist",), objective="infonce", learned=False,
                         notes=("the library is too small",))
    assert TrainReport.__module__ == "musicsage.graph.reports"
    sent = pickle.dumps([report, *RESULT_TYPES.values()])  # a class pickles by reference
    code = ("import pickle, sys\n"
            "report, *types = pickle.loads(sys.stdin.buffer.read())\n"
            "assert report.notes == ('the library is too small',) and not report.learned\n"
            "print(sorted(m for m in ('torch', 'dgl', 'umap', 'numba') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], input=sent, capture_output=True,
                         cwd=REPO, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert out.returncode == 0, out.stderr.decode()
    assert out.stdout.decode().strip() == "[]"
