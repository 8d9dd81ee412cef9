"""Playlists follow the scan's rule for dotted names: a folder named after an album
(``...And Justice for All``, ``.38 Special``) is read, a hidden one (``.git``) is not, and
macOS's ``._mix.m3u`` litter beside a playlist is no playlist. ``scan --playlists DIR`` skipped
every dotted folder, and said "not a playlist: binary data" of each ``._`` file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from library_audio import write_audio

from musicsage.cli import main
from musicsage.library.db import connect
from musicsage.library.playlists.store import forget_gone_playlists
from musicsage.usecases.library import scan_library

MAC_RESOURCE_FORK = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x00"


def _playlists(ctx) -> list[str]:
    return sorted(r[0] for r in connect(ctx).execute("SELECT name FROM playlists"))


@pytest.fixture
def songs(tmp_path: Path) -> Path:
    """A music folder of two tracks."""
    music = tmp_path / "music"
    for name in ("x.wav", "y.wav"):
        write_audio(music / name, seconds=0.1)
    return music


def test_scan_playlists_of_a_folder_reads_album_folders_with_leading_dots(
        ctx, data_dir, songs, tmp_path, capsys):
    lists = tmp_path / "lists"
    for folder, name in (("...And Justice for All", "blackened"), (".38 Special", "rockin"),
                         (".git", "blob"), (".Trash-1000", "deleted"), ("plain", "plain")):
        (lists / folder).mkdir(parents=True)
        (lists / folder / f"{name}.m3u").write_text(f"{songs / 'x.wav'}\n")
    scan_library(ctx, [songs])

    assert main(["--data-dir", str(data_dir), "scan", "--playlists", str(lists)]) == 0

    assert _playlists(ctx) == ["blackened", "plain", "rockin"]


def test_mac_resource_forks_beside_playlists_are_not_read(ctx, data_dir, songs, tmp_path,
                                                          capsys):
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "mix.m3u").write_text(f"{songs / 'x.wav'}\n")
    (lists / "._mix.m3u").write_bytes(MAC_RESOURCE_FORK)
    scan_library(ctx, [songs])
    capsys.readouterr()

    assert main(["--data-dir", str(data_dir), "scan", "--playlists", str(lists)]) == 0

    out = capsys.readouterr()
    assert "._mix" not in out.out + out.err
    assert _playlists(ctx) == ["mix"]
    assert connect(ctx).execute("SELECT count(*) FROM errors").fetchone()[0] == 0


def test_a_playlist_renamed_after_an_album_is_imported_by_a_rescan(ctx, songs, tmp_path):
    """``mv mix.m3u '...And Justice for All.m3u'``: a plain re-scan drops ``mix`` and imports
    the renamed file (same size and time), as it does any renamed playlist."""
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "mix.m3u").write_text(f"{songs / 'x.wav'}\n{songs / 'y.wav'}\n")
    scan_library(ctx, [songs], [lists])
    (lists / "mix.m3u").rename(lists / "...And Justice for All.m3u")

    rep = scan_library(ctx)

    assert rep.playlists_gone == ["mix"]
    assert _playlists(ctx) == ["...And Justice for All"]


def test_a_folder_holding_an_album_with_leading_dots_is_no_bare_mount_point(
        ctx, songs, tmp_path):
    """A playlist's file gone from a folder that still holds ``...And Justice for All/`` (a
    folder the scan reads: not hidden), its tracks there: the file was removed, not a drive
    unplugged, even though the folder's time is old (restored by ``rsync -a``)."""
    shelf = tmp_path / "shelf"
    (shelf / "...And Justice for All").mkdir(parents=True)
    (shelf / "mix.m3u").write_text(f"{songs / 'x.wav'}\n")
    scan_library(ctx, [songs], [shelf / "mix.m3u"])
    (shelf / "mix.m3u").unlink()
    os.utime(shelf, (1e9, 1e9))

    gone = forget_gone_playlists(connect(ctx))

    assert (gone.names, gone.unreachable) == (["mix"], [])
    assert _playlists(ctx) == []
    (shelf / "...And Justice for All").rmdir()  # the same folder, nothing but the old time:
    (shelf / "mix.m3u").write_text(f"{songs / 'x.wav'}\n")  # a bare mount point keeps it
    scan_library(ctx, [], [shelf / "mix.m3u"])
    (shelf / "mix.m3u").unlink()
    (shelf / ".Trash-1000").mkdir()
    os.utime(shelf, (1e9, 1e9))
    assert forget_gone_playlists(connect(ctx)).unreachable == ["mix"]
