"""An album's files moved out of its folder into another music folder (copied, scanned,
deleted), the folder left empty: the scan cannot tell the empty folder from a drive mounted
inside the music folder and unplugged, so it keeps the tracks missing beside their copies
("0 moved, 2 now missing" and 2 new tracks). It says so, with the way to move them — File ›
Remove missing tracks (``forget --missing``) — one note per folder, many folders in one."""

from __future__ import annotations

import shutil

from musicsage.library.forget import forget_missing
from musicsage.usecases.library import scan_library

NOTE = ("empty (a drive not mounted?): its 2 missing tracks have copies in the library; if "
        "they were moved, `musicsage forget --missing` of this folder (or File › Remove "
        "missing tracks, which asks first) moves them to their copies")


def _albums(ctx, tmp_path, make_audio, names):
    """Music/<name>/{one,two}.wav per album, and an Other music folder; scanned."""
    music, other = tmp_path / "Music", tmp_path / "Other"
    other.mkdir()
    for i, name in enumerate(names):
        make_audio(music / name / "one.wav", freq=200.0 + 40 * i)
        make_audio(music / name / "two.wav", freq=700.0 + 40 * i)
    scan_library(ctx, [str(music), str(other)])
    return music, other


def _move_out(ctx, music, other, names, copy=True):
    """Each album's files copied to Other (and scanned) or not, then deleted, folder kept."""
    for name in names:
        for song in (music / name).iterdir():
            if copy:
                (other / name).mkdir(exist_ok=True)
                shutil.copy2(song, other / name / song.name)
    scan_library(ctx)
    for name in names:
        for song in list((music / name).iterdir()):
            song.unlink()
    return scan_library(ctx)


def test_an_emptied_album_folder_is_noted_with_its_copies(ctx, conn, tmp_path, make_audio):
    music, other = _albums(ctx, tmp_path, make_audio, ["a"])

    report = _move_out(ctx, music, other, ["a"])

    assert (report.moved, report.missing) == (0, 2), "held back: maybe a drive unplugged"
    assert [(str(p), n) for p, n in report.notes] == [(str(music / "a"), NOTE)]
    assert forget_missing(conn).moved == 2, "the remedy the note names moves them"


def test_many_emptied_folders_are_summed_in_one_note(ctx, tmp_path, make_audio):
    names = ["a", "b", "c", "d"]
    music, other = _albums(ctx, tmp_path, make_audio, names)

    report = _move_out(ctx, music, other, names)

    assert [(str(p), n) for p, n in report.notes] == [(str(music / "a"), (
        "empty (a drive not mounted?), as are 3 other folders: their 8 missing tracks have "
        "copies in the library; if they were moved, `musicsage forget --missing` of these "
        "folders (or File › Remove missing tracks, which asks first) moves them to their "
        "copies"))]


def test_no_note_without_copies(ctx, tmp_path, make_audio):
    music, other = _albums(ctx, tmp_path, make_audio, ["a"])

    report = _move_out(ctx, music, other, ["a"], copy=False)

    assert (report.moved, report.missing) == (0, 2)
    assert not report.notes
