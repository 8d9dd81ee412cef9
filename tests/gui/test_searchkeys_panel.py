"""The search box's keys reach the playlists it offers, and its one "no match" line.

"jazz" in the demo found no track; under the line saying so, "Playlist: Jazz Essentials
(29)" was offered, but Down did nothing (it looked at the first row only: the note, which
cannot be picked), Enter did nothing (it picked a track row only), and a playlist chosen
from the list moved the keyboard focus to the playlists' filter box."""

from __future__ import annotations

from PySide6.QtCore import Qt

from musicsage.controllers.library import search_note
from musicsage.controllers.search_words import SEARCHED

PLAYLISTS = [(1, "Jazz Essentials", 29), (2, "Road Trip", 20), (3, "Late Jazz Night", 9)]


def _panel(qtbot, text: str, rows=()):
    from musicsage.gui.library_panel import LibraryPanel

    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(260, 700)
    panel.show()
    panel.show_playlists(PLAYLISTS)
    panel.search.setText(text)
    panel.show_search_results(text, list(rows), search_note(text, len(rows), 100))
    panel.search.setFocus()
    qtbot.waitUntil(panel.search.hasFocus)
    return panel


def test_down_goes_to_the_first_playlist_offered_and_up_back_to_the_box(qtbot):
    panel = _panel(qtbot, "jazz")
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)
    assert panel.results.hasFocus(), "Down did nothing: the first row is the note"
    assert panel.results.currentItem().text() == "Playlist: Jazz Essentials  (29)"
    qtbot.keyClick(panel.results, Qt.Key.Key_Up)
    assert panel.search.hasFocus(), "Up on the first row that can be picked: back to the box"


def test_enter_chooses_the_first_playlist_offered_when_no_track_matches(qtbot):
    panel = _panel(qtbot, "jazz")
    with qtbot.waitSignal(panel.playlist_chosen) as chosen:
        qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert chosen.args == [1] and panel.current_playlist() == 1
    assert panel.search.hasFocus(), "the focus stays in the search box"


def test_a_playlist_chosen_from_the_list_leaves_the_focus_there_and_clears_the_filter(qtbot):
    panel = _panel(qtbot, "jazz")
    panel.playlist_filter.setText("road")  # Jazz Essentials filtered out of the playlists
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)
    qtbot.keyClick(panel.results, Qt.Key.Key_Down)
    qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    assert panel.current_playlist() == 3, "Late Jazz Night, the second offered"
    assert panel.playlist_filter.text() == "", "shown, though the filter hid it"
    assert panel.results.hasFocus(), "not moved to the playlists' filter"
    qtbot.keyClick(panel.results, Qt.Key.Key_Up)
    assert panel.results.currentRow() == 1, "the keys still act on the search list"


def test_enter_still_picks_the_first_track_before_the_playlists(qtbot):
    panel = _panel(qtbot, "jazz", [(7, "Jazz Song — X")])
    with qtbot.waitSignal(panel.track_chosen) as chosen:
        qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert chosen.args == [7] and panel.current_playlist() is None


def test_the_window_shows_the_controllers_no_match_line_as_it_is(qtbot):
    """The controller said "no match" and the window replaced it with words of its own: the
    line is now worded once, by the controller, and the window only wraps it."""
    panel = _panel(qtbot, "zzzz")
    note = panel.results.item(0)
    assert note.text().replace("\n", " ") == search_note("zzzz", 0, 100)
    assert note.text().replace("\n", " ") == f"no {SEARCHED} matches ‘zzzz’"
    assert "album artist" in note.text().replace("\n", " "), "every field searched"
    width = note.listWidget().fontMetrics().horizontalAdvance
    assert all(width(line) <= panel.search.width() for line in note.text().splitlines())


def test_the_legend_counts_its_entries_not_lines_that_look_like_its_note(qtbot):
    """The legend counted its rows by looking for the note's style in each line: an entry
    holding that text was taken for a note line and left out of "Legend (N)"."""
    from musicsage.gui.map_colours import FOOTNOTE_STYLE, footnote_rows, legend_row
    from musicsage.gui.map_legend import MapLegend
    from PySide6.QtWidgets import QWidget

    host = QWidget()
    qtbot.addWidget(host)
    host.resize(500, 400)
    legend = MapLegend(host)
    entries = [legend_row("#ff0000", f"{FOOTNOTE_STYLE} (3)"), legend_row("#00ff00", "Mix (2)")]
    legend.set_lines(entries, footnote_rows(["A track in several playlists:", "the largest."]))
    legend.adjustSize()
    assert legend.rows == 2 and legend.header.text() == "▾ Legend (2)"
    assert "the largest." in legend.text()
    legend.setText("<br>".join(entries))  # the label interface: every line an entry
    assert legend.rows == 2
