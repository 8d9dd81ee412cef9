"""A music folder found empty while its tracks are missing (an unplugged drive leaves its bare
mount point): the scan must say that a drive may not be mounted, and how to go on, not only
"0 audio files … 3 now missing" as if the files had been deleted."""

from __future__ import annotations

import shutil

from musicsage import cli
from musicsage.library.scan import scan_roots
from musicsage.usecases.library import scan_library


def _mount_with_tracks(tmp_path, make_audio, n: int = 3):
    mount = tmp_path / "usb drive"
    for i in range(n):
        make_audio(mount / "album" / f"t{i}.flac", tags={"title": f"T{i}"}, freq=300.0 + 90 * i)
    return mount


def test_a_rescan_of_an_emptied_music_folder_says_a_drive_may_not_be_mounted(
        ctx, tmp_path, make_audio, capsys):
    mount = _mount_with_tracks(tmp_path, make_audio)
    scan_library(ctx, [str(mount)])
    shutil.move(mount / "album", tmp_path / "elsewhere")  # unmounted: the mount point stays
    capsys.readouterr()

    code = cli.main(["--data-dir", str(ctx.data_dir), "scan"])

    out = capsys.readouterr().out
    assert code == 0
    assert "3 now missing" in out
    note = next(line for line in out.splitlines() if "note:" in line)
    assert str(mount) in note
    assert "a drive not mounted?" in note
    assert note.endswith(
        "its 3 tracks are marked missing, and kept: mount it and scan again; if it is gone for "
        "good, `forget --missing FOLDER` removes its missing tracks, `forget FOLDER` the folder "
        "(File › Remove music folder in the window)")
    assert "musicsage forget" not in note and f"'{mount}'" not in note  # no command line to
    # copy (it lacked --data-dir for another library), no shell-quoted path (odd in the window)


def test_the_hint_is_repeated_while_the_tracks_stay_missing_and_goes_once_back(
        ctx, conn, tmp_path, make_audio):
    mount = _mount_with_tracks(tmp_path, make_audio, n=2)
    scan_roots(conn, [str(mount)])
    shutil.move(mount / "album", tmp_path / "elsewhere")
    scan_roots(conn, [str(mount)])
    rep = scan_roots(conn, [str(mount)])
    assert [(str(p), n.split(":")[0]) for p, n in rep.notes] == [
        (str(mount), "empty (a drive not mounted?)")]
    assert "its 2 tracks are still marked missing" in rep.notes[0][1]
    shutil.move(tmp_path / "elsewhere", mount / "album")
    rep = scan_roots(conn, [str(mount)])
    assert (rep.reappeared, rep.notes) == (2, [])


def test_no_hint_for_a_folder_that_still_holds_files_or_never_had_tracks(
        ctx, conn, tmp_path, make_audio):
    """Audio deleted beside a cover image: deleted, not unmounted (as forget --missing
    judges); an empty folder scanned for the first time has nothing missing."""
    mount = _mount_with_tracks(tmp_path, make_audio, n=1)
    scan_roots(conn, [str(mount)])
    shutil.rmtree(mount / "album")
    (mount / "cover.jpg").write_bytes(b"\xff\xd8\xff")
    assert scan_roots(conn, [str(mount)]).notes == []
    empty = tmp_path / "new"
    empty.mkdir()
    assert scan_roots(conn, [str(empty)]).notes == []
