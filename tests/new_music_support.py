"""A library trained before some music arrived, and that music (tests of issue 17 item 1:
new tracks get graph vectors from the saved model without retraining).

A module of its own, not a conftest.py: the use-case tests (tests/inductive/) and the
window's (tests/gui/) both build on it.
"""

from __future__ import annotations

from pathlib import Path

from music_support import make_music

TRAINED = 72
"""Enough tracks for the graph model (more than its embedding size, 64)."""


def build_trained(root: Path, *, max_steps: int = 5):
    """72 generated tracks and their 6 playlists, scanned, embedded (spectral) and trained on
    (one torch thread); returns (ctx, the tracks' paths)."""
    from musicsage.context import AppContext
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.library import scan_library
    from musicsage.audio.threads import torch_threads as _torch_threads
    from musicsage.usecases.training import train_graph

    music, playlists, paths = make_music(root / "src", n_tracks=TRAINED, seconds=1.0)
    ctx = AppContext.create(root / "data")
    with _torch_threads(1):
        scan_library(ctx, [str(music)], [str(playlists)])
        embed_library(ctx, "spectral")
        train_graph(ctx, max_steps=max_steps)
    return ctx, paths


def new_music(where: Path, old_paths, n: int = 4, seed: int = 7) -> tuple[Path, Path]:
    """``n`` new tracks in ``where/music`` and a playlist "New and old" holding them and 3 of
    ``old_paths``; returns (music dir, playlist file). The tracks are numbered after the old
    ones: a same-titled track by the same artist would be folded away as a copy."""
    music, _, paths = make_music(where, n_tracks=len(old_paths) + n, seconds=0.5, seed=seed)
    for p in paths[:len(old_paths)]:
        p.unlink()
    mix = where / "New and old.m3u8"
    mix.write_text("#EXTM3U\n" + "\n".join(str(p) for p in [*old_paths[:3], *paths[len(old_paths):]])
                   + "\n", encoding="utf-8")
    return music, mix
