"""Tag values as taggers really write them: a track number or year of 0 (a tagger's
"unknown") is none, not track 0 of the year 0; a date in any order gives its year; control
characters, a byte-order mark, spaces alone and a whole page of text in a tag do not reach
the library as they are; an empty first value does not hide the next; a "/" in an artist
(AC/DC) is never split on."""

from __future__ import annotations

import os

import pytest
from library_audio import write_audio

from musicsage.library import tags as tags_mod
from musicsage.library.scan import resolve_roots, scan_roots
from musicsage.library.tag_values import MAX_TEXT


def _id3(path, version: int = 4, **frames) -> str:
    from mutagen import id3

    path = os.fspath(write_audio(path))
    tag = id3.ID3()
    for frame, text in frames.items():
        tag.add(getattr(id3, frame)(encoding=3, text=text))
    tag.save(path, v2_version=version)
    return path


def _vorbis(path, **comments) -> str:
    from mutagen.flac import FLAC

    path = os.fspath(write_audio(path))
    f = FLAC(path)
    for name, value in comments.items():
        f[name] = value
    f.save()
    return path


def test_an_m4a_numbered_track_0_of_12_has_no_track_number(conn, music):
    from mutagen.mp4 import MP4

    path = os.fspath(write_audio(music / "a.m4a", tags={"title": "A"}))
    f = MP4(path)
    f["trkn"], f["\xa9day"] = [(0, 12)], "0000"
    f.save()
    rep = scan_roots(conn, resolve_roots([music]))
    assert (rep.added, rep.errors) == (1, [])
    assert tuple(conn.execute("SELECT title, track_number, year FROM tracks").fetchone()) == (
        "A", None, None)


@pytest.mark.parametrize("date, year", [("0000", None), ("2019-03-01", 2019),
                                        ("03/01/2019", 2019), ("20190301", 2019)])
def test_the_year_of_a_date_written_any_way(music, date, year):
    assert tags_mod.probe(_id3(music / "a.mp3", TDRC=date)).tags.get("year") == year
    assert tags_mod.probe(_vorbis(music / "a.flac", date=date)).tags.get("year") == year


def test_a_track_number_0_is_none(music):
    assert "track_number" not in tags_mod.probe(_id3(music / "a.mp3", TRCK="0/9")).tags
    assert "track_number" not in tags_mod.probe(_vorbis(music / "a.flac", tracknumber="0")).tags


def test_control_characters_and_a_byte_order_mark_are_left_out(music):
    path = _vorbis(music / "a.flac", title="Night\nBus\x1b[2J", artist="\ufeffThe Lamps",
                   album="   ", genre="Jazz\t\tSoul")
    assert tags_mod.probe(path).tags == {"title": "Night Bus [2J", "artist": "The Lamps",
                                         "genre": "Jazz Soul"}


def test_a_whole_page_in_a_tag_is_cut(music):
    path = _id3(music / "a.mp3", TIT2="la " * 40_000, TPE1="The Lamps")
    got = tags_mod.probe(path).tags
    assert got["artist"] == "The Lamps"
    assert len(got["title"]) <= MAX_TEXT and got["title"].startswith("la la")


def test_an_empty_first_value_does_not_hide_the_next(music):
    assert tags_mod.probe(_vorbis(music / "a.flac", artist=["", "The Lamps"])).tags == {
        "artist": "The Lamps"}


@pytest.mark.parametrize("version", [3, 4])
def test_a_slash_in_an_artist_is_never_split_on(music, version):
    assert tags_mod.probe(_id3(music / "a.mp3", version, TPE1="AC/DC")).tags == {
        "artist": "AC/DC"}
