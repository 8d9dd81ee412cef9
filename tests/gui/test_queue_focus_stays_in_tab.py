"""Emptying the queue from the keyboard (Clear pressed with Space, the last row removed with
Delete) keeps the keyboard's focus in the Queue tab. Qt passed it on along the window's
chain from the greyed Clear button or the hidden list, to the library's search box at the far
left: a keyboard user lost their place, and a screen reader read out "Find tracks"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from musicsage.usecases.library import list_tracks


def _queue_of(qtbot, make_window, library, n: int):
    w = make_window(library)
    w.right.setCurrentWidget(w.queue)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    w.app.queue.play_list(sorted(t.id for t in list_tracks(library))[:n], "Some")
    qtbot.waitUntil(lambda: w.queue.list.count() == n)
    return w


def _focus(qtbot, widget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def test_clear_pressed_from_the_keyboard_keeps_the_focus_in_the_queue_tab(
        qtbot, make_window, library):
    w = _queue_of(qtbot, make_window, library, 4)
    _focus(qtbot, w.queue.clear_button)
    qtbot.keyClick(w.queue.clear_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.queue.list.count() == 0)
    focus = QApplication.focusWidget()
    assert focus is not None and w.queue.isAncestorOf(focus) or focus is w.queue, focus
    assert focus.isVisible() and focus.isEnabled()


def test_clear_reached_by_tab_and_pressed_keeps_the_keyboard_focus_drawn(
        qtbot, make_window, library):
    """The focus stayed in the tab but was drawn as after a click, no ring nor frame: Qt had
    cleared the window's mark of a keyboard's focus before the panel moved it on."""
    w = _queue_of(qtbot, make_window, library, 3)
    _focus(qtbot, w.queue.list)
    for _ in range(8):  # by the keyboard, as a user gets there
        if QApplication.focusWidget() is w.queue.clear_button:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is w.queue.clear_button
    assert w.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    qtbot.keyClick(w.queue.clear_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.queue.list.count() == 0)
    focus = QApplication.focusWidget()
    assert focus is w.queue or w.queue.isAncestorOf(focus), focus
    assert w.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange), "drawn as focused"


def test_deleting_the_last_row_keeps_the_focus_in_the_queue_tab(qtbot, make_window, library):
    w = _queue_of(qtbot, make_window, library, 2)
    _focus(qtbot, w.queue.list)
    w.queue.list.setCurrentRow(0)
    for _ in range(2):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: w.queue.list.count() == 0)
    focus = QApplication.focusWidget()
    assert focus is w.queue or (focus is not None and w.queue.isAncestorOf(focus)), focus
    assert w.app.queue.tracks == []
