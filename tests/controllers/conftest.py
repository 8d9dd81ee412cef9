"""Controller fixtures: a real library (generated audio, scanned, spectral vectors) and an
AppController on an InlineRunner — no window, no Qt, no threads."""

from __future__ import annotations

import os
import shutil
import threading

import pytest

from music_support import make_music

SMALL, TRAINABLE = 12, 72
"""12 tracks: the map is a PCA layout (no UMAP compile). 72: enough for the graph model (it
needs more tracks than its embedding size, 64)."""


def _build(root, n_tracks: int):
    from musicsage.context import AppContext
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.library import scan_library

    music, playlists, _ = make_music(root / "src", n_tracks=n_tracks, seconds=1.0)
    ctx = AppContext.create(root / "data")
    scan_library(ctx, [str(music)], [str(playlists)])
    embed_library(ctx, "spectral")
    return root


def _copy(template, tmp_path):
    """The template's library and its music and playlists, copied for one test. The files
    are copied too and the library's paths re-pointed at them: a test that adds to a playlist
    wrote into the template's playlist file (and its backups), and every later test then saw
    that playlist changed on disk — "3 playlists imported" where one was dropped."""
    import sqlite3

    from musicsage.context import AppContext

    shutil.copytree(template / "src", tmp_path / "src")
    shutil.copytree(template / "data", tmp_path / "data")
    old, new = str(template / "src"), str(tmp_path / "src")
    with sqlite3.connect(tmp_path / "data" / "library.sqlite3") as db:
        for table in ("tracks", "library_roots", "playlists", "errors"):
            db.execute(f"UPDATE {table} SET path = replace(path, ?, ?)", (old, new))
    db.close()
    return AppContext.create(tmp_path / "data")


@pytest.fixture(scope="session")
def small_template(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("small"), SMALL)


@pytest.fixture(scope="session")
def trainable_template(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("trainable"), TRAINABLE)


@pytest.fixture
def library(small_template, tmp_path):
    """A scanned and embedded (spectral) library: what a user has after "Add music folder"."""
    return _copy(small_template, tmp_path)


@pytest.fixture
def trainable_library(trainable_template, tmp_path):
    return _copy(trainable_template, tmp_path)


@pytest.fixture
def make_app():
    """``make_app(ctx, **options)`` -> (AppController, InlineRunner), failures routed as the
    window routes them."""
    from musicsage.controllers.app import AppController
    from musicsage.controllers.tasks import InlineRunner

    def make(ctx, **options):
        runner = InlineRunner()
        app = AppController(ctx, runner, **options)
        runner.error.connect(app.task_failed)
        return app, runner

    return make


class Recorder:
    """Collects what an Event emits."""

    def __init__(self, *events) -> None:
        self.calls: list[tuple] = []
        for event in events:
            event.connect(lambda *args: self.calls.append(args))

    def __len__(self) -> int:
        return len(self.calls)

    @property
    def last(self) -> tuple:
        return self.calls[-1]


@pytest.fixture
def recorder():
    return Recorder


STALE_HANG_S = 10
"""How long a look at the stale mount hangs (the test's end releases it sooner)."""


@pytest.fixture
def stale(monkeypatch):
    """``stale(folder)``: whether a path under ``folder`` exists, or is a folder, is answered
    only once the returned event is set (at the latest as the test ends)."""
    released = threading.Event()
    hung: list[str] = []
    real_exists, real_isdir = os.path.exists, os.path.isdir

    def hangs(path) -> bool:
        text = os.fsdecode(path)
        return any(text == f or text.startswith(f + os.sep) for f in hung)

    def exists(path):
        if hangs(path):
            released.wait(STALE_HANG_S)
        return real_exists(path)

    def isdir(path):
        if hangs(path):
            released.wait(STALE_HANG_S)
        return real_isdir(path)

    monkeypatch.setattr(os.path, "exists", exists)
    monkeypatch.setattr(os.path, "isdir", isdir)

    def make(folder) -> threading.Event:
        hung.append(str(folder))
        return released

    yield make
    released.set()
