"""An MP3 tagged by foobar2000 (an APEv2 tag, an ID3v1 tag after it) that a version before the
APEv2 reader scanned holds the ID3v1 fields: each cut at 30 bytes, then stripped of its
spaces by the ID3v1 reader. A title cut just after a word ("Everything In Its Right Place "
of "Everything In Its Right Place (Live in Paris)") was stored 29 characters long, and the
scan that reads such tracks again (:mod:`musicsage.library.tag_reread`) took it for a title
of the user's own: the album was mended, the title stayed cut for good."""

from __future__ import annotations

from mutagen import id3
from test_mp3_apev2_tags_are_read import _mp3

from musicsage.library.queries import set_setting
from musicsage.library.scan import resolve_roots, scan_roots
from musicsage.library.tag_reread import REREAD_KEY, misread

FULL = "Everything In Its Right Place (Live in Paris)"
"""A title whose 30th byte is a space: its ID3v1 cut ends on one."""


def _id3v1(title: str, artist: str) -> bytes:
    """An ID3v1.1 tag as foobar2000 writes it after the APEv2 tag: fields cut at 30 bytes."""
    def field(text: str) -> bytes:
        return text.encode("latin-1")[:30].ljust(30, b"\0")
    return b"TAG" + field(title) + field(artist) + bytes(30) + b"2001" + bytes(29) + b"\x01\xff"


def test_an_id3v1_title_cut_at_a_space_is_read_again_whole(conn, music):
    path = _mp3(music / "live.mp3", ape={"Title": FULL, "Artist": "Radiohead", "Album": "Live"})
    with open(path, "ab") as fh:
        fh.write(_id3v1(FULL, "Radiohead"))
    older = id3.ID3(path).get("TIT2")  # what a reader of the ID3 tags alone makes of it
    assert older is not None and older.text == ["Everything In Its Right Place"]
    scan_roots(conn, resolve_roots([music]))
    with conn:  # the row as the version before the APEv2 reader left it, not upgraded yet
        conn.execute("UPDATE tracks SET title = ?, album = NULL", (older.text[0],))
        set_setting(conn, REREAD_KEY, None)

    rep = scan_roots(conn, resolve_roots([music]))

    assert tuple(conn.execute("SELECT title, album FROM tracks").fetchone()) == (FULL, "Live")
    assert rep.tags_read_again == 1


def test_a_title_of_the_users_own_is_still_kept():
    """No cut: shorter than the field with more than spaces after it in the file's title, or
    the file's title no longer than the field."""
    assert not misread("title", "Everything In Its", FULL, "mp3")
    assert not misread("title", "Everything", "Everything  ", "mp3")
    assert not misread("title", "Short Title", "Short Title (Live)", "mp3")
    assert misread("title", "Everything In Its Right Place", FULL, "mp3")
