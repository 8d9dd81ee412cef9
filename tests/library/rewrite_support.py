"""Three tones scanned and embedded through the CLI, and a file rewritten in place with
other audio of the same size: what the rewritten-file and content-hash tests share. A plain
module with a name unique across tests/, as ``library_audio`` is."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from library_audio import write_audio

from musicsage import cli
from musicsage.context import AppContext
from musicsage.library import queries as q
from musicsage.library.db import connect

FREQS = {"t0.wav": 220.0, "t1.wav": 330.0, "t2.wav": 440.0}


def run(ctx: AppContext, *args) -> None:
    assert cli.main([*map(str, args), "--data-dir", str(ctx.data_dir)]) == 0


def vectors(ctx: AppContext) -> dict[str, np.ndarray]:
    """File name → its spectral vector."""
    conn = connect(ctx)
    ids, matrix = q.get_embeddings(conn, "spectral")
    names = {t["id"]: Path(t["path"]).name for t in q.all_tracks(conn)}
    return {names[int(t)]: row for t, row in zip(ids, matrix)}


def rewrite(path: Path, freq: float) -> None:
    """Other audio at the same path, of the same size (a WAV of the same length)."""
    size, mtime = path.stat().st_size, path.stat().st_mtime_ns
    write_audio(path, seconds=1.0, freq=freq)
    os.utime(path, ns=(mtime + 10**9, mtime + 10**9))
    assert path.stat().st_size == size


def library(ctx: AppContext, music: Path) -> dict[str, np.ndarray]:
    for name, freq in FREQS.items():
        write_audio(music / name, seconds=1.0, freq=freq)
    run(ctx, "scan", music)
    run(ctx, "embed", "--model", "spectral")
    return vectors(ctx)
