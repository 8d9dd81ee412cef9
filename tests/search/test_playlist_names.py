"""Two playlists of the same name: the refusal tells them apart, and id or path picks one."""

from __future__ import annotations

import pytest
from search_helpers import add_playlist

from musicsage.library.db import connect
from musicsage.search.playlist_query import AmbiguousPlaylist, resolve_playlist


@pytest.fixture
def two_boms(ctx, tmp_path, monkeypatch):
    """``bom`` in two folders of the home folder, as two players' exports leave it."""
    monkeypatch.setenv("HOME", str(tmp_path))
    conn = connect(ctx)
    first = add_playlist(conn, str(tmp_path / "winamp/bom.m3u8"), "bom", [])
    second = add_playlist(conn, str(tmp_path / "foobar/bom.m3u8"), "bom", [])
    conn.commit()
    return conn, tmp_path, first, second


def test_the_ambiguous_name_lists_each_playlist_with_its_file(two_boms):
    conn, _home, first, second = two_boms
    with pytest.raises(AmbiguousPlaylist) as caught:
        resolve_playlist(conn, "bom")
    message = str(caught.value)  # the candidates go on stdout, one a line (as tracks')
    assert [line.split() for line in caught.value.lines()] == [
        [str(first), "bom", "(~/winamp/bom.m3u8)"], [str(second), "bom", "(~/foobar/bom.m3u8)"]]
    assert message.endswith("give its id or file path") and "\n" not in message


def test_the_id_or_the_file_path_picks_one_of_them(two_boms, monkeypatch):
    conn, home, first, second = two_boms
    assert resolve_playlist(conn, f"#{second}") == second
    assert resolve_playlist(conn, str(home / "winamp/bom.m3u8")) == first
    monkeypatch.chdir(home)
    assert resolve_playlist(conn, "foobar/bom.m3u8") == second
    assert resolve_playlist(conn, "~/winamp/bom.m3u8") == first
