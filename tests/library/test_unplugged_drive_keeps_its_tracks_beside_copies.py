"""A drive unplugged is no move of its files onto copies of them elsewhere in the library.

A scan marks every track of an unplugged drive missing (its bare mount point, its mount point
gone, or a link to it inside a music folder leading nowhere). A song also copied to the laptop
and scanned there has one other track of the same content, the copy a scan folds a vanished
track into (copy, scan, delete: a move across drives). Folded, the drive's track took the
laptop copy's path, the copy's row left the library with its id, vectors and places, the
scan said the drive's tracks were "found moved elsewhere", and plugging the drive back in
made its file a new track. Both tracks must stay as they were."""

from __future__ import annotations

import os
import shutil

from musicsage.usecases.library import scan_library


def _rows(conn) -> dict[str, tuple[int, str]]:
    return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT path, id, status FROM tracks")}


def _with_a_laptop_copy(ctx, conn, tmp_path, make_audio, drive, scanned):
    """``drive`` holds song.wav (and another), copied to a home music folder while plugged;
    ``scanned``: the music folder holding the drive. The copy has a vector of its own."""
    home = tmp_path / "home"
    make_audio(drive / "song.wav", freq=330.0)
    make_audio(drive / "other.wav", freq=550.0)
    make_audio(home / "keep.wav", freq=440.0)
    scan_library(ctx, [str(scanned)])
    shutil.copy2(drive / "song.wav", home / "song.wav")
    scan_library(ctx, [str(home)])
    copy_id = _rows(conn)[str(home / "song.wav")][0]
    with conn:
        conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim,"
                     " vector) VALUES (?, 'spectral', 'v', 1, x'0000803f')", (copy_id,))
    return home


def _unplug_and_back(ctx, conn, tmp_path, drive, mount_point_left: bool, song: str):
    """Unplug ``drive`` (its bare mount point left, or not), scan; plug it back, scan.
    The rows before, after the unplugged scan, and after the last; the unplugged report."""
    before = _rows(conn)
    shutil.move(drive, tmp_path / "unplugged")
    if mount_point_left:
        drive.mkdir()
    report = scan_library(ctx)
    unplugged = _rows(conn)
    if mount_point_left:
        drive.rmdir()
    shutil.move(tmp_path / "unplugged", drive)
    scan_library(ctx)
    return before, unplugged, _rows(conn), report


def _assert_kept(conn, home, song, before, unplugged, after, report):
    copy = str(home / "song.wav")
    assert unplugged[copy] == before[copy], "the laptop copy keeps its row and id"
    assert unplugged[song] == (before[song][0], "missing"), "the drive's track is missing"
    assert (report.moved, report.missing) == (0, 2)
    assert conn.execute("SELECT count(*) FROM audio_embeddings WHERE track_id = ?",
                        (before[copy][0],)).fetchone()[0] == 1, "the copy's vector stays"
    assert after[song] == (before[song][0], "present"), "plugged back: the same track"
    assert after[copy] == before[copy]


def test_a_bare_mount_point(ctx, conn, tmp_path, make_audio):
    drive = tmp_path / "media" / "usb"
    home = _with_a_laptop_copy(ctx, conn, tmp_path, make_audio, drive, drive)
    before, unplugged, after, report = _unplug_and_back(ctx, conn, tmp_path, drive, True,
                                                        str(drive / "song.wav"))
    _assert_kept(conn, home, str(drive / "song.wav"), before, unplugged, after, report)
    assert not any("found moved" in text for _path, text in report.notes)


def test_a_mount_point_gone(ctx, conn, tmp_path, make_audio):
    drive = tmp_path / "media" / "usb"
    home = _with_a_laptop_copy(ctx, conn, tmp_path, make_audio, drive, drive)
    before, unplugged, after, report = _unplug_and_back(ctx, conn, tmp_path, drive, False,
                                                        str(drive / "song.wav"))
    _assert_kept(conn, home, str(drive / "song.wav"), before, unplugged, after, report)
    assert not any("found moved" in reason for _path, reason in report.errors)


def test_a_link_to_an_unplugged_drive(ctx, conn, tmp_path, make_audio):
    music, drive = tmp_path / "Music", tmp_path / "media" / "usb"
    make_audio(music / "own.wav", freq=220.0)
    drive.mkdir(parents=True)
    os.symlink(drive, music / "usb")
    home = _with_a_laptop_copy(ctx, conn, tmp_path, make_audio, drive, music)
    song = str(music / "usb" / "song.wav")
    before, unplugged, after, report = _unplug_and_back(ctx, conn, tmp_path, drive, False, song)
    _assert_kept(conn, home, song, before, unplugged, after, report)


def test_a_bare_mount_point_inside_a_music_folder(ctx, conn, tmp_path, make_audio):
    """A drive mounted straight at ~/Music/usb (a plain folder, no link), unplugged: its
    mount point is left empty inside a music folder that is there."""
    music = tmp_path / "Music"
    make_audio(music / "own.wav", freq=220.0)
    drive = music / "usb"
    home = _with_a_laptop_copy(ctx, conn, tmp_path, make_audio, drive, music)
    song = str(drive / "song.wav")
    before, unplugged, after, report = _unplug_and_back(ctx, conn, tmp_path, drive, True, song)
    _assert_kept(conn, home, song, before, unplugged, after, report)
