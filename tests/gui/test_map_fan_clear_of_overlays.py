"""Search matches fanned out beside the map's overlays: the fan of a cluster that the fit
put just under the legend was drawn partly under it (rings and their lines over the legend's
rows). The fan keeps inside the part of the map that the fit keeps the points in, clear of
the legend, the key and the tools."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF

from gui_support import shown_map
from musicsage.gui.map_view import Colouring

GENRES = ["Drum & Bass", "Jazz", "Synthwave", "Indie Rock", "Techno", "Ambient",
          "Dub Reggae", "Lo-Fi Hip Hop", "Chiptune", "Folk", "Deep House"]


def widget_px(view, x: float, y: float) -> QPointF:
    return QPointF(view.plot.mapFromScene(view.view.mapViewToScene(QPointF(x, y))))


def test_a_fan_next_to_the_legend_keeps_clear_of_it(qtbot):
    view, tools = shown_map(qtbot, 470, 749)
    rng = np.random.default_rng(3)
    crowd = rng.uniform(0, 10, (200, 2))
    cluster = np.array([0.3, 9.7]) + rng.normal(0, 0.05, (24, 2))  # the data's top left
    xy = np.vstack([cluster, crowd]).astype(np.float32)
    ids = np.arange(1, len(xy) + 1)
    view.set_points(ids, xy, [f"t{i}" for i in ids],
                    Colouring(np.arange(len(xy)) % len(GENRES), GENRES))
    qtbot.wait(20)
    legend = view.legend
    assert legend.isVisible() and not legend.collapsed, "the case: an open legend"
    tools.show_matches(ids[:24].tolist())
    qtbot.wait(20)
    fan = tools._match_fan
    assert len(fan.drawn) >= 10, "the cluster's rings are fanned out"
    radius = fan._size / 2
    covered = QRectF(legend.geometry()).adjusted(-radius, -radius, radius, radius)
    under = [tid for tid, (x, y) in fan.drawn.items() if covered.contains(widget_px(view, x, y))]
    assert not under, f"{len(under)} rings drawn under the legend"
