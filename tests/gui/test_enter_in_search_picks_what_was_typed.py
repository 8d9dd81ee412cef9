"""Enter in the search box picks the first result of the words typed, not of the words the
list still answered: "song 12" typed and Enter pressed within the typing delay selected the
first track of "song". And a list answered again with the same rows (each new library
snapshot asks it again) keeps the row the keys were on."""

from __future__ import annotations

from PySide6.QtCore import Qt

from musicsage.controllers.library import search_note

SONGS = [(1, "Song 1 — A"), (2, "Song 2 — B"), (12, "Song 12 — C")]


def _panel(qtbot):
    from musicsage.gui.library_panel import LibraryPanel

    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(260, 700)
    panel.show()
    panel.search.setFocus()
    qtbot.waitUntil(panel.search.hasFocus)
    return panel


def _answer(panel, text: str, rows) -> None:
    """The controller's answer for ``text``, as the window passes it on."""
    panel.show_search_results(text, list(rows), search_note(text, len(rows), 100))


def test_enter_before_the_answer_picks_the_first_track_of_the_words_typed(qtbot):
    panel = _panel(qtbot)
    asked = []
    panel.search_changed.connect(asked.append)
    qtbot.keyClicks(panel.search, "song")
    qtbot.waitUntil(lambda: asked[-1:] == ["song"])
    _answer(panel, "song", SONGS)
    chosen = []
    panel.track_chosen.connect(chosen.append)
    qtbot.keyClicks(panel.search, " 12")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)  # within the typing delay
    assert chosen == [], "the list still answers 'song': its first row is not what was typed"
    assert asked[-1] == "song 12", "Enter searches the words typed at once"
    _answer(panel, "song 12", [(12, "Song 12 — C")])
    assert chosen == [12], "the first track of 'song 12', once its answer came"


def test_enter_on_the_answer_shown_picks_its_first_track_at_once(qtbot):
    panel = _panel(qtbot)
    panel.search.setText("song")
    _answer(panel, "song", SONGS)
    with qtbot.waitSignal(panel.track_chosen) as chosen:
        qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert chosen.args == [1]


def test_an_enter_waiting_is_forgotten_once_the_words_change(qtbot):
    panel = _panel(qtbot)
    chosen = []
    panel.track_chosen.connect(chosen.append)
    panel.search.setText("song")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)  # no answer yet: it waits for one
    panel.search.setText("song 2")  # typed on: the answer for "song" is no longer shown
    _answer(panel, "song 2", [(2, "Song 2 — B")])
    assert chosen == [], "Enter was pressed on other words"


def test_the_same_answer_again_keeps_the_row_the_keys_are_on(qtbot):
    panel = _panel(qtbot)
    panel.search.setText("song")
    _answer(panel, "song", SONGS)
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)
    qtbot.keyClick(panel.results, Qt.Key.Key_Down)
    assert panel.results.currentRow() == 1
    _answer(panel, "song", SONGS)  # the library read again: the same tracks match
    assert panel.results.currentRow() == 1 and panel.results.hasFocus()
    _answer(panel, "song", SONGS[1:])  # one of them gone: the list is answered anew
    assert [panel.results.item(i).text() for i in range(2)] == ["Song 2 — B", "Song 12 — C"]


def test_a_cleared_box_lists_the_same_answer_again(qtbot):
    panel = _panel(qtbot)
    panel.search.setText("song")
    _answer(panel, "song", SONGS)
    qtbot.keyClick(panel.search, Qt.Key.Key_Escape)
    assert panel.results.count() == 0
    panel.search.setText("song")
    _answer(panel, "song", SONGS)
    assert panel.results.count() == 3 and panel.results.isVisible()
