"""A stored vector of a track too short to analyse is kept (task fix_embedstate).

A file under 0.1 s fails ``embed`` as too short to analyse. A version of ``embed`` deleted the
vector such a track already held wherever it equalled what the model makes of the file now (an
older version's padding) — but a real MusiCNN vector of near-silent audio equals it too, so a
vector no run could make again was lost, and the track was reported failed with an error row
for good. A vector such a track holds is left alone, as before that version; a re-analysis of
it that fails is said failed, not "re-analysing" on every run.
"""

from __future__ import annotations

import json

import numpy as np
import soundfile as sf

from musicsage.audio.spectral import SpectralEmbedder
from musicsage.cli import main
from musicsage.library.db import connect
from musicsage.library.queries import embedding_versions, store_embedding


def _library(ctx, tmp_path, capsys):
    """Three tones and a one-sample click, scanned and embedded with spectral (the click
    fails as too short); the ``--data-dir`` arguments, and the click's and a tone's ids."""
    music = tmp_path / "music"
    music.mkdir()
    t = np.arange(2 * 22050) / 22050
    for name, hz in (("song", 440), ("low", 220), ("high", 880)):
        sf.write(music / f"{name}.wav", (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32),
                 22050)
    sf.write(music / "one.wav", np.array([0.5], dtype=np.float32), 22050)
    data = ["--data-dir", str(ctx.data_dir)]
    assert main(["scan", str(music), *data]) == 0
    assert main(["embed", "--model", "spectral", *data]) == 0
    capsys.readouterr()
    ids = dict(connect(ctx).execute("SELECT title, id FROM tracks").fetchall())
    return data, ids["one"], ids["song"], music / "one.wav"


def _stored(ctx, track: int, version: str, vector) -> None:
    """``vector`` stored as the track's spectral vector of ``version`` (imported from a good
    copy, or made by an older version), without the failure this run recorded."""
    conn = connect(ctx)
    store_embedding(conn, track, "spectral", version, vector)
    conn.execute("DELETE FROM errors WHERE stage = 'embed:spectral'")
    conn.commit()


def test_a_vector_equal_to_the_models_padding_is_not_deleted(ctx, tmp_path, capsys):
    """The vector is exactly what the model makes of the click now (as a real vector of
    near-silent audio is): an embed leaves it, and records no failure."""
    data, one, song, path = _library(ctx, tmp_path, capsys)
    model = SpectralEmbedder()
    padding = model.pool(model.infer(model.prepare([sf.read(path, dtype="float32")[0]])))
    version = embedding_versions(connect(ctx), "spectral")[song]
    _stored(ctx, one, version, padding)
    assert main(["embed", *data]) == 0
    said = capsys.readouterr()
    assert said.out.startswith("nothing to embed"), said.out
    assert "too short" not in said.err
    kept = connect(ctx).execute("SELECT vector FROM audio_embeddings WHERE track_id = ?",
                                (one,)).fetchone()
    assert kept is not None and np.array_equal(np.frombuffer(kept[0], dtype="<f4"), padding)
    assert not connect(ctx).execute("SELECT 1 FROM errors WHERE track_id = ?", (one,)).fetchall()


def test_a_failing_track_keeping_a_vector_of_other_settings_is_said_failed_not_re_analysed(
        ctx, tmp_path, capsys):
    """The run that first redoes a vector of other settings says "re-analysing"; it fails
    (too short), the vector stays, and the next runs say only that it failed: they said
    "re-analysing" for ever."""
    data, one, _song, _path = _library(ctx, tmp_path, capsys)
    real = np.linspace(0.1, 1.0, 265, dtype=np.float32)
    _stored(ctx, one, "spectral1;sr=22050;max=10;excerpts=3", real)
    assert main(["embed", *data]) == 0
    assert "1 vector of spectral was made with other analysis settings" in capsys.readouterr().out
    assert one in embedding_versions(connect(ctx), "spectral")
    assert main(["embed", "--json", *data]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["total"], report["failed"], report["too_short"]) == (1, 1, 1)
    assert report["reanalysis"] == ""
