"""The vector an older version stored of a click, the model's padding (task embedstate).

A file under 0.1 s fails as too short to analyse; an older version stored the model's padding
as its vector instead. Of the current settings, that vector was never looked at again: the click
stayed a neighbour of every track ("similar" listed it). Of other settings only, every ``embed``
said "1 vector of spectral was made with other analysis settings …: re-analysing" for ever, and
the window "1 track still to be analysed again …: Compute embeddings finishes the re-analysis".

Such a track is judged once; its vector goes only when it IS the padding the model makes of the
file now: a vector made from real audio (imported from a good copy of a file whose header
understates it) is kept, and not re-read by every run.
"""

from __future__ import annotations

import json
import re

import numpy as np
import soundfile as sf

from musicsage.audio.spectral import SpectralEmbedder
from musicsage.cli import main
from musicsage.library.db import connect
from musicsage.library.queries import embedding_versions, store_embedding


def _library(ctx, tmp_path, capsys):
    """Three tones and a one-sample click, scanned and embedded with spectral (the click
    fails); ``similar`` compares by sound from 3 analysed tracks on."""
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
    conn = connect(ctx)
    ids = dict(conn.execute("SELECT title, id FROM tracks").fetchall())
    return data, ids["song"], ids["one"], music / "one.wav", ids["low"], ids["high"]


def _as_an_older_version_stored(ctx, track: int, version: str, vector) -> None:
    """``vector`` stored as the track's spectral vector of ``version``, without the failure
    this version recorded (an older one embedded the click as if analysed)."""
    conn = connect(ctx)
    store_embedding(conn, track, "spectral", version, vector)
    conn.execute("DELETE FROM errors WHERE stage = 'embed:spectral'")
    conn.commit()


def _padding(path) -> np.ndarray:
    """What the spectral model makes of the file's one sample, padded to its frame."""
    model = SpectralEmbedder()
    return model.pool(model.infer(model.prepare([sf.read(path, dtype="float32")[0]])))


def _listed(out: str) -> bool:
    """Whether ``similar``'s list names the click (a line "  3   one   0.127")."""
    return re.search(r"^\s*\d+\s+one\s", out, re.MULTILINE) is not None


def _version(ctx, track: int) -> str:
    return embedding_versions(connect(ctx), "spectral")[track]


def test_a_clicks_padding_of_the_current_settings_goes_and_it_is_no_neighbour(
        ctx, tmp_path, capsys):
    data, song, one, path, *tones = _library(ctx, tmp_path, capsys)
    _as_an_older_version_stored(ctx, one, _version(ctx, song), _padding(path))
    assert main(["similar", "song", *data]) == 0
    assert _listed(capsys.readouterr().out)  # the padding listed as a neighbour
    assert main(["embed", *data]) == 0
    assert "too short to analyse" in capsys.readouterr().err
    assert sorted(embedding_versions(connect(ctx), "spectral")) == sorted([song, *tones])
    assert main(["similar", "song", *data]) == 0
    assert not _listed(capsys.readouterr().out)


def test_a_clicks_padding_of_other_settings_is_not_re_analysed_on_every_run(
        ctx, tmp_path, capsys):
    data, song, one, path, *tones = _library(ctx, tmp_path, capsys)
    _as_an_older_version_stored(ctx, one, "spectral1;sr=22050;max=10;excerpts=3", _padding(path))
    assert main(["embed", *data]) == 0
    capsys.readouterr()
    assert sorted(embedding_versions(connect(ctx), "spectral")) == sorted([song, *tones])
    for _ in range(2):
        assert main(["embed", *data]) == 0
        said = capsys.readouterr()
        assert "re-analysing" not in said.out + said.err
        assert "too short to analyse" in said.err  # tried again, as a failed file is


def test_a_vector_of_real_audio_is_kept_and_judged_once(ctx, tmp_path, capsys):
    """Not the padding (a good copy's, imported): kept, and the next embed has nothing to
    do (a fix that dropped any vector of a click would lose it; one that listed it on every
    run would fail it on every run)."""
    data, song, one, path, *tones = _library(ctx, tmp_path, capsys)
    real = np.linspace(0.1, 1.0, len(_padding(path)), dtype=np.float32)
    _as_an_older_version_stored(ctx, one, _version(ctx, song), real)
    assert main(["embed", *data]) == 0
    assert "too short to analyse" in capsys.readouterr().err
    assert sorted(embedding_versions(connect(ctx), "spectral")) == sorted([song, one, *tones])
    assert main(["embed", *data]) == 0
    assert capsys.readouterr().out.startswith("nothing to embed")
    kept = connect(ctx).execute("SELECT vector FROM audio_embeddings WHERE track_id = ?",
                                (one,)).fetchone()[0]
    assert np.array_equal(np.frombuffer(kept, dtype="<f4"), real)


def test_a_failing_track_keeping_a_vector_of_other_settings_is_said_failed_not_re_analysed(
        ctx, tmp_path, capsys):
    """A vector of other settings that is no padding stays (a memory failure at a larger
    ``--max-seconds`` keeps a long mix's vector alike); the run that first redoes it says
    "re-analysing", the next ones only that it failed: they said "re-analysing" for ever."""
    data, song, one, path, *tones = _library(ctx, tmp_path, capsys)
    real = np.linspace(0.1, 1.0, len(_padding(path)), dtype=np.float32)
    _as_an_older_version_stored(ctx, one, "spectral1;sr=22050;max=10;excerpts=3", real)
    assert main(["embed", *data]) == 0
    assert "1 vector of spectral was made with other analysis settings" in capsys.readouterr().out
    assert one in embedding_versions(connect(ctx), "spectral")
    assert main(["embed", "--json", *data]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["total"], report["failed"], report["too_short"]) == (1, 1, 1)
    assert report["reanalysis"] == ""
