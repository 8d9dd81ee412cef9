"""The ``stats`` line that counts the errors of tracks now missing apart, in the cases its
first version missed: a track renamed (found moved), then deleted, whose error row keeps its
old path — it was counted among the errors one can act on; a library whose only errors are
of missing tracks — it read "errors 0; 1 more, of a track now missing"; and a music folder
that is a single file, gone — its own "not found" row, which the user can act on (forget the
folder, mount the drive) as on a folder's, was counted as a missing track's."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_stats_errors_of_missing_tracks import _wav

from musicsage.cli import main


def _errors_line(capsys, argv: list[str]) -> str:
    capsys.readouterr()
    assert main([*argv, "stats"]) == 0
    return next(line for line in capsys.readouterr().out.splitlines()
                if line.startswith("errors "))


def _library_with_clicks(tmp_path: Path, clicks: int) -> tuple[list[str], Path]:
    """One track analysed and ``clicks`` too short to analyse (an error row each)."""
    music = tmp_path / "music"
    music.mkdir()
    _wav(music / "ok.wav", 3.0)
    for i in range(clicks):
        _wav(music / f"click{i}.wav", 0.01 * (i + 1))
    argv = ["--data-dir", str(tmp_path / "lib")]
    assert main([*argv, "scan", str(music)]) == 0
    assert main([*argv, "embed", "--model", "spectral"]) == 0
    return argv, music


@pytest.mark.parametrize(("clicks", "line"), [
    (1, "errors     1, of a track now missing (embed:spectral: 1)"),
    (2, "errors     2, all of tracks now missing (embed:spectral: 2)")])
def test_only_errors_of_missing_tracks_read_well(tmp_path, capsys, clicks, line):
    argv, music = _library_with_clicks(tmp_path, clicks)
    for i in range(clicks):
        (music / f"click{i}.wav").unlink()
    assert main([*argv, "scan"]) == 0

    assert _errors_line(capsys, argv) == line


def test_the_error_of_a_track_renamed_then_deleted_is_counted_apart(tmp_path, capsys):
    argv, music = _library_with_clicks(tmp_path, 1)
    (music / "click0.wav").rename(music / "click_renamed.wav")
    assert main([*argv, "scan"]) == 0
    assert "1 moved" in capsys.readouterr().out  # the track follows; its error row too
    (music / "click_renamed.wav").unlink()
    assert main([*argv, "scan"]) == 0

    assert _errors_line(capsys, argv) == (
        "errors     1, of a track now missing (embed:spectral: 1)")


def test_a_music_folder_that_is_a_file_gone_is_an_error_to_act_on(tmp_path, capsys):
    music = tmp_path / "music"
    music.mkdir()
    _wav(music / "one.wav", 1.0)
    argv = ["--data-dir", str(tmp_path / "lib")]
    assert main([*argv, "scan", str(music / "one.wav")]) == 0
    (music / "one.wav").unlink()
    assert main([*argv, "scan"]) == 0
    assert "not found" in capsys.readouterr().err

    assert _errors_line(capsys, argv) == "errors     1 (scan: 1)"
