"""A track whose file is itself a symbolic link to a file on a drive (``~/Music/x.wav ->
/media/usb/x.wav``) and the drive unplugged: the scan marks it missing, as it marks the
tracks behind a linked folder of that drive. Remove missing tracks (``forget --missing``, the
window's check) must keep it — its vectors and playlist places — as it keeps a linked
folder's, and say why and how to remove it; naming the link removes it. A link whose target's
folder is there but whose file is gone (deleted) is still removed — also when the deletion
left the folder empty: it was modified since the track was found, where a bare mount point
was not (every empty folder counted as a drive's kept a deleted single for good)."""

from __future__ import annotations

import json
import os
import shutil

from musicsage import cli
from musicsage.library.forget import missing_to_remove
from musicsage.usecases.library import forget_missing_tracks, scan_library


def _linked_file(tmp_path, make_audio):
    """A music folder with a file of its own and a link to a file on a drive; scanned."""
    music, drive = tmp_path / "Music", tmp_path / "media" / "usb"
    make_audio(music / "own.wav", freq=220.0)
    target = make_audio(drive / "x.wav", freq=440.0)
    make_audio(drive / "other.wav", freq=660.0)
    os.symlink(target, music / "x.wav")
    return music, drive


def _missing(conn) -> int:
    return conn.execute("SELECT COUNT(*) FROM tracks WHERE status = 'missing'").fetchone()[0]


def test_a_file_link_to_an_unplugged_drive_is_kept_and_said(ctx, conn, tmp_path, make_audio,
                                                            capsys):
    music, drive = _linked_file(tmp_path, make_audio)
    scan_library(ctx, [str(music)])
    shutil.move(drive, tmp_path / "unplugged")  # the drive's folder gone: the link leads nowhere
    scan_library(ctx)
    assert _missing(conn) == 1

    report = forget_missing_tracks(ctx)

    link = str(music / "x.wav")
    assert (report.tracks, report.back, report.linked) == (0, 0, [(link, 1)])
    assert _missing(conn) == 1, "the unplugged drive's track stays, with its id"
    assert report.summary() == (
        "no missing tracks to remove; 1 missing track kept: its file is a link to a file in a "
        "folder that is gone or empty (a drive unplugged?); mount it and scan again, or "
        f"`musicsage forget --missing LINK` removes them: {link}")
    code = cli.main(["--data-dir", str(ctx.data_dir), "forget", "--missing", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["tracks"] == 0 and out["kept"] == [{"folder": link, "tracks": 1}]

    code = cli.main(["--data-dir", str(ctx.data_dir), "forget", "--missing", link])
    assert code == 0 and capsys.readouterr().out.startswith("1 missing track removed")
    assert _missing(conn) == 0 and os.path.islink(link), "named, it goes; the link is untouched"


def test_a_file_link_to_a_bare_mount_point_is_kept_by_the_windows_check(ctx, conn, tmp_path,
                                                                       make_audio):
    """The drive's mount point left behind, empty: the window's question keeps it too."""
    music, drive = _linked_file(tmp_path, make_audio)
    scan_library(ctx, [str(music)])
    shutil.move(drive, tmp_path / "unplugged")
    drive.mkdir()
    os.utime(drive, (1e9, 1e9))  # a mount point made long before the drive was scanned
    scan_library(ctx)

    plan = missing_to_remove(conn)

    assert (plan.tracks, plan.linked, plan.kept) == (0, [(str(music / "x.wav"), 1)], [])


def test_a_file_link_whose_file_was_deleted_from_a_drive_still_there_is_removed(
        ctx, conn, tmp_path, make_audio):
    """Only a link into a folder gone or empty keeps the track: the drive is there, its file
    deleted — the track goes, the rescan calling the link broken for good."""
    music, drive = _linked_file(tmp_path, make_audio)
    scan_library(ctx, [str(music)])
    (drive / "x.wav").unlink()
    scan_library(ctx)

    report = forget_missing_tracks(ctx)

    assert (report.tracks, report.linked, report.back) == (1, [], 0)
    assert _missing(conn) == 0


def test_a_file_link_whose_deleted_file_left_its_folder_empty_is_removed(ctx, conn, tmp_path,
                                                                        make_audio):
    """``~/Music/x.wav -> ~/rips/single/x.wav``, the rip deleted: its folder is there, empty,
    and modified by the deletion — no mount point; the window's question offers it, and
    Remove missing tracks takes it without a word of a drive."""
    music, single = tmp_path / "Music", tmp_path / "rips" / "single"
    make_audio(music / "own.wav", freq=220.0)
    target = make_audio(single / "x.wav", freq=440.0)
    os.symlink(target, music / "x.wav")
    os.utime(single, (1e9, 1e9))  # the folder older than the scan, as a rip's long kept
    scan_library(ctx, [str(music)])
    target.unlink()
    scan_library(ctx)

    plan = missing_to_remove(conn)
    report = forget_missing_tracks(ctx)

    assert (plan.tracks, plan.linked) == (1, [])
    assert (report.tracks, report.linked, report.back) == (1, [], 0)
    assert "unplugged" not in report.summary()
    assert _missing(conn) == 0 and os.path.islink(music / "x.wav"), "the link is untouched"
