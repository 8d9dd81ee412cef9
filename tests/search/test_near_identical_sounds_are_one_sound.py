"""Tracks whose audio differs by rounding only are one sound, not a spread of scores.

The audio space z-scores each dimension over the library. A column spread only by the
rounding of the computation that made it (twelve copies of one recording, one sample nudged
by 1e-4 in each) was scaled up to unit size like a real feature: `similar` scored the twelve
copies -0.74 to 0.95 against each other and called half of them "not close in sound". A
column constant up to rounding now counts as constant (:func:`musicsage.vectors.zscore`),
so they read as one sound ("fewer than 3 different tracks"), while real spread, in any
units, is z-scored as before (the evaluation's audio-only baseline is the same function).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from search_helpers import run_cli  # noqa: E402

from musicsage.vectors import constant_columns, zscore  # noqa: E402

SR = 22050
SECONDS = 4


def _one_recording_nudged(folder: Path, copies: int = 12) -> None:
    """``copies`` WAV files of one recording (tones and noise), each with one sample moved
    by 1e-4 (about three steps of 16-bit audio): the same sound to any ear."""
    import soundfile as sf

    folder.mkdir(parents=True)
    t = np.arange(int(SR * SECONDS)) / SR
    rng = np.random.default_rng(1)
    base = (0.3 * np.sin(2 * np.pi * 440 * t) + 0.2 * np.sin(2 * np.pi * 660 * t)
            + 0.05 * rng.standard_normal(len(t))).astype(np.float32)
    for i in range(copies):
        y = base.copy()
        y[1000 + 37 * i] += 1e-4
        sf.write(str(folder / f"take {i:02d}.wav"), y, SR, subtype="FLOAT")


def test_copies_of_one_recording_nudged_by_a_sample_are_one_sound(capsys, ctx, tmp_path):
    from musicsage.usecases.embedding import audio_embeddings, embed_library
    from musicsage.usecases.library import scan_library

    _one_recording_nudged(tmp_path / "music")
    scan_library(ctx, [str(tmp_path / "music")])
    embed_library(ctx, "spectral")
    raw = audio_embeddings(ctx, "spectral", present_only=False).matrix
    assert len(raw) == 12 and len(np.unique(raw, axis=0)) == 12, \
        "the copies must differ (exact copies are one sound already)"

    rc, out, err = run_cli(capsys, ctx, "similar", "1", "--space", "audio", "-k", "11")

    assert (rc, out) == (1, ""), out
    assert "not close in sound" not in err
    assert err.startswith("musicsage similar: no similar tracks: audio: nothing to compare by "
                          "sound yet: fewer than 3 different tracks have an audio vector")


def test_only_a_column_spread_by_rounding_becomes_zeros():
    """Columns spread by rounding only are zeros; real spread in any units, as the Spotify
    set's features have it (fractions, dB, BPM, milliseconds), a feature of small values
    with real spread and a large value spread by a part in 10^4 keep unit spread; a column
    with a NaN is not taken for a constant one (callers refuse or drop such rows)."""
    rng = np.random.default_rng(0)
    rounding = [0.3 + rng.normal(size=50) * 1e-8,  # float32 steps of a value near 0.3
                3e-5 + rng.normal(size=50) * 5e-8]  # a small value beside values near 1
    real = [rng.uniform(0, 1, 50), rng.normal(-7, 3, 50), rng.normal(120, 27, 50),
            rng.normal(2.3e5, 6e4, 50), rng.normal(1e-3, 1e-4, 50), rng.normal(1e4, 1.0, 50)]
    m = np.stack(rounding + real, axis=1)
    z = zscore(m)

    assert (z[:, :2] == 0).all()
    assert np.allclose(z[:, 2:].std(axis=0), 1.0, atol=1e-4)
    assert np.allclose(z[:, 2], (m[:, 2] - m[:, 2].mean()) / m[:, 2].std(), atol=1e-5)
    assert constant_columns(m).tolist() == [True, True] + [False] * 6
    assert constant_columns(np.array([[np.nan], [1.0], [1.0]])).tolist() == [False]
