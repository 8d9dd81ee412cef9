"""A final look audit at 1024x700: two audio-only rings still touched, though rings fan out
whenever they overlap: the overlap reach left out the last pixel of their pens."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF

from gui_support import shown_map
from musicsage.gui.map_marks import RING_PEN, mark_size


def _px(view, x: float, y: float) -> np.ndarray:
    p = view.plot.mapFromScene(view.view.mapViewToScene(QPointF(float(x), float(y))))
    return np.array([p.x(), p.y()])


def test_two_rings_whose_pens_just_touch_fan_apart(qtbot):
    view, _tools = shown_map(qtbot, 400, 400)
    far = np.array([[0, 0], [10, 0], [0, 10], [10, 10]], np.float32)
    xy = np.vstack([[[2, 2], [6, 6], [6, 6]], far]).astype(np.float32)
    titles = [f"t{i}" for i in range(7)]
    view.set_points(np.arange(1, 8), xy, titles)
    width = mark_size("neighbours", 7) + RING_PEN  # a ring across, its pen's outer edges
    xy[2, 0] += (width - 0.5) * float(view.view.viewPixelSize()[0])
    view.set_points(np.arange(1, 8), xy, titles)  # same extent, same scale
    view.set_selection(1, graph_ids=(), audio_ids=(2, 3))
    qtbot.wait(20)
    drawn = [view.marks.drawn.get(t) for t in (2, 3)]
    at = [_px(view, *(d if d is not None else xy[t - 1])) for d, t in zip(drawn, (2, 3))]
    apart = float(np.hypot(*(at[0] - at[1])))
    assert apart >= width + 1, f"rings {apart:.1f} px apart, {width:.1f} px across: they touch"
