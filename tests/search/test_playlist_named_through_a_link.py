"""A playlist named by its file's path through a symbolic link (``~/Music`` linking to the
drive the scan was given), or by its real path where the scan took a link: "no playlist
matches" was said of the very file, where QUERY finds a track so named. The path now names
it, for ``suggest`` as for a write; a file that is no playlist still matches nothing."""

from __future__ import annotations

import os

import pytest
from search_helpers import add_playlist

from musicsage.errors import MusicsageError
from musicsage.library.db import connect
from musicsage.search.playlist_query import resolve_playlist


@pytest.fixture
def linked(ctx, tmp_path):
    """``drive/Lists/road.m3u8`` stored at that path, ``Music`` a link to ``drive``."""
    lists = tmp_path / "drive" / "Lists"
    lists.mkdir(parents=True)
    (lists / "road.m3u8").write_text("#EXTM3U\n", encoding="utf-8")
    (lists / "other.m3u8").write_text("#EXTM3U\n", encoding="utf-8")
    os.symlink(tmp_path / "drive", tmp_path / "Music")
    conn = connect(ctx)
    road = add_playlist(conn, str(lists / "road.m3u8"), "road", [])
    conn.commit()
    return conn, tmp_path, road


def test_the_path_through_a_link_names_the_playlist(linked):
    conn, root, road = linked
    through = str(root / "Music" / "Lists" / "road.m3u8")
    assert resolve_playlist(conn, through) == road
    assert resolve_playlist(conn, through, exact=True) == road  # a write takes a path too


def test_the_real_path_names_a_playlist_stored_through_a_link(ctx, tmp_path):
    lists = tmp_path / "drive" / "Lists"
    lists.mkdir(parents=True)
    (lists / "road.m3u8").write_text("#EXTM3U\n", encoding="utf-8")
    os.symlink(tmp_path / "drive", tmp_path / "Music")
    conn = connect(ctx)
    road = add_playlist(conn, str(tmp_path / "Music" / "Lists" / "road.m3u8"), "road", [])
    conn.commit()
    assert resolve_playlist(conn, str(lists / "road.m3u8")) == road


def test_another_file_through_the_link_is_no_playlist(linked):
    conn, root, _road = linked
    # a playlist file never imported: said so, with the command that imports it
    with pytest.raises(MusicsageError, match="is not a playlist of the library: import it"):
        resolve_playlist(conn, str(root / "Music" / "Lists" / "other.m3u8"))
