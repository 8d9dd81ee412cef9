"""A playlist whose name holds a run of digits longer than Python's ``int()`` reads (4,300):
the playlists are still sorted by name, numbers by value, listed in the window and offered by
the search box. Such a name (a dataset's ``playlists.csv``, a ``#PLAYLIST`` line) raised
ValueError in the sort: the window showed nothing of its library, and ``musicsage playlists``
ended with "unexpected error"."""

from __future__ import annotations

from musicsage.controllers.playlist_order import natural_key, sorted_playlists
from musicsage.controllers.search_words import playlists_named

HUGE = "Mix " + "9" * 5000


def test_a_name_with_a_huge_number_sorts_after_the_smaller_ones():
    rows = [(1, HUGE, 3), (2, "Mix 10", 4), (3, "Mix 2", 5), (4, "Mix 0" + "1" * 4400, 1)]
    assert [r[0] for r in sorted_playlists(rows)] == [3, 2, 4, 1]
    assert playlists_named("mix", rows)[-1][0] == 1


def test_numbers_still_compare_by_value():
    assert natural_key("Focus 2") < natural_key("Focus 10") < natural_key("Focus 10b")
    assert natural_key("Mix 02")[0] == natural_key("Mix 2")[0]
    assert natural_key("Mix ٣")[0] == natural_key("Mix 3")[0]  # (Arabic-Indic three)


def test_the_window_lists_it(qtbot):
    from musicsage.gui.library_panel import LibraryPanel
    from musicsage.gui.playlist_list import ID_ROLE

    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.show_playlists([(1, HUGE, 3), (2, "Mix 2", 5)])
    assert [r.data(ID_ROLE) for r in panel.playlist_box.shown_rows()] == [2, 1]
