"""The map's key and the track box's tags line: pure wording, no window."""

from __future__ import annotations

from types import SimpleNamespace

from musicsage.controllers.map_tools import KEY_NAME_LIMIT, map_key_entries
from musicsage.controllers.selection import tags_text


def test_the_key_lists_each_kind_of_mark_while_it_is_drawn():
    """The key listed the selection's four entries only: a highlighted playlist, search
    matches and a region were drawn with no word for them."""
    assert map_key_entries(False) == []
    kinds = [k for k, _w in map_key_entries(True)]
    assert kinds == ["selected", "graph", "audio", "both"]
    entries = dict(map_key_entries(True, "Berlin Sunday Coffee", 3, 12))
    assert entries["playlist"] == "playlist ‘Berlin Sunday Coffee’"
    assert entries["matches"] == "search matches (3)" and entries["region"] == "region (12)"
    assert dict(map_key_entries(False, None, 1, 0)) == {"matches": "search match (1)"}
    assert [k for k, _w in map_key_entries(False, "", 0, 0)] == ["playlist"]


def test_a_long_playlist_name_is_shortened_in_the_key():
    words = dict(map_key_entries(False, "A" * 60))["playlist"]
    assert len(words) <= len("playlist ‘’") + KEY_NAME_LIMIT and words.endswith("…’")


def test_a_tag_its_score_and_the_separator_wrap_as_one():
    """In the narrow track box the tags wrapped as "electronic / 0.50 · electro", and a line
    could start with "·": a tag's last word, its score and the separator after it are now
    held together by no-break spaces, so the field breaks between tags only."""
    rows = [SimpleNamespace(tag=t, p=p) for t, p in
            (("electronic", 0.5), ("female vocalists", 0.19), ("dance", 0.09))]
    text = tags_text(rows)
    assert text.replace("\u00a0", " ") == "electronic 0.50 · female vocalists 0.19 · dance 0.09"
    units = text.split(" ")
    assert units == ["electronic\u00a00.50\u00a0·", "female", "vocalists\u00a00.19\u00a0·",
                     "dance\u00a00.09"]
    assert not any(u.startswith("·") or u[0].isdigit() for u in units)
