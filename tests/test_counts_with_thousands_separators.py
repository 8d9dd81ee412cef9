"""A count with its noun, thousands grouped ("8,000 tracks"), is written by one helper beside
``counted`` in musicsage.text, so that every view words its counts alike: the Queue's own copy
lived in a controller, where other views could not reuse it."""

from __future__ import annotations

from musicsage.text import grouped


def test_a_count_is_written_with_its_thousands_grouped_and_its_noun_agreeing():
    assert grouped(8000, "track") == "8,000 tracks"
    assert grouped(1, "entry", "entries") == "1 entry"
    assert grouped(1200, "entry", "entries") == "1,200 entries"
    assert grouped(0, "track") == "0 tracks"
