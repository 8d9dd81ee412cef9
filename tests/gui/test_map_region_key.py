"""A region from the keyboard: with the map focused, R makes the tracks in view the region
(zoom and pan onto them with + − and the arrows first), as a Rectangle drawn round the view
would. Lasso and Rectangle were the only ways to a region, both the mouse's."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from musicsage.gui.map_keys import MAP_KEYS
from musicsage.gui.shortcuts_dialog import shortcut_rows

K = Qt.Key


def _in_view(w) -> set[int]:
    (x0, x1), (y0, y1) = w.map.view.viewRange()
    xy, ids = np.asarray(w.map.xy), np.asarray(w.map.track_ids)
    inside = (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
    return {int(t) for t in ids[inside]}


def test_r_on_the_map_makes_the_tracks_in_view_a_region(qtbot, make_window, library):
    w = make_window(library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) > 0, timeout=30_000)
    w.activateWindow()
    w.map.plot.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.map.plot)
    qtbot.keyClick(w.map.plot, K.Key_R)
    everything = {int(t) for t in w.map.track_ids}
    qtbot.waitUntil(lambda: set(w.map_tools.region_ids) == everything)
    assert w.map_tools.region_bar.isVisible(), "Play in order, Save and Clear are offered"
    qtbot.keyClick(w.map.plot, K.Key_Escape)
    qtbot.waitUntil(lambda: not w.map_tools.region_ids)
    for key in (K.Key_Plus, K.Key_Plus, K.Key_Plus, K.Key_Plus, K.Key_Left, K.Key_Up):
        qtbot.keyClick(w.map.plot, key)
    shown = _in_view(w)
    assert 0 < len(shown) < len(everything), "zoomed onto part of the map"
    qtbot.keyClick(w.map.plot, K.Key_R)
    qtbot.waitUntil(lambda: set(w.map_tools.region_ids) == shown)


def test_the_region_key_is_listed_where_the_keys_are(qtbot, make_window, library):
    w = make_window(library)
    assert ("R", "Make the tracks in view a region") in MAP_KEYS
    assert "R make the tracks in view a region" in w.map.plot.accessibleDescription()
    rows = [row for _group, rows in shortcut_rows(w) for row in rows]
    assert ("R", "Make the tracks in view a region") in rows, "Help ▸ Keyboard shortcuts"
