"""Tracks whose audio vectors differ by rounding only are one sound, not a spread of scores.

The audio space z-scores each dimension over the library. A column spread only by the
rounding of the computation that made it (a network's dead unit, equal but for its last bits)
was scaled up to unit size like a real feature: copies of one sound were scored against each
other by that noise and called "not close in sound". A column constant up to rounding, 3e-6
of its own values (:func:`musicsage.vectors.zscore`), now counts as constant, so they read as
one sound ("fewer than 3 different tracks"), while real spread, in any units and at any
magnitude, is z-scored as before (the evaluation's audio-only baseline is the same function).
Copies apart by a real change, however small (one sample nudged by 1e-4 moves columns of
values near 0.007 by 2e-4 of their values), are apart: a floor counting every value from 1
flattened them, and with them a model's small but real values (a rare tag's probability).
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


def _one_recording(folder: Path, copies: int = 12) -> None:
    """``copies`` WAV files of one recording (tones and noise), each with one sample moved
    by 1e-4 (about three steps of 16-bit audio): not copies of one file, one sound to ear."""
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


def test_copies_of_one_recording_apart_by_rounding_are_one_sound(capsys, ctx, tmp_path):
    """Each take's vector the first one's moved by a few float32 steps, as another
    machine's or thread count's sums round it."""
    from musicsage.library.db import connect
    from musicsage.library.queries import embedding_versions, store_embeddings
    from musicsage.usecases.embedding import audio_embeddings, embed_library
    from musicsage.usecases.library import scan_library

    _one_recording(tmp_path / "music")
    scan_library(ctx, [str(tmp_path / "music")])
    embed_library(ctx, "spectral")
    (model_id,) = _models(ctx)
    ids, raw = audio_embeddings(ctx, model_id, present_only=False)
    rounded = [raw[0].copy() for _ in range(len(raw))]
    for i, row in enumerate(rounded):
        for _step in range(i % 4):  # up to 3 float32 steps in every column
            row[:] = np.nextafter(row, np.float32(np.inf))
    conn = connect(ctx)
    (version,) = set(embedding_versions(conn, model_id).values())
    store_embeddings(conn, zip(ids.tolist(), rounded), model_id, version)
    conn.commit()
    stored = audio_embeddings(ctx, model_id, present_only=False).matrix
    assert len(np.unique(stored, axis=0)) == 4, "the copies must differ (by rounding)"

    rc, out, err = run_cli(capsys, ctx, "similar", "1", "--space", "audio", "-k", "11")

    assert (rc, out) == (1, ""), out
    assert "not close in sound" not in err
    assert err.startswith("musicsage similar: no similar tracks: audio: nothing to compare by "
                          "sound yet: fewer than 3 different tracks have an audio vector")


def _models(ctx) -> list[str]:
    from musicsage.library.db import connect
    from musicsage.library.queries import embedding_version_counts

    return sorted({model for model, _version in embedding_version_counts(connect(ctx))})


def test_only_a_column_spread_by_rounding_becomes_zeros():
    """Columns spread by rounding only are zeros, at any magnitude; real spread in any units,
    as the Spotify set's features have it (fractions, dB, BPM, milliseconds), small values
    with real spread (a rare tag's probability, a column moved by a nudged sample) and a
    large value spread by a few parts in 10^6 keep unit spread; a column with a NaN is not
    taken for a constant one (callers refuse or drop such rows)."""
    rng = np.random.default_rng(0)
    rounding = [0.3 + rng.normal(size=50) * 1e-8,  # float32 steps of a value near 0.3
                2e-6 + rng.normal(size=50) * 1e-13,  # a dead unit's
                5e4 + rng.normal(size=50) * 2e-3]  # float32 steps of a value near 5e4
    real = [rng.uniform(0, 1, 50), rng.normal(-7, 3, 50), rng.normal(120, 27, 50),
            rng.normal(2.3e5, 6e4, 50), rng.normal(1e-3, 1e-4, 50), rng.normal(1e4, 1.0, 50),
            rng.uniform(1e-7, 3e-5, 50), rng.normal(5e4, 0.3, 50),
            rng.normal(7e-3, 1.6e-6, 50)]
    m = np.stack(rounding + real, axis=1)
    z = zscore(m)

    assert (z[:, :3] == 0).all()
    assert np.allclose(z[:, 3:].std(axis=0), 1.0, atol=1e-4)
    assert np.allclose(z[:, 3], (m[:, 3] - m[:, 3].mean()) / m[:, 3].std(), atol=1e-5)
    assert constant_columns(m).tolist() == [True] * 3 + [False] * 9
    assert constant_columns(np.array([[np.nan], [1.0], [1.0]])).tolist() == [False]
