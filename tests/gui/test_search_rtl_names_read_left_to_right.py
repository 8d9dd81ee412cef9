"""A track or a playlist named in a right-to-left script reads as any other in the Neighbours
heading and the search list: the heading of "המוסד" by La Coka Nostra was laid out as a
right-to-left line, drawn flush right as "La Coka Nostra — המוסד" (the artist first), and a
search's playlist row read "Playlist: (6)  שירים לנסיעה ארוכה", the count before the name."""

from __future__ import annotations

from PySide6.QtGui import QTextLayout
from PySide6.QtWidgets import QListWidget

from musicsage.gui.neighbours import NeighboursPanel
from musicsage.gui.search_rows import fill_results
from musicsage.search.types import SimilarResult

TITLE = "המוסד"
ARTIST = "La Coka Nostra"
PLAYLIST = "שירים לנסיעה ארוכה"


def _x(text: str, font) -> list[float]:
    """Where each character of ``text`` is drawn on a line laid out as Qt lays out a label's
    (its direction read from the text)."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(10_000)
    layout.endLayout()
    return [line.cursorToX(i)[0] for i in range(len(text))]


def _reads_title_then_artist(text: str, font) -> bool:
    """The line starts at the left (a left-to-right line) and the title is drawn before
    the artist."""
    line = text.split("\n")[0]
    x = _x(line, font)
    title = [x[i] for i in range(line.index(TITLE), line.index(TITLE) + len(TITLE))]
    return x[0] < 50 and max(title) < x[line.index(ARTIST)]


def test_the_neighbours_heading_names_a_right_to_left_title_first(qtbot):
    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    panel.resize(700, 500)
    panel.show()
    font = panel.heading.font()
    panel.show_loading(TITLE, ARTIST)  # the names apart, as the window passes them
    assert _reads_title_then_artist(panel.heading.text(), font), panel.heading.text()
    panel.show_result(SimilarResult(query={"track_id": 1, "title": TITLE, "artist": ARTIST}),
                      {})
    assert _reads_title_then_artist(panel.heading.text(), font), panel.heading.text()
    panel.show_result(SimilarResult(query={"track_id": 2, "title": "Song 1", "artist": "Band"}),
                      {})
    assert panel.heading.text() == "Song 1 — Band"  # a left-to-right name as it was


def test_a_search_rows_right_to_left_playlist_name_reads_before_its_count(qtbot):
    results = QListWidget()
    qtbot.addWidget(results)
    playlists = [(7, PLAYLIST, 6), (8, "Road Mix", 12)]
    fill_results(results, "שירים", [], "", playlists, 400)
    text = results.item(0).text()
    x = _x(text, results.font())
    name = [x[i] for i in range(text.index(PLAYLIST[0]), text.index(PLAYLIST[0]) + len(PLAYLIST))]
    assert x[0] < 50 and max(name) < x[text.index("(6")], text
    fill_results(results, "road", [], "", playlists, 400)
    assert results.item(0).text() == "Playlist: Road Mix  (12)"  # as it was


def test_a_neighbour_rows_tooltip_names_a_right_to_left_title_first(qtbot):
    from musicsage.gui.track_list import TrackList

    lst = TrackList()
    qtbot.addWidget(lst)
    lst.set_rows([{"track_id": 3, "title": TITLE, "artist": ARTIST, "path": "/m/a.flac",
                   "score": 0.9}])
    tip = lst.topLevelItem(0).toolTip(1)
    assert _reads_title_then_artist(tip, lst.font()), tip
