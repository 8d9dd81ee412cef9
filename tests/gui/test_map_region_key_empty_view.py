"""R in the map over a part of it with no track (panned off the points): the region made
before stays and a line says what to do. It was cleared without a word (pytest-qt,
offscreen)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

K = Qt.Key
NOTE = "No tracks in view: zoom out or move the map first"


def test_r_with_no_track_in_view_keeps_the_region_and_says_why(
        qtbot, make_window, library, tmp_path):
    w = make_window(library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=30_000)
    w.activateWindow()
    w.map.plot.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.map.plot)
    qtbot.keyClick(w.map.plot, K.Key_R)
    everything = {int(t) for t in w.map.track_ids}
    qtbot.waitUntil(lambda: set(w.map_tools.region_ids) == everything)
    (x0, x1), (y0, y1) = w.map.view.viewRange()
    w.map.view.setRange(xRange=(x1 + 10 * (x1 - x0), x1 + 11 * (x1 - x0)),
                        yRange=(y0, y1), padding=0)  # far right of every point
    lines = []
    w.app.notified.connect(lambda level, text, _details: lines.append(text))
    qtbot.keyClick(w.map.plot, K.Key_R)
    qtbot.waitUntil(lambda: NOTE in lines)
    assert set(w.map_tools.region_ids) == everything, "the region kept"
    assert set(w.app.map_tools.region) == everything
    assert w.map_tools.region_bar.isVisible()
    assert w.statusBar().currentMessage() == NOTE
    w.grab().save(str(tmp_path / "empty_view.png"))
