"""Big-endian UTF-16 ID3 text without a byte-order mark that is short, or has one character
outside Windows-1252, was no longer read as written once CJK text whose characters end in 00
was kept ("开怀"): the title "U2" read "唀㈀", the track "12" gave no track number, "Café ♥" read
"䌀愀昀…" and "!!!" read "℀℀℀". Digits and punctuation swapped never make a CJK word."""

from __future__ import annotations

import pytest
from test_mislabelled_id3_text_reads_as_written import _mp3_with

from musicsage.library import tags as tags_mod
from musicsage.library.tag_values import big_endian_read_as_little


@pytest.mark.parametrize("title", ["U2", "Café ♥", "!!!"])
def test_a_short_or_nearly_western_big_endian_title_reads_as_written(music, title):
    path = _mp3_with(music / "a.mp3", [(b"TIT2", 1, title.encode("utf-16-be")),
                                       (b"TRCK", 1, "12".encode("utf-16-be"))])
    assert tags_mod.probe(path).tags == {"title": title, "track_number": 12}


@pytest.mark.parametrize("written", ["U2", "12", "3/12", "Café ♥", "!!!"])
def test_their_misreading_is_repaired_as_the_reread_asks(written):
    assert big_endian_read_as_little(written.encode("utf-16-be").decode("utf-16-le")) == written


@pytest.mark.parametrize("written", ["1", "4", "45", "3/12"])
def test_a_number_frames_misreading_is_repaired_however_short(written):
    misread = written.encode("utf-16-be").decode("utf-16-le")
    assert big_endian_read_as_little(misread, number=True) == written


@pytest.mark.parametrize("stored", ["\u3400", "\u3000", "\u2d00\u2d00\u2d00"])
def test_a_short_title_of_letters_or_a_space_stays_as_written(stored):
    """An Extension A title "㐀" read "4", an ideographic space "0", the Georgian "ⴀⴀⴀ" "---":
    one character alone is a title as written; "-" is no sign."""
    assert big_endian_read_as_little(stored) is None


@pytest.mark.parametrize("written", ["45", "99", "666"])
def test_a_title_of_two_or_more_digits_is_repaired(written):
    """"45", "99", "666" read back to front are six rare ideographs (㐀㔀, 㤀㤀, 㘀㘀㘀): a
    title of such digits is far likelier than one of those."""
    misread = written.encode("utf-16-be").decode("utf-16-le")
    assert big_endian_read_as_little(misread) == written


def test_one_character_reads_as_a_title_in_a_title_and_a_number_in_a_track(music):
    written = "4".encode("utf-16-be")  # read little-endian: "㐀", an ideograph or a four
    path = _mp3_with(music / "a.mp3", [(b"TIT2", 1, written), (b"TRCK", 1, written)])
    assert tags_mod.probe(path).tags == {"title": "\u3400", "track_number": 4}


@pytest.mark.parametrize("stored", ["开怀", "대가", "一", "刀开", "☀", "♥♥"])
def test_cjk_and_symbols_as_written_stay(stored):
    assert big_endian_read_as_little(stored) is None
