"""A track whose audio cannot be decoded stays in the library, and every ``embed`` (the
window's Compute embeddings) tries it again: a file may become readable. What the user was
told did not say what to do ("1 failed", on every run), and ``stats`` counted the track "to
analyse" for ever, as the window's summary counted it among those still to embed."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio.embed_job import EmbedReport
from musicsage.cli import main
from musicsage.controllers.library import audio_summary
from musicsage.controllers.summaries import describe_embed, lacking_note
from musicsage.text import sentence


def _write_song(path, freq: float) -> None:
    t = np.arange(2 * 16000) / 16000
    sf.write(str(path), (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32), 16000,
             format="FLAC")


@pytest.fixture
def damaged(tmp_path, data_dir, capsys):
    """Three tracks scanned and embedded (spectral), then one file damaged in place: its
    audio can no longer be decoded. Returns (data dir, music dir, damaged file)."""
    music = tmp_path / "music"
    music.mkdir()
    for i, freq in enumerate((220.0, 440.0, 880.0)):
        _write_song(music / f"song {i}.flac", freq)
    assert main(["--data-dir", str(data_dir), "scan", str(music)]) == 0
    bad = music / "song 1.flac"
    bad.write_bytes(np.random.default_rng(0).integers(0, 256, 20_000, np.uint8).tobytes())
    capsys.readouterr()
    return data_dir, music, bad


def _stats(data_dir, capsys) -> tuple[str, dict]:
    assert main(["--data-dir", str(data_dir), "stats"]) == 0
    text = capsys.readouterr().out
    assert main(["--data-dir", str(data_dir), "stats", "--json"]) == 0
    return text, json.loads(capsys.readouterr().out)


def test_embed_says_what_to_do_about_a_file_it_cannot_decode(damaged, capsys):
    data_dir, _music, bad = damaged
    for _run in range(2):  # the advice comes with every run that fails on it
        assert main(["--data-dir", str(data_dir), "embed", "--model", "spectral"]) == 0
        out, err = capsys.readouterr()
        assert "1 failed" in out
        assert f"  failed: {bad}" in err
        assert err.rstrip().endswith(
            "note: the file that failed is tried again on every embedding run: replace it "
            "with a good copy (re-rip it), or delete it and scan")


def test_stats_tells_a_track_that_could_not_be_read_from_one_to_analyse(damaged, capsys):
    data_dir, music, bad = damaged
    assert main(["--data-dir", str(data_dir), "embed", "--model", "spectral"]) == 0
    text, found = _stats(data_dir, capsys)
    assert ("tracks     3 (3 present, 0 missing, 0 to analyse, 1 failed analysis, "
            "retried by every embed)") in text
    # needs_analysis keeps its meaning (what embed would analyse); unreadable is new
    assert found["tracks"] == {"total": 3, "present": 3, "missing": 0, "needs_analysis": 1,
                               "unreadable": 1, "no_audio_file": 0}
    _write_song(bad, 330.0)  # a good copy put back: the next embed reads it
    os.utime(bad)
    assert main(["--data-dir", str(data_dir), "embed"]) == 0
    capsys.readouterr()
    text, found = _stats(data_dir, capsys)
    assert "(3 present, 0 missing, 0 to analyse)" in text
    assert found["tracks"]["needs_analysis"] == found["tracks"]["unreadable"] == 0


def test_a_file_changed_since_it_failed_is_to_analyse_again(damaged, capsys):
    """A failure counts until the file changes: the scan that reads the new file makes it a
    track to analyse, not one that could not be read."""
    data_dir, music, bad = damaged
    assert main(["--data-dir", str(data_dir), "embed", "--model", "spectral"]) == 0
    _write_song(bad, 330.0)
    assert main(["--data-dir", str(data_dir), "scan", str(music)]) == 0
    capsys.readouterr()
    text, found = _stats(data_dir, capsys)
    assert "(3 present, 0 missing, 1 to analyse)" in text
    assert (found["tracks"]["needs_analysis"], found["tracks"]["unreadable"]) == (1, 0)


def test_the_window_gives_the_same_advice_and_a_summary_that_names_the_failure(damaged,
                                                                              capsys):
    from musicsage.context import AppContext
    from musicsage.usecases.snapshot import load_snapshot

    data_dir, _music, _bad = damaged
    assert main(["--data-dir", str(data_dir), "embed", "--model", "spectral"]) == 0
    capsys.readouterr()
    snap = load_snapshot(AppContext.create(data_dir))
    assert audio_summary(snap) == ("spectral", "2 of 3 embedded, 1 could not be read")
    assert lacking_note(snap) == "", "the run that failed said so; nothing is left to compute"
    one = EmbedReport("spectral", "v1", "cpu", total=1, failed=1,
                      errors=[("/m/b.flac", "b.flac: cannot decode (lost sync)")])
    assert describe_embed(one) == (
        "Embeddings computed with spectral: 0 tracks, 1 failed (b.flac: cannot decode (lost "
        "sync)). The file that failed is tried again on every embedding run: replace it with "
        "a good copy (re-rip it), or delete it and scan")
    assert describe_embed(one).endswith(sentence(one.failed_advice)), "one wording for both"
    many = EmbedReport("spectral", "v1", "cpu", total=3, embedded=1, failed=2)
    assert many.failed_advice.startswith("the 2 files that failed are tried again")
    assert EmbedReport("spectral", "v1", "cpu", total=1, embedded=1).failed_advice == ""
