"""The search box's list shows only when it has something to say: a text with nothing to
search (a lone quote, which opens a phrase) gets no "no match" line (it was made and failed as
a search, it read), and the list it left was an empty white box under the search box."""

from __future__ import annotations

from musicsage.controllers.library import search_note


def _panel(qtbot):
    from musicsage.gui.library_panel import LibraryPanel

    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(260, 600)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_playlists([(1, "Quiet hours", 3)])
    return panel


def _answer(panel, text: str, rows: list[tuple[int, str]]) -> None:
    panel.search.setText(text)
    panel.show_search_results(text.strip(), rows, search_note(text.strip(), len(rows), 100))


def test_a_lone_quote_leaves_no_empty_box(qtbot):
    panel = _panel(qtbot)
    _answer(panel, '"', [])
    assert panel.results.count() == 0 and not panel.results.isVisible()


def test_a_search_that_finds_nothing_still_says_so(qtbot):
    panel = _panel(qtbot)
    _answer(panel, "zzqx", [])
    assert panel.results.isVisible() and "zzqx" in panel.results.item(0).text()
    _answer(panel, "quiet", [])  # no track, but the playlist the words name
    assert panel.results.isVisible() and "Quiet hours" in panel.results.item(1).text()
    _answer(panel, "song", [(4, "Song — Band")])
    assert panel.results.isVisible() and panel.results.item(0).text() == "Song — Band"
