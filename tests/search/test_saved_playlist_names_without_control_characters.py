"""What "Save as playlist" and ``--m3u`` write reads back whatever the names hold."""

from __future__ import annotations

from musicsage.library.playlists.m3u import parse_m3u
from musicsage.search import m3u

TRACK = {"path": "/music/b.flac", "title": "B", "artist": "Band", "duration": 3}


def test_control_characters_in_names_never_make_the_playlist_unreadable(tmp_path):
    """A NUL in a playlist's or a track's name (a player's database, a dataset) was written
    into the #PLAYLIST/#EXTINF line: every reader, this app's too, then refused the whole file
    as binary data, and the next save could not tell it was this app's."""
    dest = tmp_path / "q.m3u8"
    track = {**TRACK, "title": "Intro\x00(live)\x1b[31m", "artist": "Band\x07"}
    m3u.write_m3u(dest, [track], name="Queue\x00 of\x1b mine")
    data = dest.read_bytes()
    assert [e.raw for e in parse_m3u(data, dest.name).entries] == ["/music/b.flac"]
    assert data.decode().splitlines()[1:3] == ["#PLAYLIST:Queue of mine",
                                               "#EXTINF:3,Band - Intro (live) [31m"]
    assert m3u.written_here(data)


def test_a_title_mostly_unprintable_is_left_out_and_the_playlist_reads_back(tmp_path):
    """Sixty U+FFFD (a tag read badly) in the one title of a saved list made the file "mostly
    unprintable characters" to every reader, this app's scan too: the title is left out (a
    player shows the file's name), the entry and the name kept."""
    dest = tmp_path / "q.m3u8"
    m3u.write_m3u(dest, [{**TRACK, "title": "\ufffd" * 60, "artist": None}], name="Queue")
    data = dest.read_bytes()
    assert [e.raw for e in parse_m3u(data, dest.name).entries] == ["/music/b.flac"]
    assert data.decode().splitlines()[1:3] == ["#PLAYLIST:Queue", "#EXTINF:3,"]
    assert m3u.written_here(data)
