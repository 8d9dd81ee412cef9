"""Adding to (or removing from) a playlist whose folder is gone — its drive not mounted, the
folder moved — says so and what to do. It said "its file is gone; re-scan the library, then
add again", but a scan keeps a playlist whose folder is missing (it may be a drive out of
reach): the user re-scanned, tried again and read the same line, round in a circle."""

from __future__ import annotations

import pytest
from playlist_support import playlist_library

from musicsage import cli
from musicsage.usecases.library import list_playlists, scan_library


@pytest.fixture
def lib(ctx, tmp_path):
    return playlist_library(ctx, tmp_path)


@pytest.mark.parametrize("verb", ["add", "remove"])
def test_a_playlist_whose_folder_is_gone_says_to_bring_the_folder_back(lib, capsys, verb):
    ctx, music, lists, ids = lib
    usb = lists / "usb"
    usb.mkdir()
    path = usb / "road.m3u"
    path.write_bytes(f"{music / 'A/One.wav'}\n".encode())
    scan_library(ctx, [], [str(path)])
    moved = lists / "elsewhere"
    usb.rename(moved)  # the drive unplugged: its folder is gone

    scan_library(ctx, [])  # as the old line advised: the playlist stays all the same
    assert [p.name for p in list_playlists(ctx)] == ["road"]
    track = ids["A/Two.wav"] if verb == "add" else ids["A/One.wav"]
    rc = cli.main(["suggest", "road", f"--{verb}", str(track), "--data-dir", str(ctx.data_dir)])

    out, err = capsys.readouterr()
    assert rc == 1 and out == "", (rc, out, err)
    assert err.strip() == (f"musicsage suggest: playlist 'road': its folder {usb} is not there "
                           "(a drive not mounted, or the folder moved?); mount it or put it "
                           f"back, then {verb} again — the library keeps the playlist while "
                           "its folder is missing"), err
    assert not usb.exists(), "nothing made in its place"
