"""Long rows of the search list read apart: cut in the middle, whole in their tooltip.

One song on three albums of a Spotify import was listed "California Love - Original Ve…"
three times in the library panel's search list (cut at its end, before the artist and the
id that tell the rows apart): a user could not tell which row was which."""

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
    panel.results.setCurrentRow(-1)
    panel.results.clearSelection()
    qtbot.waitExposed(panel)
    return panel


def _row_images(results) -> list[bytes]:
    """Each row as drawn, its pixels (what a user sees of it)."""
    shot = results.viewport().grab().toImage()
    images = []
    for i in range(results.count()):
        rect = results.visualItemRect(results.item(i))
        row = shot.copy(rect.x(), rect.y(), rect.width(), rect.height())
        images.append(bytes(row.constBits()))
    return images


def test_three_rows_of_one_long_title_are_drawn_apart_in_a_narrow_list(qtbot):
    panel = _panel(qtbot, 200)
    results = panel.results
    width = results.viewport().width()
    assert all(results.fontMetrics().horizontalAdvance(label) > width for label in LABELS), \
        "the rows are too long for the list"
    assert len(set(_row_images(results))) == 3


def test_a_rows_tooltip_holds_it_whole(qtbot):
    panel = _panel(qtbot, 200)
    assert [panel.results.item(i).toolTip() for i in range(3)] == LABELS
