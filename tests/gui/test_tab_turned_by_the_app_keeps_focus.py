"""A tab the window turns to by itself (Play similar shows the Queue) takes the keyboard's
focus to the tab bar, as Ctrl+Tab does, when the focus was in the page turned away: Qt put it
on the new page's first control, the Queue's "Stay close / Drift" chooser, so that the next
Down changed how the radio picks and Space opened the chooser instead of pausing. The tab bar
is drawn as focused, as a focus that came by the keyboard is (Qt's move had cleared that)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from musicsage.usecases.library import list_tracks

pytestmark = pytest.mark.usefixtures("shared_helper")


def test_play_similar_from_the_keyboard_leaves_the_radio_mode_alone(
        qtbot, make_window, library, fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    w.actions_.play_on_select.setChecked(False)
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(list_tracks(library)[5].id, play=False)
    qtbot.waitUntil(lambda: not w.workers.busy, timeout=30_000)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    button, before = w.neighbours.play_similar_button, w.neighbours.variety_box
    before.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is before)
    qtbot.keyClick(before, Qt.Key.Key_Tab)  # by the keyboard: its focus is drawn
    assert QApplication.focusWidget() is button
    qtbot.keyClick(button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.right.currentWidget() is w.queue and bool(w.app.queue.tracks),
                    timeout=30_000)
    assert QApplication.focusWidget() is w.right.tabBar()
    assert w.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange), "drawn as focused"
    mode = w.app.queue.mode
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert w.app.queue.mode == mode, "Down changed nothing"
