"""The map's zoom has bounds: a held − (key autorepeat, or a long wheel turn) shrank the map
to nothing and went on to views 1e45 map units wide, where it was lost until Fit; a held +
went on to views of 1e-13 units, a blank screen."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt


def _widest_and_narrowest(w) -> tuple[float, float]:
    (x0, x1), (y0, y1) = w.map.view.viewRange()
    return max(x1 - x0, y1 - y0), min(x1 - x0, y1 - y0)


def test_a_held_minus_or_plus_stops_with_the_map_still_in_reach(qtbot, make_window,
                                                                  mapped_library):
    w = make_window(mapped_library)
    qtbot.waitUntil(lambda: len(w.map.track_ids) == 12, timeout=60_000)
    extent = float(np.max(np.ptp(w.map.xy, axis=0)))
    for _ in range(300):  # ten seconds of key autorepeat
        w.map_keys.press(Qt.Key.Key_Minus)
    widest, _ = _widest_and_narrowest(w)
    assert widest <= 100 * extent * 1.01
    for _ in range(600):
        w.map_keys.press(Qt.Key.Key_Plus)
    _, narrowest = _widest_and_narrowest(w)
    assert narrowest >= 1e-4 * extent * 0.99
    w.map_keys.press(Qt.Key.Key_0)  # Fit: the whole map again, every point clickable
    tid = int(w.map.track_ids[3])
    assert w.map.track_ids[w.map._pick(w.map.scene_pos_of(tid))] == tid
    # the bounds follow the map: one track (no extent) is still fitted round its point
    w.map.set_points(np.array([7], np.int64), np.zeros((1, 2), np.float32), ["One — Song"])
    (x0, x1), (y0, y1) = w.map.view.viewRange()
    assert x0 < 0 < x1 and y0 < 0 < y1
    w.map.set_points(np.zeros(0, np.int64), np.zeros((0, 2), np.float32), [])  # no bounds
    assert w.map.view.state["limits"]["xRange"] == [None, None]
