"""A library trained before some music arrived (tests/new_music_support.py), built once and
shared read-only; each test works on a copy of its data dir and adds its own new tracks."""

from __future__ import annotations

import shutil

import pytest

from new_music_support import build_trained, new_music


@pytest.fixture(scope="session", autouse=True)
def _torch_on_one_thread():
    """The saved model on one torch thread (a shared 2-core machine), as the pipeline's
    stages pin it."""
    from musicsage.audio.threads import torch_threads as _torch_threads

    with _torch_threads(1):
        yield


@pytest.fixture(scope="session")
def trained_template(tmp_path_factory):
    root = tmp_path_factory.mktemp("trained")
    _, paths = build_trained(root)
    return root, paths


@pytest.fixture
def trained(trained_template, tmp_path):
    """A context on a private copy of the trained library's data dir (its tracks are the
    template's files: never modify them)."""
    from musicsage.context import AppContext

    root, _ = trained_template
    shutil.copytree(root / "data", tmp_path / "data")
    return AppContext.create(tmp_path / "data")


@pytest.fixture
def add_music(trained_template, tmp_path):
    """``add_music(ctx, n)``: ``n`` new tracks in a new folder and a playlist "New and old"
    holding them and 3 old tracks, scanned; returns the new tracks' ids."""
    from musicsage.library.db import connect
    from musicsage.usecases.library import scan_library

    _, old = trained_template

    def add(ctx, n=4):
        music, mix = new_music(tmp_path / "new", old, n)
        before = {r[0] for r in connect(ctx).execute("SELECT id FROM tracks")}
        scan_library(ctx, [str(music)], [str(mix)])
        return sorted({r[0] for r in connect(ctx).execute("SELECT id FROM tracks")} - before)

    return add
