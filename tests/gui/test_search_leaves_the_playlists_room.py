"""A search leaves the playlist list its room: the list of what was found did not grow at
its cost, and the no-match line stays short enough for the playlists it offers.

"without its extension" made the no-match line wrap to 4 lines, and pushed "Playlist:
Workout (25)" below the fold of the 70 px list at 800x600; a stretch of 3 for the search
list halved the playlist list at 1366x768, for a one-row result in a mostly blank list."""

from __future__ import annotations

from musicsage.controllers.library import search_note
from musicsage.controllers.search_words import no_match_line

PLAYLISTS = [(1, "Leeds Workout", 11), (2, "Workout", 25), (3, "After Hours", 19)]


def _panel(qtbot, width: int, height: int):
    from musicsage.gui.library_panel import LibraryPanel

    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(width, height)
    panel.show()
    panel.show_playlists(PLAYLISTS)
    qtbot.waitExposed(panel)
    return panel


def test_the_no_match_line_is_as_short_as_before():
    assert no_match_line("workout") == ("no title, artist, album, album artist, genre or "
                                        "file name matches ‘workout’")


def test_a_one_row_search_leaves_the_playlist_list_its_height(qtbot):
    panel = _panel(qtbot, 300, 700)
    before = panel.playlists.height()
    panel.search.setText("hidden island")
    panel.show_search_results("hidden island", [(1, "Hidden Island — Kingston Meadow")],
                              search_note("hidden island", 1, 1))
    qtbot.wait(50)
    assert panel.results.isVisible()
    assert panel.playlists.height() >= panel.results.height(), \
        "the search list grew at the playlists' cost"
    assert panel.playlists.height() >= before // 2
