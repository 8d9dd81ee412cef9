"""The search box says what it searched, and offers the playlists its words name.

"jazz" in the demo library found no track under a pale "no match" (a disabled row, hard to
read), though the library has a "Jazz Essentials" playlist: the search reads titles,
artists, albums and file names only, and nothing said so."""

from __future__ import annotations

from PySide6.QtGui import QPalette

from musicsage.controllers.library import search_note

PLAYLISTS = [(1, "Jazz Essentials", 29), (2, "Road Trip", 20), (3, "Late Jazz Night", 9)]


def _panel(qtbot):
    from musicsage.gui.library_panel import LibraryPanel

    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(260, 700)
    panel.show()
    panel.show_playlists(PLAYLISTS)
    return panel


def _rows(panel) -> list[str]:
    return [panel.results.item(i).text().replace("\n", " ")
            for i in range(panel.results.count())]


def test_no_match_names_what_was_searched_and_reads(qtbot):
    from musicsage.gui.neighbours import contrast

    panel = _panel(qtbot)
    panel.search.setText("zzzz")
    panel.show_search_results("zzzz", [], search_note("zzzz", 0, 100))
    assert _rows(panel) == ["no title, artist, album, album artist, genre or file name matches "
                            "‘zzzz’"]
    note = panel.results.item(0)
    width = note.listWidget().fontMetrics().horizontalAdvance
    assert all(width(line) <= panel.search.width() for line in note.text().splitlines()), \
        "in lines as wide as the list, not cut"
    back = panel.results.palette().color(QPalette.ColorRole.Base)
    assert contrast(note.foreground().color(), back) >= 4.5, "a readable grey, not disabled"


def test_playlists_named_by_the_words_are_offered_and_chosen(qtbot):
    panel = _panel(qtbot)
    panel.search.setText("jazz")
    panel.show_search_results("jazz", [], search_note("jazz", 0, 100))
    assert _rows(panel) == ["no title, artist, album, album artist, genre or file name matches "
                            "‘jazz’",
                            "Playlist: Jazz Essentials  (29)", "Playlist: Late Jazz Night  (9)"]
    with qtbot.waitSignal(panel.playlist_chosen) as chosen:
        panel.results.itemActivated.emit(panel.results.item(1))
    assert chosen.args == [1] and panel.current_playlist() == 1


def test_tracks_found_come_first_and_no_note_says_no_match(qtbot):
    panel = _panel(qtbot)
    panel.search.setText("road")
    panel.show_search_results("road", [(7, "Road Song — X")], "")
    assert _rows(panel) == ["Road Song — X", "Playlist: Road Trip  (20)"]
