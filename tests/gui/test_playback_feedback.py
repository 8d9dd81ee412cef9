"""Without a sound card a request for playback says why nothing plays, on the status line
(no dialog): Space (play/pause) did nothing at all. Play (Space) says it each time it is
pressed; a double-click on a track or a queue row, and "Play similar", say it once a session
(said at each, it replaced every other line at once; the player bar reads "unavailable")."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui_support import settle
from musicsage.usecases.library import list_tracks

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""

REASON = "playback disabled: no audio output device (Error querying device -1)"
FIX = "no audio output device found (connect one, then restart musicsage)"


def _soundless_window(qtbot, make_window, library, monkeypatch):
    """A window whose audio probe found no output device, its start-up line gone; refusals
    are said at most once a second (SelectionController): its clock steps past that."""
    from musicsage.controllers.selection import PLAY_REFUSAL_SECONDS

    monkeypatch.setattr("musicsage.gui.main_window.probe_output", lambda: REASON)
    w = make_window(library, probe_audio=True)
    settle(qtbot, w)
    qtbot.waitUntil(lambda: not w.player.available, timeout=10_000)
    now = [1000.0]

    def later() -> float:
        now[0] += PLAY_REFUSAL_SECONDS + 1
        return now[0]

    w.app.selection.clock = later
    w.activateWindow()
    return w


def _asked(qtbot, w, ask) -> str:
    """The status line after ``ask()``, from a cleared one (a status tip clears it too)."""
    w.statusBar().clearMessage()
    ask()
    qtbot.wait(50)
    assert QApplication.activeModalWidget() is None, "a status line, not a dialog"
    return w.statusBar().currentMessage()


def test_every_request_for_playback_says_why_nothing_plays(qtbot, make_window, library,
                                                           monkeypatch):
    w = _soundless_window(qtbot, make_window, library, monkeypatch)
    tid = list_tracks(library)[0].id
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(tid, play=False)
    lst = w.neighbours.audio_list
    lst.setFocus()
    said = f"Cannot play tracks: {FIX}"  # no track named: none can play
    # Space on a track list: the selected track would play
    assert _asked(qtbot, w, lambda: qtbot.keyClick(lst, Qt.Key.Key_Space)) == said
    assert _asked(qtbot, w, lambda: qtbot.keyClick(lst, Qt.Key.Key_Space)) == said  # again
    assert w.player.engine.state == "empty"

    # a double-click (Enter) on a neighbour: said already this session
    row = lst.topLevelItem(1)
    lst.setCurrentItem(row)
    assert _asked(qtbot, w, lambda: qtbot.keyClick(lst, Qt.Key.Key_Return)) == ""

    # Play similar: the radio's queue is kept, nothing said again
    button = w.neighbours.play_similar_button
    assert _asked(qtbot, w, lambda: qtbot.mouseClick(button, Qt.MouseButton.LeftButton)) == ""
    qtbot.waitUntil(lambda: w.queue.list.count() > 1, timeout=30_000)
    settle(qtbot, w)

    # a queue row (silent), then Space: the queue's track is the one play would start
    rows = w.queue.list
    assert w.right.currentWidget() is w.queue
    assert _asked(qtbot, w, lambda: rows.itemActivated.emit(rows.item(1))) == ""
    rows.setFocus()
    assert (_asked(qtbot, w, lambda: qtbot.keyClick(rows, Qt.Key.Key_Space))
            == said)
    assert w.player.engine.state == "empty"
    assert all(level == "warning" for level, text in w.app.notifications
               if text.startswith("Cannot play"))


def test_space_with_nothing_to_play_still_says_there_is_no_sound(qtbot, make_window, library,
                                                                 monkeypatch):
    """No track selected and an empty queue: Space says what the start-up line said."""
    w = _soundless_window(qtbot, make_window, library, monkeypatch)
    assert w.app.selection.selected is None and not w.app.queue.tracks
    w.map.setFocus()
    assert (_asked(qtbot, w, lambda: qtbot.keyClick(w.map, Qt.Key.Key_Space))
            == "Playback disabled: no audio output device found (connect one, then restart "
               "musicsage)")
    assert "Error querying device -1" in w.statusBar().toolTip()
