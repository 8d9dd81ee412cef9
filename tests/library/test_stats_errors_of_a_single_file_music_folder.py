"""``stats`` of a music folder that is a single file, gone, whose track had failed its
analysis (a click too short to analyse): the folder's own "not found" row is an error one can
act on (forget the folder, mount its drive), but the track's failed analysis is of a missing
track, as in a folder. The folder's path is its track's, and both rows were kept among the
errors to act on ("errors 2")."""

from __future__ import annotations

from test_stats_errors_of_tracks_gone import _errors_line, _wav

from musicsage.cli import main


def test_a_gone_single_file_folders_failed_analysis_is_of_a_missing_track(tmp_path, capsys):
    music = tmp_path / "m"
    music.mkdir()
    _wav(music / "ok.wav", 3.0)
    _wav(music / "click.wav", 0.01)
    argv = ["--data-dir", str(tmp_path / "lib")]
    assert main([*argv, "scan", str(music / "ok.wav"), str(music / "click.wav")]) == 0
    assert main([*argv, "embed", "--model", "spectral"]) == 0
    (music / "click.wav").unlink()
    assert main([*argv, "scan"]) == 0

    assert _errors_line(capsys, argv) == (
        "errors     1 (scan: 1); 1 more, of a track now missing (embed:spectral: 1)")
