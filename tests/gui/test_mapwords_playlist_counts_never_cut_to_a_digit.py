"""A playlist row cut in a narrow list never shows part of its count as if it were the count:
two playlists called "Deep Focus" of 19 and 18 tracks differ only from the count's last digit
on, and at 80–110 px the list kept that part: "Deep…9)  #1", read as a playlist of 9. The
count is now shown whole, or cut at its end ("(1…"), never its last digits alone."""

from __future__ import annotations

import re

import pytest
from test_s76map_playlist_list_long_names_alike_stay_apart import _shown

from musicsage.gui.playlist_list import PlaylistList

PLAYLISTS = [(1, "Deep Focus", 19), (2, "Deep Focus", 18), (3, "Chill", 1234),
             (4, "Chill", 1235), (5, "Best of 2000", 9), (6, "Best of 2006", 19),
             (7, "Running", 120), (8, "Running", 121)]


@pytest.mark.parametrize("width", [80, 90, 100, 110])
def test_a_narrow_list_shows_no_count_by_its_last_digits(qtbot, width):
    box = PlaylistList()
    qtbot.addWidget(box)
    box.resize(width, 400)
    box.show()
    qtbot.waitExposed(box)
    box.show_playlists(PLAYLISTS)
    for text, shown in _shown(box).items():
        count = re.search(r"\(([\d,]+)\)", text)[0]
        if ")" in shown:  # the count's end is shown: its start is too
            assert count in shown, (width, text, shown)
        assert not re.search(r"…[\d,]+\)", shown), (width, text, shown)


@pytest.mark.parametrize("width", [80, 90, 100, 110])
def test_same_named_rows_stay_apart_by_their_ids(qtbot, width):
    """Same-named playlists are told apart by their ids ("#3", as ``musicsage playlists``
    lists them): with the count cut, the id is what shows, "Chill  (1… #3"; not the count's
    last digits ("Chill…4)  #3" at 80–90 px), nor the same "Chill  (1,2…" on both
    rows."""
    box = PlaylistList()
    qtbot.addWidget(box)
    box.resize(width, 400)
    box.show()
    qtbot.waitExposed(box)
    box.show_playlists(PLAYLISTS)
    shown = _shown(box)
    for first, second in (("Chill  (1,234)  #3", "Chill  (1,235)  #4"),
                          ("Running  (120)  #7", "Running  (121)  #8"),
                          ("Deep Focus  (19)  #1", "Deep Focus  (18)  #2")):
        assert shown[first] != shown[second], (width, shown[first], shown[second])
        for text in (first, second):
            count, ident = re.search(r"\([\d,]+\)", text)[0], text.split()[-1]
            assert not re.search(r"…[\d,]+\)", shown[text]), (width, text, shown[text])
            assert count in shown[text] or shown[text].endswith(ident), (width, shown[text])
