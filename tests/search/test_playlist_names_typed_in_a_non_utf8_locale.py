"""PLAYLIST typed in a session whose filesystem encoding is ASCII (``PYTHONUTF8=0 LC_ALL=C``; a
plain ``LC_ALL=C`` turns on Python's UTF-8 mode): the ``É`` a UTF-8
terminal sends reaches ``argv`` as ``surrogateescape`` stand-ins (``\\udcc3\\udc89``), and
``musicsage playlists Été`` said "no playlist matches '\\udcc3\\udc89t\\udcc3\\udca9'": the
accented name was not found, and the message printed the stand-ins raw. Names are matched
with the bytes read as UTF-8, as a track QUERY is, and the message shows the text as typed."""

from __future__ import annotations

import os

import pytest
from search_helpers import add_playlist

from musicsage.errors import MusicsageError
from musicsage.library.db import connect
from musicsage.search.playlist_query import AmbiguousPlaylist, resolve_playlist


def _as_ascii_session_argv(text: str) -> str:
    """``text`` as ``sys.argv`` holds it where the locale is ASCII: its UTF-8 bytes, each
    byte above 127 a ``surrogateescape`` stand-in."""
    return text.encode("utf-8").decode("ascii", "surrogateescape")


@pytest.fixture
def summer(ctx, tmp_path):
    conn = connect(ctx)
    summer = add_playlist(conn, str(tmp_path / "ete-2024.m3u8"), "Été", [])
    add_playlist(conn, str(tmp_path / "winter.m3u8"), "Winter", [])
    add_playlist(conn, str(tmp_path / "del-mar.m3u8"), "Café del Mar", [])
    add_playlist(conn, str(tmp_path / "noir.m3u8"), "Café Noir", [])
    conn.commit()
    return conn, summer


@pytest.mark.parametrize("typed", ["Été", "été", "Ét"])
def test_an_accented_name_typed_in_an_ascii_session_names_its_playlist(summer, typed):
    conn, summer_id = summer
    assert resolve_playlist(conn, _as_ascii_session_argv(typed)) == summer_id


def test_no_match_shows_the_text_as_typed_not_its_stand_ins(summer):
    conn, _ = summer
    with pytest.raises(MusicsageError) as caught:
        resolve_playlist(conn, _as_ascii_session_argv("Étéx"))
    message = str(caught.value)
    assert "'Étéx'" in message, message
    assert not any(0xDC80 <= ord(c) <= 0xDCFF for c in message), ascii(message)


def test_an_odd_byte_shows_as_the_app_shows_it(summer):
    conn, _ = summer
    with pytest.raises(MusicsageError) as caught:
        resolve_playlist(conn, os.fsdecode(b"x\xffy"))
    assert "'x\ufffdy'" in str(caught.value), ascii(str(caught.value))


def test_an_ambiguous_accented_piece_names_the_text_as_typed(summer):
    conn, _ = summer
    with pytest.raises(AmbiguousPlaylist) as caught:
        resolve_playlist(conn, _as_ascii_session_argv("Café"))
    assert str(caught.value).startswith("'Café' matches 2 playlists"), str(caught.value)
