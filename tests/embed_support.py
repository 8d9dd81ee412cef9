"""Tracks made for the embed tests without a scan: a file's row in the library (its path, its
name as the title), as the embed job finds it, and the files written for them. Each test file
had its own copy of these."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from musicsage.library.db import connect

RATE = 22050


def track_row(ctx, path: Path) -> int:
    """The id of a new row for the file at ``path``, titled by its name (no scan: nothing is
    read from the file, which may be missing, damaged or not written yet)."""
    return connect(ctx).execute("INSERT INTO tracks(path, title) VALUES (?, ?)",
                                (str(path), path.stem)).lastrowid


def written_track(ctx, path: Path, samples: np.ndarray, sr: int = RATE) -> int:
    """``samples`` written to ``path`` as a float32 WAV at ``sr``, and its :func:`track_row`."""
    sf.write(path, np.asarray(samples, dtype=np.float32), sr)
    return track_row(ctx, path)


def noise_tracks(ctx, folder: Path, n: int, seconds: float) -> list[int]:
    """``n`` tracks of ``seconds`` of quiet noise each ("mix 0.wav" …, each its own noise), for
    the tests that hold their decodes a while: a long mix's memory and time."""
    ids = []
    for i in range(n):
        noise = 0.2 * np.random.default_rng(i).standard_normal(int(seconds * RATE))
        ids.append(written_track(ctx, folder / f"mix {i}.wav", noise))
    return ids
