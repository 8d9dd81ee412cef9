"""Two clicks on "Add to playlist" in the Suggestions tab, the second before the first add is
written (real worker threads): the second waits for the first, and the status line says so —
it went at once against the file as it was before the first add and was refused ("changed on
disk since it was read … re-scan it"), or waited without a word."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from musicsage.usecases.library import list_playlists, playlist_track_ids

pytestmark = pytest.mark.usefixtures("shared_helper")


def test_a_second_add_clicked_while_the_first_is_written_waits_and_is_added(qtbot, make_window,
                                                                           library):
    w = make_window(library)
    playlist = list_playlists(library)[0]
    with qtbot.waitSignal(w.suggestions_loaded, timeout=30_000):
        w.library.playlists.item(0).setSelected(True)
    panel = w.suggestions
    shown = panel.audio_list.track_ids()
    first, second = panel.audio_list.topLevelItem(0), panel.audio_list.topLevelItem(1)

    first.setSelected(True)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    first.setSelected(False)
    second.setSelected(True)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)  # the first not written yet

    assert ("info", "1 track will be added once the add under way ends") in w.app.notifications
    qtbot.waitUntil(lambda: playlist_track_ids(library, playlist.id)[-2:] == shown[:2],
                    timeout=30_000)
    qtbot.waitUntil(lambda: sum(text.startswith("Added 1 track to")
                                for _level, text in w.app.notifications) == 2, timeout=30_000)
    assert [text for level, text in w.app.notifications if level == "error"] == []
