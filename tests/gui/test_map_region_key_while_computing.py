"""R in the map while the map is computed (another space, Map ▸ Recompute map): Lasso and
Rectangle are greyed then, since a region drawn over points about to move selects tracks that
moved, yet R made the old points in view a region all the same. Now it makes none and the
status line says why, in the greyed tools' words (pytest-qt, offscreen)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from musicsage.controllers.map_tools import COMPUTING_TIP
from musicsage.text import sentence


def test_r_while_the_map_is_computed_makes_no_region_and_says_why(
        qtbot, make_window, library, tmp_path):
    w = make_window(library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) == 12, timeout=30_000)
    buttons = w.map_tools.mode_buttons
    qtbot.waitUntil(lambda: buttons["lasso"].isEnabled(), timeout=30_000)
    w.activateWindow()
    w.map.plot.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.map.plot)
    lines = []
    w.app.notified.connect(lambda level, text, _details: lines.append(text))

    w.app.map.refresh(relayout=True)  # Map ▸ Recompute map
    assert not buttons["lasso"].isEnabled()
    qtbot.keyClick(w.map.plot, Qt.Key.Key_R)
    assert lines[-1:] == [sentence(COMPUTING_TIP)]
    assert w.statusBar().currentMessage() == sentence(COMPUTING_TIP)
    assert not w.map_tools.region_ids and not w.app.map_tools.region
    w.grab().save(str(tmp_path / "r_while_computing.png"))

    qtbot.waitUntil(lambda: buttons["lasso"].isEnabled(), timeout=60_000)
    qtbot.keyClick(w.map.plot, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: len(w.map_tools.region_ids) == 12, timeout=30_000)
