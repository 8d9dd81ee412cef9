"""The Queue tab's ↑ / ↓ pressed again and again from the keyboard (Space on the focused
button): at the top or the bottom the button greys, and the focus goes back to the queue's
list on the moved row. Qt's own move took it to the next button — ↓ at the bottom handed
Space to Remove, so that the next presses took tracks out of the queue; ↑ at the top handed
it to ↓, which moved the track back down."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def _queue_of_four(qtbot, make_window, library, fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    ids = [t.id for t in w.app.library.snapshot.tracks[:4]]
    w.app.queue.play_list(ids, "Region")
    w.right.setCurrentWidget(w.queue)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    return w, ids


def _press_space_on(qtbot, button, times: int) -> None:
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is button)
    for _ in range(times):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)


def test_down_pressed_past_the_bottom_removes_nothing(qtbot, make_window, library,
                                                      fake_streams):
    w, ids = _queue_of_four(qtbot, make_window, library, fake_streams)
    panel = w.queue
    panel.list.setCurrentRow(1)
    _press_space_on(qtbot, panel.down_button, 4)  # two moves, then two presses too many
    assert w.app.queue.tracks == [ids[0], ids[2], ids[3], ids[1]], "moved down, none removed"
    assert QApplication.focusWidget() is panel.list and panel.list.currentRow() == 3
    assert not panel.down_button.isEnabled()


def test_up_pressed_past_the_top_leaves_the_track_at_the_top(qtbot, make_window, library,
                                                             fake_streams):
    w, ids = _queue_of_four(qtbot, make_window, library, fake_streams)
    panel = w.queue
    panel.list.setCurrentRow(2)
    _press_space_on(qtbot, panel.up_button, 4)
    assert w.app.queue.tracks == [ids[2], ids[0], ids[1], ids[3]], "at the top, and there"
    assert QApplication.focusWidget() is panel.list and panel.list.currentRow() == 0
