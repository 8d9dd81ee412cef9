"""Previous and Next pressed by their keys while their buttons are greyed (an empty queue, its
first or last entry, no sound card): Qt drops a disabled action's shortcut, and the key did
nothing visible. Each press now says why on the status line, once; a text field keeps its own
Ctrl+Left/Right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

CTRL = Qt.KeyboardModifier.ControlModifier


def _press(qtbot, w, widget, key, modifier=Qt.KeyboardModifier.NoModifier) -> list:
    """The lines said by one press of ``key`` with the focus on ``widget``."""
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)
    before = len(w.app.notifications)
    qtbot.keyClick(widget, key, modifier)
    return w.app.notifications[before:]


def test_next_and_previous_keys_with_an_empty_queue_say_how_to_start_one(
        qtbot, make_window, library, fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    assert not w.player.next_action.isEnabled() and not w.app.queue.tracks
    for widget in (w.map, w.neighbours.graph_list):
        for key, modifier in ((Qt.Key.Key_Right, CTRL), (Qt.Key.Key_Left, CTRL),
                              (Qt.Key.Key_MediaNext, Qt.KeyboardModifier.NoModifier)):
            said = _press(qtbot, w, widget, key, modifier)
            assert len(said) == 1, f"one line per press ({widget}, {key})"
            assert said[0][1].startswith("Nothing is queued: start a queue with Play similar")
    assert w.statusBar().currentMessage().startswith("Nothing is queued")

    # a text field's own Ctrl+Right moves its cursor a word, and says nothing
    search = w.library.search
    search.blockSignals(True)  # no search started (this is about the keys)
    search.setText("two words")
    search.setCursorPosition(0)
    search.blockSignals(False)
    assert _press(qtbot, w, search, Qt.Key.Key_Right, CTRL) == []
    assert search.cursorPosition() == len("two ")


def test_the_keys_at_the_queues_ends_say_there_is_nothing_further(
        qtbot, make_window, library, fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    ids = [t.id for t in w.app.library.snapshot.tracks[:2]]
    w.app.queue.play_list(ids, "Region")
    assert not w.player.previous_action.isEnabled()
    said = _press(qtbot, w, w.map, Qt.Key.Key_MediaPrevious)
    assert said == [("info", "Previous: nothing before this track in the queue can play")]
    assert w.app.queue.current == 0
    assert _press(qtbot, w, w.map, Qt.Key.Key_MediaNext) == [], "Next is on: it plays"
    assert w.app.queue.current == 1
    said = _press(qtbot, w, w.map, Qt.Key.Key_Right, CTRL)
    assert said == [("info", "Next: nothing after this track in the queue can play")]
    assert w.app.queue.current == 1


def test_the_keys_without_a_sound_card_say_nothing_can_play(qtbot, make_window, library):
    w = make_window(library)  # no stream factory, no probe: playback disabled
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    assert not w.player.available
    w.app.queue.play_list([t.id for t in w.app.library.snapshot.tracks[:3]], "Region")
    said = _press(qtbot, w, w.map, Qt.Key.Key_MediaNext)
    assert len(said) == 1 and said[0][0] == "warning"
    assert said[0][1].lower().startswith("playback disabled")


def test_space_with_nothing_selected_or_queued_says_how_to_play(qtbot, make_window, library,
                                                                 fake_streams):
    """Play is greyed (nothing loaded, selected or queued): Space did nothing visible."""
    w = make_window(library, stream_factory=fake_streams)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    assert not w.player.play_button.isEnabled() and w.app.selection.selected is None
    said = _press(qtbot, w, w.map, Qt.Key.Key_Space)
    assert len(said) == 1 and said[0][1].startswith("Nothing to play: select a track")
    assert w.player.engine.state == "empty"


def test_the_keys_in_the_training_dock_say_why_once_floating_or_not(qtbot, make_window, library,
                                                                    fake_streams):
    """Space said why in a floating training dock (a window of its own: its keys come up to
    it, not to the main window), Previous and Next said nothing there."""
    w = make_window(library, stream_factory=fake_streams)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    w.show_training_dock()
    table = w.training.panel.table
    said = _press(qtbot, w, table, Qt.Key.Key_Right, CTRL)
    assert len(said) == 1 and said[0][1].startswith("Nothing is queued"), said  # not twice
    w.training.setFloating(True)
    w.training.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w.training)
    for key, modifier in ((Qt.Key.Key_Right, CTRL), (Qt.Key.Key_Left, CTRL),
                          (Qt.Key.Key_MediaPrevious, Qt.KeyboardModifier.NoModifier)):
        said = _press(qtbot, w, table, key, modifier)
        assert len(said) == 1 and said[0][1].startswith("Nothing is queued"), (key, said)
    said = _press(qtbot, w, table, Qt.Key.Key_Space)
    assert len(said) == 1 and said[0][1].startswith("Nothing to play: select a track"), said


def test_the_keys_beside_a_track_the_queue_does_not_hold_name_the_queues_track(
        qtbot, make_window, library, fake_streams):
    """A track double-clicked on the map plays, the queue kept: "nothing before this track"
    named the track playing, which is in no queue."""
    w = make_window(library, stream_factory=fake_streams)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    tracks = w.app.library.snapshot.tracks
    w.app.queue.play_list([tracks[0].id, tracks[1].id], "Region")
    w.app.selection.play_track(tracks[5].id)
    path = tracks[5].fs_path
    qtbot.waitUntil(lambda: w.player.engine.path == path and w.player.engine.state == "playing")
    assert not w.app.queue.active and not w.player.previous_action.isEnabled()
    said = _press(qtbot, w, w.map, Qt.Key.Key_MediaPrevious)
    assert said == [("info", "Previous: nothing before the queue's current track can play")]
