"""Shared fixtures: every test gets its own library dir; Qt runs offscreen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# helpers that assert on a test's behalf: failures show their values, as a test's own do
pytest.register_assert_rewrite("graph_support")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# UMAP is numba code: compiling it costs about a minute on 2 cores. Every test (and every
# subprocess a test starts) shares one compile cache that outlives the run, so only the first
# map of the first run pays for it. Set before anything imports numba.
os.environ.setdefault("NUMBA_CACHE_DIR", str(REPO / ".pytest_cache" / "numba"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty library location (what ``--data-dir`` points at)."""
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture
def ctx(data_dir: Path):
    from musicsage.context import AppContext

    return AppContext.create(data_dir)


@pytest.fixture(autouse=True)
def _keep_away_from_user_dirs(tmp_path_factory, monkeypatch):
    """Tests never touch the real per-user data/cache dirs, nor write audio-model weights
    into this checkout's ``models/`` (its owner may write there: a test's conversion was left
    in it); what is in it is still read."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("MUSICSAGE_WEIGHTS_DIR", str(home / "weights"))


@pytest.fixture
def no_checkout_models(monkeypatch):
    """This checkout's ``models/`` out of sight, for a test whose models folder is all the
    weights there are: what a setup put there is read even when not written to."""
    monkeypatch.setattr("musicsage.context.repo_root", lambda: None)


@pytest.fixture(scope="session")
def two_models_template(tmp_path_factory):
    """A small library with two trained graph models (``tests/models_support.py``), built once
    per run: ``(library root, first model, second model)``. Use :func:`two_models`."""
    from models_support import build_two_models

    root = tmp_path_factory.mktemp("two-models")
    _, first, second = build_two_models(root)
    return root, first, second


@pytest.fixture
def two_models(two_models_template, tmp_path):
    """A test's own copy of the two-model library: ``(ctx, first model, second model)``."""
    from models_support import copy_library

    root, first, second = two_models_template
    return copy_library(root, tmp_path), first, second


QT_WAIT_MS = 30_000
"""How long a ``qtbot`` wait given no timeout of its own waits. pytest-qt's 5 s was exceeded
on a loaded 2-core CI machine (a worker thread's result, a poll timer, a window's layout);
each wait is for a condition or a signal, so a longer limit only makes a real failure slower
to say so."""


@pytest.fixture
def qtbot(qtbot):
    """pytest-qt's ``qtbot``, whose waits default to :data:`QT_WAIT_MS`."""
    for name in ("waitUntil", "waitSignal", "waitSignals", "waitCallback"):
        setattr(qtbot, name, _longer_by_default(getattr(qtbot, name)))
    return qtbot


def _longer_by_default(wait):
    def waiting(*args, timeout: int = QT_WAIT_MS, **kw):
        return wait(*args, timeout=timeout, **kw)

    return waiting
