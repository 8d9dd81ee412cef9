""""Nothing is queued: …", said by Next pressed with an empty queue, gives way as soon as the
queue holds tracks: it stayed on the status line for 8 s while the queue the user started
right after played (a keyboard audit saw it at +0.5, +2 and +5 s)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from musicsage.usecases.library import list_tracks


def test_a_queue_started_after_nothing_is_queued_clears_the_line(qtbot, make_window, library,
                                                                  fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    rows = w.neighbours.graph_list
    rows.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is rows)
    qtbot.keyClick(rows, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    bar = w.statusBar()
    assert bar.currentMessage().startswith("Nothing is queued")
    w.app.queue.play_list([t.id for t in list_tracks(library)[:3]], "Mix")
    qtbot.waitUntil(lambda: not bar.currentMessage().startswith("Nothing is queued"),
                    timeout=500)
