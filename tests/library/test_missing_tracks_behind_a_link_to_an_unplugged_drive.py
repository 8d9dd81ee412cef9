"""A drive linked into a music folder (``~/Music/usb -> /media/usb``) and unplugged: a scan
marks its tracks missing, as it does an unplugged music folder's, but the music folder itself
is there. Removing the missing tracks (``forget --missing``, the window's Remove missing
tracks…) must keep them — their vectors and playlist places — as it keeps an unplugged music
folder's, and say why and how to remove them; naming the link removes them."""

from __future__ import annotations

import json
import os
import shutil

from musicsage import cli
from musicsage.controllers.missing import LINK_REMEDY, REMEDY, removable_note
from musicsage.library.forget import missing_to_remove
from musicsage.usecases.library import scan_library
from musicsage.context import library_option


def _linked_drive(tmp_path, make_audio):
    """A music folder with a file of its own and a link to a drive holding two; scanned."""
    music, drive = tmp_path / "Music", tmp_path / "media" / "usb"
    make_audio(music / "own.wav", freq=220.0)
    for i in range(2):
        make_audio(drive / "album" / f"t{i}.wav", freq=330.0 + 110 * i)
    os.symlink(drive, music / "usb")
    return music, drive


def _missing(conn) -> int:
    return conn.execute("SELECT COUNT(*) FROM tracks WHERE status = 'missing'").fetchone()[0]


def test_tracks_behind_a_dead_link_are_kept_and_said(ctx, conn, tmp_path, make_audio, capsys):
    music, drive = _linked_drive(tmp_path, make_audio)
    scan_library(ctx, [str(music)])
    shutil.move(drive, tmp_path / "unplugged")  # the link now leads nowhere
    scan_library(ctx)
    assert _missing(conn) == 2

    code = cli.main(["--data-dir", str(ctx.data_dir), "forget", "--missing", "--json"])

    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["tracks"] == 0
    assert out["kept"] == [{"folder": str(music / "usb"), "tracks": 2}]
    assert _missing(conn) == 2, "the unplugged drive's tracks stay, with their ids"
    code = cli.main(["--data-dir", str(ctx.data_dir), "forget", "--missing"])
    line = capsys.readouterr().out
    assert code == 0 and line.startswith("no missing tracks to remove; 2 missing tracks kept: "
                                         "their folder is a link to a folder that is gone")
    assert line.rstrip().endswith(f"or `musicsage {library_option(ctx.data_dir)}forget "
                                  "--missing LINK` removes them: "
                                  f"{music / 'usb'}"), \
        "the command line names the command that removes them, as the next command does"

    code = cli.main(["--data-dir", str(ctx.data_dir), "forget", "--missing", str(music / "usb")])
    assert code == 0 and capsys.readouterr().out.startswith("2 missing tracks removed")
    assert _missing(conn) == 0


def test_a_link_to_a_bare_mount_point_keeps_them_too(ctx, conn, tmp_path, make_audio):
    """The drive's mount point left behind, empty: the window's check keeps its tracks."""
    music, drive = _linked_drive(tmp_path, make_audio)
    scan_library(ctx, [str(music)])
    shutil.move(drive, tmp_path / "unplugged")
    drive.mkdir()
    scan_library(ctx)

    plan = missing_to_remove(conn)

    assert (plan.tracks, plan.linked) == (0, [(str(music / "usb"), 2)])
    assert removable_note(plan) == (
        "none to remove now; 2 missing tracks kept: they are in a music folder that is gone or "
        "empty, or behind a link to one (a drive not mounted?)"), \
        "the action's tooltip counts them, not as a music folder's, and guesses no drive"
    assert plan.summary(REMEDY, LINK_REMEDY).endswith(
        f"or delete the link to remove them: {music / 'usb'}"), "the window's own remedy"


def test_a_deleted_album_behind_a_live_link_is_still_removed(ctx, conn, tmp_path, make_audio):
    """Only a link to nowhere keeps tracks: files deleted from a drive that is there go."""
    music, drive = _linked_drive(tmp_path, make_audio)
    scan_library(ctx, [str(music)])
    shutil.rmtree(drive / "album")
    (drive / "other.txt").write_text("still mounted")
    scan_library(ctx)

    plan = missing_to_remove(conn)

    assert (plan.tracks, plan.linked, plan.kept) == (2, [], [])


def test_the_scan_says_the_link_leads_nowhere(ctx, tmp_path, make_audio):
    """The scan's line said only "2 now missing", as if the drive's files were deleted."""
    music, drive = _linked_drive(tmp_path, make_audio)
    scan_library(ctx, [str(music)])
    shutil.move(drive, tmp_path / "unplugged")

    report = scan_library(ctx)

    notes = {str(path): text for path, text in report.notes}
    assert report.missing == 2
    assert notes[str(music / "usb")].startswith(
        "a link to a folder that is gone or empty (a drive not mounted?): its 2 tracks are "
        "marked missing, and kept: mount it and scan again")
