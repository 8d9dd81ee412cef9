"""ID3 text whose encoding byte misleads is read as what it is: UTF-16 big-endian without a
byte-order mark (read little-endian it came out as CJK, "䠀攀氀氀漀"), UTF-8 in a frame marked
Latin-1 ("BjÃ¶rk", beside the "Björk" of the same artist's FLAC: two artists to the graph
model), Windows-1252 in one ("Don’t", not a control character). Text that is what its frame
says stays as it is."""

from __future__ import annotations

import os

import soundfile as sf
from library_audio import tone

from musicsage.library import tags as tags_mod
from musicsage.library.scan import resolve_roots, scan_roots


def _bare_mp3(path) -> bytes:
    """The bytes of a short MP3 without any tag (libsndfile's, its ID3 dropped)."""
    from mutagen.id3 import ID3, ID3NoHeaderError

    sf.write(path, tone(1.0, 22050), 22050, format="MP3", subtype="MPEG_LAYER_III")
    try:
        ID3(path).delete()
    except ID3NoHeaderError:
        pass
    return open(path, "rb").read()


def _id3v23(frames: list[tuple[bytes, int, bytes]]) -> bytes:
    """An ID3v2.3 tag of text frames (id, encoding byte, text bytes) written byte by byte, as a
    tagger that mislabels them does."""
    body = b"".join(fid + (1 + len(text)).to_bytes(4, "big") + b"\x00\x00" + bytes([enc]) + text
                    for fid, enc, text in frames)
    size = bytes((len(body) >> shift) & 0x7F for shift in (21, 14, 7, 0))  # syncsafe
    return b"ID3\x03\x00\x00" + size + body


def _mp3_with(path, frames) -> str:
    audio = _bare_mp3(path)
    with open(path, "wb") as fh:
        fh.write(_id3v23(frames) + audio)
    return os.fspath(path)


def test_utf16_big_endian_text_without_a_byte_order_mark_reads_as_written(music):
    path = _mp3_with(music / "a.mp3", [(b"TIT2", 1, "Hello World".encode("utf-16-be")),
                                       (b"TPE1", 1, "Björk".encode("utf-16-be"))])
    assert tags_mod.probe(path).tags == {"title": "Hello World", "artist": "Björk"}


def test_utf8_in_a_latin1_frame_is_the_artist_the_flac_names(conn, music, make_audio):
    _mp3_with(music / "a.mp3", [(b"TIT2", 0, b"One"), (b"TPE1", 0, "Björk".encode())])
    make_audio(music / "b.flac", tags={"title": "Two", "artist": "Björk"})
    rep = scan_roots(conn, resolve_roots([music]))
    assert rep.errors == []
    assert {r[0] for r in conn.execute("SELECT artist FROM tracks")} == {"Björk"}


def test_windows_1252_in_a_latin1_frame_keeps_its_quote(music):
    path = _mp3_with(music / "a.mp3", [(b"TIT2", 0, "Don’t Stop".encode("cp1252")),
                                       (b"TPE1", 0, "Motörhead".encode("latin-1"))])
    assert tags_mod.probe(path).tags == {"title": "Don’t Stop", "artist": "Motörhead"}


def test_text_that_is_what_its_frame_says_stays_as_it_is(music):
    path = _mp3_with(music / "a.mp3", [
        (b"TIT2", 1, b"\xff\xfe" + "東京事変 一".encode("utf-16-le")),  # real CJK, with a BOM
        (b"TPE1", 1, b"\xfe\xff" + "Hello".encode("utf-16-be")),  # big-endian with a BOM
        (b"TALB", 0, "Ã©té".encode("latin-1"))])  # Latin-1 that is not UTF-8
    assert tags_mod.probe(path).tags == {"title": "東京事変 一", "artist": "Hello",
                                         "album": "Ã©té"}
