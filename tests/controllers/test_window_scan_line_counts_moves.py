"""A file moved within a music folder (a plain ``mv``), then Rescan: the CLI's line said
"1 moved" while the window's said "Scan finished: nothing changed" — its count left moves
out, as the folder watch's did not. Both count it now, for the same scan."""

from __future__ import annotations

import shutil

from music_support import make_music


def test_a_moved_file_is_counted_by_the_window_as_by_the_cli(ctx, tmp_path, capsys):
    from musicsage.cli import main
    from musicsage.controllers.summaries import describe_scan
    from musicsage.usecases.library import scan_library

    music, _playlists, paths = make_music(tmp_path / "src", n_tracks=3)
    scan_library(ctx, [str(music)], [])
    shutil.move(str(paths[0]), str(music / "renamed.flac"))

    line = describe_scan(scan_library(ctx, [], []))

    assert line == "Scan finished: 1 moved", line
    shutil.move(str(music / "renamed.flac"), str(music / "again.flac"))
    capsys.readouterr()
    assert main(["--data-dir", str(ctx.data_dir), "scan"]) == 0
    assert ", 1 moved, " in capsys.readouterr().out
