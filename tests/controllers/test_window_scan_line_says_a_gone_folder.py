"""Rescan in the window, the music folder deleted or its drive unplugged: the status line said
"Scan finished: 12 missing, 1 unreadable (music: not found (its 12 tracks are marked
missing))" — one "unreadable" file, where nothing was read at all: the whole folder is gone.
It now says the folder is gone, by its path, with what the scan found of its tracks (the
folder watch has words of its own: "… is gone (unplugged, renamed or deleted?): …"); a file
that cannot be read is still "unreadable"."""

from __future__ import annotations

import shutil

from music_support import make_music


def _scan_line(ctx, roots) -> str:
    from musicsage.controllers.summaries import describe_scan
    from musicsage.usecases.library import scan_library

    return describe_scan(scan_library(ctx, roots, []))


def test_a_gone_music_folder_is_not_called_unreadable(ctx, tmp_path):
    music, _playlists, _paths = make_music(tmp_path / "src", n_tracks=3)
    _scan_line(ctx, [str(music)])
    shutil.rmtree(music)
    line = _scan_line(ctx, [])
    assert "unreadable" not in line, line
    assert line.startswith("Scan finished: 3 now missing, "), line
    assert f"the music folder {music} is gone" in line, line
    assert "3 tracks are marked missing" in line, line


def test_an_unreadable_file_beside_is_still_said(ctx, tmp_path):
    music, _playlists, _paths = make_music(tmp_path / "src", n_tracks=3)
    other = tmp_path / "other"
    other.mkdir()
    (other / "bad.mp3").write_bytes(b"not audio at all" * 100)
    _scan_line(ctx, [str(music), str(other)])
    shutil.rmtree(music)
    line = _scan_line(ctx, [])
    assert "1 unreadable (bad.mp3: " in line, line
    assert f"the music folder {music} is gone" in line, line
