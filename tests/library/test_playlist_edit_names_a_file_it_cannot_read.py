"""Adding to (or removing from) a playlist whose file became something musicsage does not
read — a FIFO in its place, a file grown past the playlist size limit — names the file:
the line was "not a regular file (a FIFO, device or folder); playlists are read from regular
files only", which said neither which file nor which playlist."""

from __future__ import annotations

import os

import pytest
from playlist_support import playlist_library

from musicsage import cli
from musicsage.library.playlists import store
from musicsage.usecases.library import scan_library


@pytest.fixture
def lib(ctx, tmp_path):
    return playlist_library(ctx, tmp_path)


def _run(ctx, capsys, *args: str) -> tuple[int, str, str]:
    rc = cli.main([*args, "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.parametrize("verb", ["add", "remove"])
def test_a_fifo_in_the_playlists_place_is_named(lib, capsys, verb):
    ctx, music, lists, ids = lib
    path = lists / "road.m3u"
    path.write_bytes(f"{music / 'A/One.wav'}\n".encode())
    scan_library(ctx, [], [str(path)])
    path.unlink()
    os.mkfifo(path)  # another program's pipe under the playlist's name

    track = ids["A/Two.wav"] if verb == "add" else ids["A/One.wav"]
    rc, out, err = _run(ctx, capsys, "suggest", "road", f"--{verb}", str(track))
    assert rc == 1 and out == "", (rc, out, err)
    assert err.strip() == (f"musicsage suggest: cannot read playlist {path}: not a regular "
                           "file (a FIFO, device or folder); playlists are read from regular "
                           "files only"), err


def test_a_file_grown_past_the_limit_is_named(lib, capsys, monkeypatch):
    ctx, music, lists, ids = lib
    path = lists / "road.m3u"
    path.write_bytes(f"{music / 'A/One.wav'}\n".encode())
    scan_library(ctx, [], [str(path)])
    monkeypatch.setattr(store, "MAX_PLAYLIST_BYTES", 8)

    rc, out, err = _run(ctx, capsys, "suggest", "road", "--add", str(ids["A/Two.wav"]))
    assert rc == 1 and out == "", (rc, out, err)
    assert err.startswith(f"musicsage suggest: cannot read playlist {path}: too large for a "
                          "playlist ("), err
    assert len(err.strip().splitlines()) == 1
