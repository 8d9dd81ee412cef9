"""The neighbours panel's row of controls is reached with Tab as it reads, left to right, in
the window: the list length, "One per artist", "Play similar", "Save…", then the lists. Tab
went from the list length to Save… (at the far right), then back to "One per artist": a
keyboard user jumped across the row and back, and a screen reader read the controls out of
order. The graph column's button (no graph model yet), on the left, comes before the audio
list: Tab went from Save… to the audio list, then back to it. The panel makes its controls in
that order; the window's Tab order keeps it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from musicsage.usecases.library import list_tracks

pytestmark = pytest.mark.usefixtures("shared_helper")


def test_tab_goes_through_the_controls_left_to_right_then_to_the_lists(
        qtbot, make_window, library):
    w = make_window(library)
    w.actions_.play_on_select.setChecked(False)
    w.right.setCurrentWidget(w.neighbours)
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(list_tracks(library)[5].id, play=False)
    qtbot.waitUntil(lambda: not w.workers.busy, timeout=30_000)
    panel = w.neighbours
    assert panel.play_similar_button.isEnabled() and panel.save_button.isEnabled()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    panel.k_spin.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: panel.k_spin.hasFocus())
    assert panel.retrain_button.isVisible() and not panel.graph_list.isVisible()  # no model yet
    reached = []
    for _ in range(5):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert reached == [panel.variety_box, panel.play_similar_button, panel.save_button,
                       panel.retrain_button, panel.audio_list]
