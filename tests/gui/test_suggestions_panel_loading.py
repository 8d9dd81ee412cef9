"""The Suggestions tab while another playlist's suggestions are on their way: the previous
playlist's rows go, and "Add to playlist" waits. They stayed listed and selected under the
heading "Suggestions for <new playlist> (looking…)", the Add button on, and pressing it wrote
them into the playlist chosen before."""

from __future__ import annotations

from musicsage.gui.suggestions_panel import SuggestionsPanel
from musicsage.search.types import SuggestResult

ROWS = [{"track_id": i, "title": f"Song {i}", "artist": "Band", "score": 0.9} for i in (1, 2)]
NOTES = {"graph": "No graph model yet.", "audio": "No suggestions."}


def test_choosing_another_playlist_empties_the_lists_and_add_waits(qtbot):
    panel = SuggestionsPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show_result(SuggestResult(playlist={"name": "Mix", "tracks": 3}, graph=ROWS,
                                    audio=ROWS), NOTES)
    panel.graph_list.selectAll()
    assert panel.add_button.isEnabled()
    added = []
    panel.add_requested.connect(added.append)

    panel.show_loading("Road trip")

    assert "Road trip" in panel.heading.text()
    assert panel.graph_list.topLevelItemCount() == panel.audio_list.topLevelItemCount() == 0
    assert not panel.add_button.isEnabled() and not panel.save_button.isEnabled()
    panel.add_button.click()
    assert added == []
    panel.show_result(SuggestResult(playlist={"name": "Road trip", "tracks": 2}, graph=ROWS),
                      NOTES)
    assert panel.graph_list.topLevelItemCount() == 2 and not panel.add_button.isEnabled()


def test_no_suggestions_says_why_in_place_of_looking(qtbot):
    panel = SuggestionsPanel()
    qtbot.addWidget(panel)
    panel.show_result(SuggestResult(playlist={"name": "Mix", "tracks": 3}, graph=ROWS,
                                    audio=ROWS), NOTES)
    panel.show_loading("Empty")

    panel.show_failed("Playlist 'Empty' has no track of the library.")

    assert panel.heading.text() == ("Suggestions for Empty\n"
                                    "Playlist 'Empty' has no track of the library.")
    assert "looking" not in panel.heading.text()
    assert all(stack.currentIndex() == 1 for stack in panel.stacks.values())
    assert not panel.add_button.isEnabled() and not panel.save_button.isEnabled()
