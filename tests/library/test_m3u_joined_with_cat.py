"""Two M3U8 playlists joined with ``cat`` (each saved with a byte order mark): the second
mark stands mid-file before its ``#EXTM3U``, which was read as an entry naming no file (an
unresolved "track" in the list), and removing a track from the joined file must still work."""

from __future__ import annotations

from musicsage.library.playlists import format_for
from musicsage.library.playlists.remove import remove_entries

BOM = b"\xef\xbb\xbf"
FIRST = BOM + b"#EXTM3U\n#EXTINF:1,One\nA/One.wav\n"
SECOND = BOM + b"#EXTM3U\r\n#EXTINF:2,Two\r\nB/Two.wav\r\n#EXTINF:3,Three\r\nB/Three.wav\r\n"


def test_the_second_mark_is_no_entry():
    parsed = format_for("joined.m3u8").parse(FIRST + SECOND, "joined.m3u8")
    assert [(e.raw, e.title) for e in parsed.entries] == [
        ("A/One.wav", "One"), ("B/Two.wav", "Two"), ("B/Three.wav", "Three")]


def test_removing_from_the_joined_file_keeps_every_other_byte():
    data = FIRST + SECOND
    out = remove_entries(data, "/lists/joined.m3u8", {1},
                         expected=["A/One.wav", "B/Two.wav", "B/Three.wav"])
    assert out == FIRST + BOM + b"#EXTM3U\r\n#EXTINF:3,Three\r\nB/Three.wav\r\n"


WINDOWS_1252 = b"#EXTM3U\r\n#EXTINF:1,Caf\xe9\r\nA\\Caf\xe9.wav\r\n"  # an old player's .m3u


def test_the_mark_read_as_windows_1252_is_no_entry():
    """Joined after a Windows-1252 playlist, the whole file is read as Windows-1252: the
    UTF-8 mark is "ï»¿" there, and "ï»¿#EXTM3U" was an entry naming no file."""
    parsed = format_for("joined.m3u").parse(WINDOWS_1252 + SECOND, "joined.m3u")
    assert [(e.raw, e.title) for e in parsed.entries] == [
        ("A\\Café.wav", "Café"), ("B/Two.wav", "Two"), ("B/Three.wav", "Three")]


def test_removing_from_a_windows_1252_join_keeps_every_other_byte():
    out = remove_entries(WINDOWS_1252 + SECOND, "/lists/joined.m3u", {2},
                         expected=["A\\Café.wav", "B/Two.wav", "B/Three.wav"])
    assert out == WINDOWS_1252 + BOM + b"#EXTM3U\r\n#EXTINF:2,Two\r\nB/Two.wav\r\n"
