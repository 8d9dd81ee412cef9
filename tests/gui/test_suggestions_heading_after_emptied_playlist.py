"""The Suggestions tab of a playlist emptied in the window: once its last tracks are removed
(the Playlist tab's "Remove from playlist"), the heading says why there is nothing to suggest,
without the track count of the playlist as it was. It read "Suggestions for Mix (4 tracks)"
above "Playlist 'Mix' is empty", the count of a playlist that had none left."""

from __future__ import annotations

from PySide6.QtCore import Qt

from musicsage.search.types import SuggestResult
from musicsage.usecases.library import list_playlists, playlist_track_ids


def test_the_heading_drops_the_old_count_when_the_playlist_is_emptied(
        qtbot, make_window, library):
    w = make_window(library)
    info = list_playlists(library)[0]
    members = playlist_track_ids(library, info.id)
    w.right.setCurrentWidget(w.playlist)
    w.library.playlists.item(0).setSelected(True)
    suggestions, panel = w.suggestions, w.playlist
    qtbot.waitUntil(lambda: suggestions.result is not None, timeout=30_000)
    assert f"({len(members)} tracks)" in suggestions.heading.text()
    qtbot.waitUntil(lambda: panel.list.track_ids() == members, timeout=10_000)
    panel.list.selectAll()
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "empty" in suggestions.heading.text(), timeout=30_000)
    name, why = suggestions.heading.text().split("\n")
    assert name == f"Suggestions for {info.name}", "no count of the playlist as it was"
    assert "nothing to suggest from" in why


def test_a_failure_after_a_result_keeps_the_name_alone(qtbot):
    from musicsage.gui.suggestions_panel import SuggestionsPanel

    panel = SuggestionsPanel()
    qtbot.addWidget(panel)
    rows = [{"track_id": 1, "title": "Song", "artist": "Band", "score": 0.9}]
    panel.show_result(SuggestResult(playlist={"name": "Mix (live)", "tracks": 3}, graph=rows),
                      {"graph": "", "audio": "No suggestions."})
    panel.show_failed("Playlist 'Mix (live)' is empty: nothing to suggest from.")
    assert panel.heading.text() == ("Suggestions for Mix (live)\n"
                                    "Playlist 'Mix (live)' is empty: nothing to suggest from.")
