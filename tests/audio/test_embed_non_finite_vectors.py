"""A track whose vector comes out with NaN or infinite values is a failure, never a vector.

A 32-bit float WAV may hold samples far outside -1…1; MusiCNN's power spectrum of such audio
overflows float32 and its vector came out all NaN. It was stored and counted "embedded", and
every later run re-analysed it as "damaged" and stored the same NaN vector again.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from peak_model_support import SR, PeakModel

from musicsage.audio.embed_job import run_embed_job
from musicsage.audio.embedder import AudioEmbedder
from musicsage.library.db import connect
from musicsage.library.queries import get_embeddings

REPO = Path(__file__).resolve().parents[2]
WHEEL = REPO / "models" / "musicnn-0.1.0-py3-none-any.whl"


def _add(ctx, paths) -> list[int]:
    conn = connect(ctx)
    return [conn.execute("INSERT INTO tracks(path, title) VALUES (?, ?)",
                         (str(p), p.stem)).lastrowid for p in paths]


def _tone(scale: float) -> np.ndarray:
    t = np.arange(4 * SR) / SR
    return (scale * np.sin(2 * np.pi * 440.0 * t)).astype(np.float32)


class _LoudnessModel(PeakModel):
    """A model whose vector overflows for audio louder than float32 can square."""

    model_version = "non-finite-test"

    def infer(self, units):
        with np.errstate(over="ignore"):
            return np.asarray(units, np.float32) ** 2 * np.float32(1e10)


def _assert_failed_not_stored(ctx, model_id: str, ok_id: int, bad_id: int, rep) -> None:
    assert (rep.embedded, rep.failed) == (1, 1)
    assert rep.errors and "NaN or infinite" in rep.errors[0][1]
    ids, matrix = get_embeddings(connect(ctx), model_id)
    assert list(ids) == [ok_id] and np.isfinite(matrix).all()
    row = connect(ctx).execute("SELECT track_id, stage FROM errors WHERE stage LIKE 'embed:%'"
                               ).fetchone()
    assert tuple(row) == (bad_id, f"embed:{model_id}")


def test_an_overflowing_vector_is_a_failure_of_its_track(ctx, tmp_path):
    sf.write(tmp_path / "ok.wav", _tone(0.3), SR, subtype="FLOAT")
    sf.write(tmp_path / "too loud.wav", _tone(1e30), SR, subtype="FLOAT")
    ok_id, bad_id = _add(ctx, [tmp_path / "ok.wav", tmp_path / "too loud.wav"])
    rep = run_embed_job(ctx, _LoudnessModel(), cores=1)
    _assert_failed_not_stored(ctx, "spectral", ok_id, bad_id, rep)
    again = run_embed_job(ctx, _LoudnessModel(), cores=1)  # tried again, not "damaged"
    assert (again.total, again.embedded, again.failed, again.reanalysis) == (1, 0, 1, "")


@pytest.mark.skipif(not WHEEL.is_file(), reason=f"{WHEEL.name} absent: scripts/setup.sh "
                    "fetches it")
def test_musicnn_of_far_out_of_range_float_audio_stores_no_nan_vector(ctx, tmp_path):
    from musicsage.audio.embedder import get_embedder

    sf.write(tmp_path / "ok.wav", _tone(0.3), SR, subtype="FLOAT")
    sf.write(tmp_path / "too loud.wav", _tone(1e30), SR, subtype="FLOAT")
    ok_id, bad_id = _add(ctx, [tmp_path / "ok.wav", tmp_path / "too loud.wav"])
    embedder = get_embedder("musicnn", ctx, device="cpu")
    rep = run_embed_job(ctx, embedder, cores=1)
    _assert_failed_not_stored(ctx, embedder.model_id, ok_id, bad_id, rep)


def _stored_nan(ctx, track_id: int, model: AudioEmbedder) -> None:
    """A NaN vector as an older version stored it for the track."""
    from musicsage.library.queries import store_embedding

    store_embedding(connect(ctx), track_id, model.model_id, model.model_version,
                    np.array([np.nan, 1.0], np.float32))


def test_a_damaged_vector_an_older_version_stored_goes_when_analysing_again_fails(
        ctx, tmp_path):
    """Kept, it was "re-analysed" on every embed, failed again each time, and training left
    the track out saying its file "cannot be decoded" (it decodes: the model overflows)."""
    sf.write(tmp_path / "ok.wav", _tone(0.3), SR, subtype="FLOAT")
    sf.write(tmp_path / "too loud.wav", _tone(1e30), SR, subtype="FLOAT")
    ok_id, bad_id = _add(ctx, [tmp_path / "ok.wav", tmp_path / "too loud.wav"])
    _stored_nan(ctx, bad_id, _LoudnessModel())
    rep = run_embed_job(ctx, _LoudnessModel(), cores=1)
    assert rep.reanalysis.startswith("re-analysing 1 track whose stored vector was damaged")
    _assert_failed_not_stored(ctx, "spectral", ok_id, bad_id, rep)
    again = run_embed_job(ctx, _LoudnessModel(), cores=1)  # a failed track, not "damaged"
    assert (again.total, again.failed, again.reanalysis) == (1, 1, "")


def test_an_overflow_is_named_as_such_not_an_undecodable_file(ctx, tmp_path, capsys):
    """A library the older version left with the NaN vector and the failure recorded."""
    from musicsage.audio.embed_job import non_finite_error
    from musicsage.graph.data import GraphData
    from musicsage.library.queries import record_error

    paths = [tmp_path / f"t{i}.wav" for i in range(6)]
    for path in paths:
        sf.write(path, _tone(0.3), SR, subtype="FLOAT")
    ids = _add(ctx, paths)
    conn = connect(ctx)
    for i, track_id in enumerate(ids):
        conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim,"
                     " vector) VALUES (?, 'spectral', 'v', 2, ?)",
                     (track_id, np.array([i, np.nan if i == 0 else 1.0], "<f4").tobytes()))
    record_error(conn, str(paths[0]), "embed:spectral", non_finite_error("spectral"), ids[0])
    notes = GraphData.from_library(conn, "spectral").read_notes
    assert notes and notes[0].endswith("(1 whose audio gives NaN or infinite values in "
                                       "spectral)"), notes
    conn.execute("DELETE FROM audio_embeddings WHERE track_id = ?", (ids[0],))
    from musicsage import cli

    assert cli.main(["stats", "--data-dir", str(ctx.data_dir)]) == 0
    out = capsys.readouterr().out
    assert "1 failed analysis, retried by every embed" in out and "could not be read" not in out


def test_musicnn_front_end_of_overflowing_audio_prints_no_numpy_warning():
    """Two raw RuntimeWarnings, with source lines, reached the terminal before embed's one
    line naming the failure; the non-finite result is the failure, caught later."""
    import warnings

    from musicsage.audio.musicnn.features import log_mel_spectrogram

    audio = _tone(1e30)[:16000]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mel = log_mel_spectrogram(audio)
    assert not np.isfinite(mel).all()
