"""The search list's playlist rows: the name in a row's tooltip is written as the row writes
it, on one line."""

from __future__ import annotations

from musicsage.controllers.library import search_note


def test_a_playlist_offered_is_named_on_one_line_in_its_tooltip_as_in_its_row(qtbot):
    """A playlist named "Road\\nTrip" (a dataset's playlists.csv): its row wrote the line
    break visibly, its tooltip broke the name in two."""
    from musicsage.gui.library_panel import LibraryPanel

    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.show_playlists([(4, "Road\nTrip", 2)])
    panel.search.setText("road")
    panel.show_search_results("road", [], search_note("road", 0, 100))
    row = panel.results.item(panel.results.count() - 1)
    assert row.text() == "Playlist: Road\\x0aTrip  (2)"
    assert row.toolTip() == "Choose the playlist Road\\x0aTrip"
