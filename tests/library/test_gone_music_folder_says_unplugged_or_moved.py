"""A music folder not found on a plain re-scan, its tracks marked missing: the line said only
"moved? scan its new place (File ▸ Add music folder… in the window) …", though its commonest
cause is a drive unplugged (docs/cli.md's own example), with "▸" where every other menu path
of the scan's lines has "›", and the window's own line said "in the window" in the window."""

from __future__ import annotations

from pathlib import Path

from music_support import make_music

from musicsage import cli
from musicsage.context import AppContext
from musicsage.usecases.library import scan_library

ADVICE = ("unplugged? plug it in and scan again; moved? scan its new place (File › Add music "
          "folder… in the window) to find them moved")


def _gone_library(tmp_path: Path) -> tuple[AppContext, Path]:
    """A library of three tracks whose music folder was then taken away (unplugged, moved)."""
    music, _lists, _ = make_music(tmp_path / "lib", n_tracks=3, seconds=0.5)
    ctx = AppContext.create(tmp_path / "data")
    scan_library(ctx, [music], [])
    music.rename(tmp_path / "away")
    return ctx, music


def test_the_scan_line_names_a_drive_unplugged_and_a_move(tmp_path, capsys):
    ctx, music = _gone_library(tmp_path)
    assert cli.main(["scan", "--data-dir", str(ctx.data_dir)]) == 0  # a plain re-scan
    err = capsys.readouterr().err
    assert f"{music}: not found (its 3 tracks are marked missing: {ADVICE})" in err, err


def test_the_window_line_names_the_menu_entry_without_in_the_window(tmp_path):
    from musicsage.controllers.summaries import describe_scan

    ctx, music = _gone_library(tmp_path)
    line = describe_scan(scan_library(ctx, [], []))
    assert line.endswith(
        f"the music folder {music} is gone (its 3 tracks are marked missing: unplugged? plug "
        "it in and scan again; moved? scan its new place (File › Add music folder…) to find "
        "them moved)"), line
