"""A playlist whose file is gone from a folder left as a bare mount point (nothing but what a
system or a Mac leaves there, the folder's time older than the import) is kept, its drive
maybe not mounted; one deleted from beside music the scan reads leaves the library. The
folders' hidden-name rule was asked of files: a dotted track (``.hidden take.wav``) or
playlist counted as litter, and a playlist the user deleted was kept as one that "cannot be
reached" (library/playlists/reach.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from library_audio import write_audio

from musicsage.library.db import connect
from musicsage.library.playlists.store import forget_gone_playlists
from musicsage.usecases.library import scan_library


@pytest.fixture
def shelf(ctx, tmp_path: Path) -> Path:
    """``shelf/mix.m3u`` naming a scanned track of another folder, imported."""
    music, shelf = tmp_path / "music", tmp_path / "shelf"
    write_audio(music / "x.wav", seconds=0.1)
    shelf.mkdir()
    (shelf / "mix.m3u").write_text(f"{music / 'x.wav'}\n")
    scan_library(ctx, [music], [shelf / "mix.m3u"])
    return shelf


def _delete_with_old_folder_time(shelf: Path) -> None:
    """mix.m3u gone, the folder's time older than the import (restored by ``rsync -a``, or
    a mount point made long ago)."""
    (shelf / "mix.m3u").unlink()
    os.utime(shelf, (1e9, 1e9))


@pytest.mark.parametrize("beside", [".hidden take.wav", ".b-sides.m3u"])
def test_a_playlist_deleted_beside_a_dotted_file_the_scan_reads_leaves(ctx, shelf, beside):
    if beside.endswith(".wav"):
        write_audio(shelf / beside, seconds=0.1)
    else:
        (shelf / beside).write_text("x.wav\n")
    _delete_with_old_folder_time(shelf)

    gone = forget_gone_playlists(connect(ctx))

    assert (gone.names, gone.unreachable) == (["mix"], [])


def test_what_a_system_or_a_mac_leaves_on_a_mount_point_keeps_it(ctx, shelf):
    (shelf / ".Trash-1000").mkdir()
    (shelf / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (shelf / "._mix.m3u").write_bytes(b"\0\5\26\7Mac OS X")
    (shelf / ".directory").write_text("[Desktop Entry]\n")
    _delete_with_old_folder_time(shelf)

    gone = forget_gone_playlists(connect(ctx))

    assert (gone.names, gone.unreachable) == ([], ["mix"])
