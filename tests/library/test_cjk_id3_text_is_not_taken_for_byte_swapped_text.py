"""Chinese or Korean ID3 text whose characters all end in 00 ("开怀" is U+5F00 U+6000) stays
as it is written: the repair of big-endian UTF-16 read little-endian swapped it into "_`"
(and "대가" into "³¬") at the scan, and the one-time re-read of older tags overwrote such a
title stored right with that, saying an older version misread it. Big-endian text without a
byte-order mark ("Hello") is still read as written."""

from __future__ import annotations

import os

import pytest
from test_mislabelled_id3_text_reads_as_written import _mp3_with

from musicsage.library import tags as tags_mod
from musicsage.library.queries import get_setting, set_setting
from musicsage.library.scan import resolve_roots, scan_roots
from musicsage.library.tag_reread import REREAD_KEY, misread
from musicsage.library.tag_values import big_endian_read_as_little

CJK = {b"TIT2": "开怀", b"TPE1": "대가", b"TALB": "一", b"TCON": "刀开"}
"""Frames whose every character is U+xx00: what a byte-swapped Western text is made of."""


def _with_bom(text: str) -> bytes:
    return b"\xff\xfe" + text.encode("utf-16-le")


def test_cjk_text_with_a_byte_order_mark_reads_as_written(music):
    path = _mp3_with(music / "a.mp3", [(fid, 1, _with_bom(text)) for fid, text in CJK.items()])
    assert tags_mod.probe(path).tags == {"title": "开怀", "artist": "대가", "album": "一",
                                         "genre": "刀开"}


def test_the_reread_leaves_right_cjk_titles_alone_and_does_not_open_the_file(conn, music):
    _mp3_with(music / "a.mp3", [(fid, 1, _with_bom(text)) for fid, text in CJK.items()])
    scan_roots(conn, resolve_roots([music]))
    conn.execute("UPDATE tracks SET title = ?, artist = ?, album = ?, genre = ?",
                 list(CJK.values()))  # as an older version read them: right
    set_setting(conn, REREAD_KEY, None)
    conn.commit()
    read: list[str] = []

    def probe(fs_path, fmt=None):
        read.append(os.path.basename(fs_path))
        return tags_mod.probe(fs_path, fmt)

    rep = scan_roots(conn, resolve_roots([music]), prober=probe)

    assert tuple(conn.execute("SELECT title, artist, album, genre FROM tracks").fetchone()) == (
        "开怀", "대가", "一", "刀开")
    assert (rep.notes, rep.tags_read_again, read) == ([], 0, []), "not even read"
    assert get_setting(conn, REREAD_KEY) == []


@pytest.mark.parametrize("stored", ["开怀", "대가", "一", "刀开", "一刀开怀最言需退", "가대밀저준케"])
def test_no_cjk_text_is_a_misreading_of_its_swapped_bytes(stored):
    swapped = stored.encode("utf-16-le").decode("utf-16-be")
    assert big_endian_read_as_little(stored) is None
    assert not misread("title", stored, swapped, "mp3")


@pytest.mark.parametrize("written", ["Hello", "Björk", "Don’t Stop", "Beyoncé — Halo"])
def test_big_endian_text_without_a_byte_order_mark_is_still_read_as_written(music, written):
    path = _mp3_with(music / "a.mp3", [(b"TIT2", 1, written.encode("utf-16-be")),
                                       (b"TRCK", 1, "3/12".encode("utf-16-be"))])
    assert tags_mod.probe(path).tags == {"title": written, "track_number": 3}
