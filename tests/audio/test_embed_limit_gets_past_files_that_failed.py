"""``embed --limit N`` (a trial run, a nightly batch) analysed the tracks in id order, and a
track whose analysis failed stays to analyse (every run tries it again): once the first N
tracks were files that failed, every ``--limit N`` run tried them again and failed again,
and embedded nothing else, ever. Tracks never tried come first; the failed ones after."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf
from embed_support import track_row

from musicsage.usecases.embedding import embed_library


def _tone(path: Path, hz: float) -> Path:
    t = np.arange(22050 * 2) / 22050
    sf.write(path, (0.4 * np.sin(2 * np.pi * hz * t)).astype(np.float32), 22050)
    return path


def test_limited_runs_reach_every_track_then_retry_the_failed_one(ctx, tmp_path):
    broken = tmp_path / "a_broken.wav"
    broken.write_bytes(b"RIFF....WAVEfmt garbage")
    track_row(ctx, broken)  # the lowest id: first in line
    for i, hz in enumerate((300.0, 500.0)):
        track_row(ctx, _tone(tmp_path / f"b{i}.wav", hz))

    first = embed_library(ctx, "spectral", limit=1)
    assert (first.embedded, first.failed) == (0, 1)
    second = embed_library(ctx, "spectral", limit=1)
    assert (second.embedded, second.failed) == (1, 0), "the failed file blocked the run"
    third = embed_library(ctx, "spectral", limit=1)
    assert (third.embedded, third.failed) == (1, 0)
    last = embed_library(ctx, "spectral", limit=1)  # only the failed one is left: tried again
    assert (last.total, last.embedded, last.failed) == (1, 0, 1)
