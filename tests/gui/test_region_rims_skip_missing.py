"""A map region holding a track whose file is gone (greyed): no region rim under its point.
The rim, drawn under the greyed point, made it a solid disc of the region's colour, the most
visible point of the region though it is the one that cannot play (pytest-qt, offscreen)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF

from gui_support import shown_map
from musicsage.gui.map_view import Colouring


def _pixel(view, image, x: float, y: float):
    p = view.plot.mapFromScene(view.view.mapViewToScene(QPointF(float(x), float(y))))
    return image.pixelColor(int(round(p.x())), int(round(p.y())))


def _brightness(colour) -> int:
    return max(colour.red(), colour.green(), colour.blue())


def test_a_greyed_point_gets_no_region_rim(qtbot, tmp_path):
    view, tools = shown_map(qtbot, 400, 300)
    xy = np.array([[0, 0], [10, 0], [0, 10], [10, 10], [5, 5]], np.float32)
    view.set_points(np.arange(1, 6), xy, [f"t{i}" for i in range(5)],
                    Colouring(np.zeros(5, np.int64), ["Rock"]),
                    present=np.array([True, True, True, True, False]))
    qtbot.wait(20)
    alone = _pixel(view, view.plot.grab().toImage(), 5, 5)
    tools.show_region([1, 2, 3, 4, 5])
    qtbot.wait(20)
    view.grab().save(str(tmp_path / "region.png"))
    image = view.plot.grab().toImage()
    assert _pixel(view, image, 5, 5).name() == alone.name(), "the greyed point as it was"
    assert _brightness(_pixel(view, image, 5, 5)) < 80, "dim on the dark map"
    assert len(tools._region.data) == 4, "rims under the playable tracks alone"
