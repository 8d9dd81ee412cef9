"""A library trained before some music arrived: 72 generated tracks scanned, embedded
(spectral) and trained on, shared read-only by the tests, which each work on a copy of its data
dir and add their own new tracks (a new folder, and a playlist mixing them with old ones)."""

from __future__ import annotations

import shutil

import pytest

from music_support import make_music


@pytest.fixture(scope="session", autouse=True)
def _torch_on_one_thread():
    """Training and the saved model on one torch thread (a shared 2-core machine), as the
    pipeline's stages pin it."""
    from musicsage.usecases.pipeline import _torch_threads

    with _torch_threads(1):
        yield


@pytest.fixture(scope="session")
def trained_template(tmp_path_factory):
    from musicsage.context import AppContext
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.library import scan_library
    from musicsage.usecases.training import train_graph

    root = tmp_path_factory.mktemp("trained")
    music, playlists, paths = make_music(root / "src", n_tracks=72, seconds=1.0)
    ctx = AppContext.create(root / "data")
    scan_library(ctx, [str(music)], [str(playlists)])
    embed_library(ctx, "spectral")
    train_graph(ctx, max_steps=5)
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

    def add(ctx, n=4, seed=7):
        # tracks 72.. of a generated library: titles the trained library does not have (a
        # same-titled track by the same artist would be folded away as a copy)
        music, _, paths = make_music(tmp_path / "new", n_tracks=len(old) + n, seconds=0.5,
                                     seed=seed)
        for p in paths[:len(old)]:
            p.unlink()
        paths = paths[len(old):]
        mix = tmp_path / "New and old.m3u8"
        mix.write_text("#EXTM3U\n" + "\n".join(str(p) for p in [*old[:3], *paths]) + "\n",
                       encoding="utf-8")
        before = {r[0] for r in connect(ctx).execute("SELECT id FROM tracks")}
        scan_library(ctx, [str(music)], [str(mix)])
        return sorted({r[0] for r in connect(ctx).execute("SELECT id FROM tracks")} - before)

    return add
