"""Rescan with music folders that could not be read at all. The line said the first of two
folders gone "is gone (first: /m/A, which is gone (…))", called a music folder that is one
file (``scan song.wav``) a folder, and a music folder that cannot be opened (its parent now a
file) "1 unreadable (a: cannot open: Not a directory)", as of one file; its tooltip listed a
folder gone under "Unreadable (2)" beside the one file that was."""

from __future__ import annotations

import shutil

from music_support import make_music

from musicsage.library.gone_roots import MOVED_ADVICE


def _scan(ctx, roots):
    from musicsage.usecases.library import scan_library

    return scan_library(ctx, roots, [])


def _line_and_tip(ctx) -> tuple[str, str]:
    """A rescan's status line and its tooltip."""
    from musicsage.controllers.summaries import describe_scan, scan_details

    report = _scan(ctx, [])
    return describe_scan(report), scan_details(report)


def test_the_tooltip_lists_a_gone_folder_apart_from_the_unreadable_file(ctx, tmp_path):
    music, _playlists, _paths = make_music(tmp_path / "src", n_tracks=3)
    other = tmp_path / "other"
    other.mkdir()
    (other / "bad.mp3").write_bytes(b"not audio at all" * 100)
    _scan(ctx, [str(music), str(other)])
    shutil.rmtree(music)
    line, tip = _line_and_tip(ctx)
    assert "1 unreadable (bad.mp3: " in line, line
    assert (f"Music folders gone (1):\n  {music}: not found (its 3 tracks are marked missing: "
            f"{MOVED_ADVICE})") in tip, tip
    assert "Unreadable (1):\n  bad.mp3: " in tip, tip


def test_several_gone_folders_in_one_part(ctx, tmp_path):
    a, _pl, _p = make_music(tmp_path / "a", n_tracks=3)
    b, _pl, _p = make_music(tmp_path / "b", n_tracks=2)
    _scan(ctx, [str(a), str(b)])
    shutil.rmtree(a)
    shutil.rmtree(b)
    line, tip = _line_and_tip(ctx)
    assert line == f"Scan finished: 5 now missing, 2 music folders are gone (first: {a})", line
    assert "Music folders gone (2):" in tip and f"  {b}: not found (its 2 tracks" in tip, tip


def test_a_music_folder_that_is_one_file_is_called_a_file(ctx, tmp_path):
    _music, _pl, paths = make_music(tmp_path / "src", n_tracks=2)
    song = tmp_path / f"song{paths[0].suffix}"
    shutil.copyfile(paths[0], song)
    _scan(ctx, [str(song)])
    song.unlink()
    line, _tip = _line_and_tip(ctx)
    assert line == (f"Scan finished: 1 now missing, the music file {song} is gone (its 1 track is "
                    "marked missing)"), line


def test_a_music_folder_that_cannot_be_opened_is_said_so(ctx, tmp_path):
    music, _pl, _p = make_music(tmp_path / "parent", n_tracks=3)
    _scan(ctx, [str(music)])
    shutil.rmtree(tmp_path / "parent")
    (tmp_path / "parent").write_text("now a file")
    line, tip = _line_and_tip(ctx)
    assert line == (f"Scan finished: the music folder {music} cannot be opened (a folder above "
                    "it is now a file)"), line
    assert "Unreadable" not in tip and "Music folders that cannot be opened (1):" in tip, tip
    assert f"{music}: a folder above it is now a file" in tip, "the tooltip words it as the line"


def test_several_music_folders_that_cannot_be_opened_name_the_first_with_its_reason(ctx,
                                                                                     tmp_path):
    a, _pl, _p = make_music(tmp_path / "pa", n_tracks=2)
    b, _pl, _p = make_music(tmp_path / "pb", n_tracks=2)
    _scan(ctx, [str(a), str(b)])
    for parent in ("pa", "pb"):
        shutil.rmtree(tmp_path / parent)
        (tmp_path / parent).write_text("now a file")
    line, tip = _line_and_tip(ctx)
    first = min(str(a), str(b))  # as the scan lists its roots
    assert line == (f"Scan finished: 2 music folders cannot be opened (first: {first}: a folder "
                    "above it is now a file)"), line
    assert "Music folders that cannot be opened (2):" in tip, tip


def test_a_folder_inside_a_music_folder_that_cannot_be_opened_is_still_unreadable():
    from musicsage.controllers.summaries import describe_scan
    from musicsage.library.scan import ScanReport

    report = ScanReport(roots=["/m/Music"], files=3,
                        errors=[("/m/Music/Album", "cannot open: Permission denied")])
    assert describe_scan(report) == ("Scan finished: 1 unreadable (Album: cannot open: "
                                     "Permission denied)")
