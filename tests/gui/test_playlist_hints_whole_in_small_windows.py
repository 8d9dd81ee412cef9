"""The Suggestions and Playlist tabs' hints, whole in every window size the project tries.

The hints that said where playlists come from ("…None yet? Import playlists…, or drop one
here.") were cut in an 800x600 window, whose headings are about 350 px wide: on the Playlist
tab the part that said what to do was the part cut. "None yet?" also read oddly beside a
list of playlists. The hints are now short enough to be whole at 800x600, 1024x640 and
1366x768, and their words hold whether or not the library has playlists.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from gui_support import settle
from music_support import make_music
from musicsage.usecases.library import scan_library


@pytest.mark.parametrize("size", [(800, 600), (1024, 640), (1366, 768)],
                         ids=["800x600", "1024x640", "1366x768"])
def test_both_hints_are_whole(qtbot, make_window, ctx, tmp_path, size):
    music, _playlists, _paths = make_music(tmp_path / "src", n_tracks=3)
    scan_library(ctx, [str(music)])  # music only: no playlist
    w = make_window(ctx)
    w.resize(*size)
    for panel in (w.suggestions, w.playlist):
        w.right.setCurrentWidget(panel)
        settle(qtbot, w)
        heading = panel.heading
        text = heading.text()
        assert w.actions_.import_playlists.text() in text, text
        assert QLabel.text(heading) == text, f"cut at {size}: {QLabel.text(heading)!r}"


def test_the_hints_hold_beside_a_list_of_playlists():
    from musicsage.gui.playlist_panel import EMPTY as PLAYLIST_EMPTY
    from musicsage.gui.suggestions_panel import EMPTY as SUGGESTIONS_EMPTY

    for text in (PLAYLIST_EMPTY, SUGGESTIONS_EMPTY):
        assert "None yet" not in text and "No playlists" not in text, text
