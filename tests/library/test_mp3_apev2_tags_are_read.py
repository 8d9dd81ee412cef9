"""An MP3's APEv2 tag (foobar2000 wrote APEv2 and ID3v1 to MP3s by default) is read: mutagen's
MP3 reads ID3 alone, so an MP3 tagged with APEv2 only had no tags (no artist, no album: no
contexts for the graph model), and one with ID3v1 beside it had ID3v1's fields, cut at 30
bytes of Latin-1. An ID3v2 tag still wins; APEv2 gives the fields it lacks."""

from __future__ import annotations

import os

import soundfile as sf
from library_audio import tone

from musicsage.library import tags as tags_mod
from musicsage.library.scan import resolve_roots, scan_roots

LONG = "A Title Far Longer Than Thirty Bytes Of ID3v1"


def _id3v1() -> bytes:
    """An ID3v1.1 tag as foobar2000 wrote it after the APEv2 tag: the title cut at 30 bytes,
    the Japanese artist as Latin-1 could hold it, a year, track 1, no genre."""
    return (b"TAG" + LONG.encode()[:30] + b"????".ljust(30, b"\0") + bytes(30) + b"2009"
            + bytes(29) + b"\x01" + b"\xff")


def _mp3(path, *, ape: dict[str, str], id3v2: dict | None = None, id3v1: bool = False) -> str:
    from mutagen import id3
    from mutagen.apev2 import APEv2

    path = os.fspath(path)
    sf.write(path, tone(1.0, 22050), 22050, format="MP3", subtype="MPEG_LAYER_III")
    try:
        id3.ID3(path).delete()
    except id3.ID3NoHeaderError:
        pass
    if id3v2:
        tag = id3.ID3()
        for frame, text in id3v2.items():
            tag.add(getattr(id3, frame)(encoding=3, text=text))
        tag.save(path)
    ape_tag = APEv2()
    for key, value in ape.items():
        ape_tag[key] = value
    ape_tag.save(path)  # (it removes an ID3v1 tag: the ID3v1 tag is written after it)
    if id3v1:
        with open(path, "ab") as fh:
            fh.write(_id3v1())
    return path


def test_an_mp3_with_apev2_tags_only_is_scanned_with_them(conn, music):
    _mp3(music / "a.mp3", ape={"Title": "Night Bus", "Artist": "The Lamps", "Album": "Late",
                               "Album Artist": "Various", "Genre": "Jazz", "Track": "3/12",
                               "Year": "2009"})
    rep = scan_roots(conn, resolve_roots([music]))
    assert (rep.added, rep.errors) == (1, [])
    row = conn.execute("SELECT title, artist, album, albumartist, genre, track_number, year"
                       " FROM tracks").fetchone()
    assert tuple(row) == ("Night Bus", "The Lamps", "Late", "Various", "Jazz", 3, 2009)


def test_apev2_wins_over_an_id3v1_tag_alone(music):
    import mutagen

    path = _mp3(music / "a.mp3", ape={"Title": LONG, "Artist": "東京事変"}, id3v1=True)
    assert mutagen.File(path).tags.version == (1, 1)  # the ID3v1 tag is there, and read
    assert tags_mod.probe(path).tags == {"title": LONG, "artist": "東京事変", "year": 2009,
                                         "track_number": 1}


def test_an_id3v2_tag_wins_and_apev2_gives_what_it_lacks(music):
    path = _mp3(music / "a.mp3", ape={"Title": "Old Title", "Album Artist": "Various"},
                id3v2={"TIT2": "New Title", "TPE1": "The Lamps"})
    assert tags_mod.probe(path).tags == {"title": "New Title", "artist": "The Lamps",
                                         "albumartist": "Various"}


def test_the_album_artist_and_year_under_their_other_names(music):
    path = _mp3(music / "a.mp3", ape={"TITLE": "A", "ALBUMARTIST": "Various", "DATE": "2009"})
    assert tags_mod.probe(path).tags == {"title": "A", "albumartist": "Various", "year": 2009}
