"""A PLS whose ``File1=`` and ``File01=`` (or one key twice) number the same entry: the last
one is read, as players do, and the import says that an entry was passed over instead of
losing it without a word."""

from __future__ import annotations

from musicsage.library.playlists import format_for


def _parse(text: str):
    return format_for("mix.pls").parse(text.encode(), "mix.pls")


def test_an_entry_numbered_twice_is_said():
    parsed = _parse("[playlist]\nFile1=a.wav\nFile01=b.wav\nFile2=c.wav\nNumberOfEntries=2\n")
    assert [e.raw for e in parsed.entries] == ["b.wav", "c.wav"]
    assert parsed.notes == ["File01= numbers an entry already given: only the last of each "
                            "number was read; give each entry its own number to keep them all"]


def test_entries_numbered_once_have_no_note():
    parsed = _parse("[playlist]\nFile1=a.wav\nTitle1=A\nFile02=b.wav\nNumberOfEntries=2\n")
    assert [e.raw for e in parsed.entries] == ["a.wav", "b.wav"] and parsed.notes == []


def test_the_same_line_written_twice_loses_nothing_and_is_not_said():
    parsed = _parse("[playlist]\nFile1=a.wav\nFile1=a.wav\nFile02=b.wav\nFile2=b.wav\n"
                    "NumberOfEntries=2\n")
    assert [e.raw for e in parsed.entries] == ["a.wav", "b.wav"] and parsed.notes == []
