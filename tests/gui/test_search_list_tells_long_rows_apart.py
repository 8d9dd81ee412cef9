"""A long row of the search list is whole in its tooltip.

One song on three albums of a Spotify import was listed "California Love - Original Ve…"
three times in the library panel's search list (cut at its end, before the artist and the
id that tell the rows apart): the tooltip is where a user reads which row is which."""

from __future__ import annotations

from musicsage.controllers.library import search_note

LABELS = [f"California Love - Original Version — 2Pac (#{n})" for n in (1, 2, 3)]


def _panel(qtbot, width: int):
    from musicsage.gui.library_panel import LibraryPanel

    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(width, 600)
    panel.show()
    panel.search.setText("california")
    rows = list(enumerate(LABELS, 1))
    panel.show_search_results("california", rows, search_note("california", 3, 3))
    qtbot.waitExposed(panel)
    return panel


def test_a_rows_tooltip_holds_it_whole(qtbot):
    panel = _panel(qtbot, 200)
    assert [panel.results.item(i).toolTip() for i in range(3)] == LABELS
