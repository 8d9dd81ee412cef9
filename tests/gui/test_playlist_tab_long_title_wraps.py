"""A long title in a short playlist (pytest-qt, offscreen): the Playlist tab's list, a view
over a model, wraps it onto two lines at most where the tab has the height, as the other
track lists do; the title delegate's wrap looked for a tree *widget* only."""

from __future__ import annotations

from musicsage.controllers.playlist_tracks import PlaylistRow, PlaylistTracks
from musicsage.gui.playlist_panel import PlaylistPanel
from musicsage.gui.track_list import WRAP_LINES

LONG = "Glasshouse (Weightless Mix) " * 8


def test_a_long_title_takes_two_lines_of_a_row_at_most_in_the_playlist_tab(qtbot):
    panel = PlaylistPanel()
    qtbot.addWidget(panel)
    panel.resize(360, 600)
    panel.show()
    qtbot.waitExposed(panel)
    rows = tuple(PlaylistRow(i + 1, i + 1, LONG if i == 0 else f"Song {i}", "Band",
                             f"/music/{i}.flac", 185.0, "") for i in range(5))
    panel.show_tracks(PlaylistTracks(3, "Mix", "m3u", "/music/Mix.m3u8", rows, 0))
    lst = panel.list
    assert lst.wordWrap(), "a short list in a tall panel wraps its titles"
    line = lst.fontMetrics().lineSpacing()
    long_row = lst.visualItemRect(lst.topLevelItem(0)).height()
    short_row = lst.visualItemRect(lst.topLevelItem(1)).height()
    assert short_row < long_row <= short_row + (WRAP_LINES - 1) * line, (long_row, short_row)
