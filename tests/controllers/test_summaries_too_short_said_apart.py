"""What the library says of its tracks without a vector: a click too short to analyse (read
fine, given no vector) was counted with the files that could not be decoded — the window's
summary said "1 could not be read", and ``stats`` "1 failed analysis", as of a damaged file to
replace."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from musicsage.cli import main
from musicsage.context import AppContext
from musicsage.controllers.audio_summary import audio_summary
from musicsage.controllers.summaries import lacking_note
from musicsage.usecases.library import library_stats
from musicsage.usecases.snapshot import load_snapshot


def _write(path, seconds: float, freq: float = 440.0) -> None:
    t = np.arange(int(seconds * 16000)) / 16000
    sf.write(str(path), (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32), 16000,
             format="WAV")


@pytest.fixture
def with_click(tmp_path, data_dir, capsys):
    """Two songs and a click of 200 samples, scanned and embedded (the click failed)."""
    music = tmp_path / "music"
    music.mkdir()
    _write(music / "a.wav", 2.0, 220.0)
    _write(music / "b.wav", 2.0, 880.0)
    _write(music / "click.wav", 200 / 16000)
    assert main(["--data-dir", str(data_dir), "scan", str(music)]) == 0
    assert main(["--data-dir", str(data_dir), "embed", "--model", "spectral"]) == 0
    assert "too short to analyse" in capsys.readouterr().err  # as embed says it
    return AppContext.create(data_dir), music


def test_a_click_is_said_too_short_not_unreadable(with_click):
    ctx, _music = with_click
    tracks = library_stats(ctx).tracks
    assert (tracks.needs_analysis, tracks.unreadable, tracks.too_short) == (1, 1, 1)
    snap = load_snapshot(ctx)
    _model, said = audio_summary(snap)
    assert said == "2 of 3 embedded, 1 too short to analyse"
    assert lacking_note(snap) == ""  # the run that failed on it said so


def _damaged_beside(with_click, capsys, name: str):
    """``name`` scanned as a song, its audio then cut off, and embedded (it fails)."""
    ctx, music = with_click
    bad = music / name
    _write(bad, 2.0, 330.0)
    data_dir = str(ctx.data_dir)
    assert main(["--data-dir", data_dir, "scan", str(music)]) == 0
    bad.write_bytes(bad.read_bytes()[:44] + bytes(200))  # its audio cut off after the scan
    assert main(["--data-dir", data_dir, "embed"]) == 0
    capsys.readouterr()
    return ctx


def test_a_damaged_file_beside_a_click_is_said_apart(with_click, capsys):
    ctx = _damaged_beside(with_click, capsys, "bad.wav")
    tracks = library_stats(ctx).tracks
    assert (tracks.unreadable, tracks.too_short) == (2, 1)
    _model, said = audio_summary(load_snapshot(ctx))
    assert said == "2 of 4 embedded, 1 could not be read, 1 too short to analyse"


def test_stats_says_a_click_too_short_not_failed(with_click, capsys):
    ctx, _music = with_click
    capsys.readouterr()
    assert main(["--data-dir", str(ctx.data_dir), "stats"]) == 0
    line = next(l for l in capsys.readouterr().out.splitlines() if l.startswith("tracks"))
    assert "0 to analyse, 1 too short to analyse (no vector), retried by every embed" in line
    assert "failed analysis" not in line


def test_a_damaged_file_named_like_the_words_is_not_a_click(with_click, capsys):
    ctx = _damaged_beside(with_click, capsys, "Intro: too short to analyse (live).wav")
    tracks = library_stats(ctx).tracks
    assert (tracks.unreadable, tracks.too_short) == (2, 1)


def test_the_status_line_says_a_click_apart_beside_a_new_track(with_click, capsys):
    ctx, music = with_click
    _write(music / "new.wav", 2.0, 660.0)
    assert main(["--data-dir", str(ctx.data_dir), "scan", str(music)]) == 0
    capsys.readouterr()
    assert lacking_note(load_snapshot(ctx)) == (
        "2 tracks still lack an audio embedding (1 too short to analyse), so the map leaves "
        "them out: Analyse ▸ Compute embeddings")
