"""Marks fanned out of a stack near the map's edge stay inside the plot. At 800x500 the map is
about 230 px wide, and the demo's outermost tracks had 2 to 4 of their 10 to 17 fanned rings
drawn beyond its edge, cut off. Such a fan goes on arcs on the side of its spot that has the
room now, when the map is fitted and when it is panned there; and the layout plans each stack
once, not three times."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from gui_support import shown_map
from musicsage.gui import map_stacks
from musicsage.gui.map_stacks import FAN_MOST, fan_out, find_stacks

NEIGHBOURS = list(range(2, 14))


def _edge_library(view) -> np.ndarray:
    """60 points over a 10 x 10 square, track 1 on its left edge with 12 tracks within a
    hundredth of it (a stack of rings once they are its neighbours)."""
    rng = np.random.default_rng(7)
    far = rng.uniform(0, 10, (60, 2))
    far[:, 0] = np.maximum(far[:, 0], 1)
    spot = np.array([0.0, 5.0])
    around = spot + rng.normal(0, 0.004, (len(NEIGHBOURS), 2))
    xy = np.vstack([[spot], around, far]).astype(np.float32)
    view.set_points(np.arange(1, len(xy) + 1), xy, [f"t{i}" for i in range(1, len(xy) + 1)])
    return xy


def _rings_px(view) -> np.ndarray:
    item = view._neigh
    return np.array([(p.x(), p.y()) for p in (
        view.plot.mapFromScene(view.view.mapViewToScene(QPointF(float(x), float(y))))
        for x, y in zip(item.data["x"], item.data["y"]))], float)


def _inside(view, px: np.ndarray, margin: float = 4) -> bool:
    box = view.view.sceneBoundingRect()
    return bool(((px[:, 0] >= box.left() + margin) & (px[:, 0] <= box.right() - margin)
                 & (px[:, 1] >= box.top() + margin) & (px[:, 1] <= box.bottom() - margin)).all())


@pytest.fixture
def small_map(qtbot):
    return shown_map(qtbot, 230, 380, tools=False)[0]  # the map of an 800x500 window


def test_a_fan_at_the_maps_edge_stays_inside_the_plot(qtbot, small_map):
    view = small_map
    _edge_library(view)
    view.set_selection(1, graph_ids=NEIGHBOURS)
    qtbot.wait(20)
    rings = _rings_px(view)
    assert len(view.marks.drawn) == len(NEIGHBOURS) == len(rings)
    assert _inside(view, rings), "every ring whole inside the plot"
    gaps = np.hypot(*(rings[:, None] - rings[None]).transpose(2, 0, 1))
    assert gaps[~np.eye(len(rings), dtype=bool)].min() >= 12, "still apart"
    centre = view.plot.mapFromScene(view.scene_pos_of(1))
    assert np.hypot(rings[:, 0] - centre.x(), rings[:, 1] - centre.y()).min() >= 14, \
        "clear of the selected disc"


def test_a_fan_panned_to_the_edge_comes_inside(qtbot, small_map):
    """A pan keeps the layout as it is, but for a fan that meets the plot's edge."""
    view = small_map
    _edge_library(view)
    view.view.translateBy(x=-4.0)  # the spot in the middle: the fan all round it
    view.set_selection(1, graph_ids=NEIGHBOURS)
    qtbot.wait(20)
    rings, spot = _rings_px(view), view.plot.mapFromScene(view.scene_pos_of(1))
    assert _inside(view, rings) and (rings[:, 0] < spot.x() - 10).any()
    view.view.translateBy(x=4.0)  # back at the left edge
    qtbot.wait(20)
    assert _inside(view, _rings_px(view)), "the fan came inside as the map moved"


def test_fans_in_a_corner_keep_apart_and_inside():
    """The geometry: stacks of 2 to :data:`FAN_MOST` marks in a corner of the plot, around
    the selected disc or not, fan out inside it with their marks a spacing apart."""
    bounds = (0.0, 230.0, 0.0, 380.0)
    for anchored in (True, False):
        for n in range(2, FAN_MOST + 1):
            spot = np.array([6.0, 370.0])
            px = spot + np.random.default_rng(n).normal(0, 0.5, (n, 2))
            stacks = find_stacks(px, spot if anchored else None)
            shown, _crowded = fan_out(px, stacks, np.zeros(n, bool), 15, 16, bounds=bounds)
            assert (shown >= 7.5 - 0.01).all() and (shown[:, 1] <= 380 - 7.5 + 0.01).all(), n
            gaps = np.hypot(*(shown[:, None] - shown[None]).transpose(2, 0, 1))
            assert gaps[~np.eye(n, dtype=bool)].min() >= 15 - 0.01, (anchored, n)
            if anchored:
                assert np.hypot(*(shown - spot).T).min() >= 16 - 0.01


def test_the_layout_plans_each_stack_once(qtbot, small_map, monkeypatch):
    view = small_map
    _edge_library(view)
    calls = []
    plan = map_stacks.fan_plan
    monkeypatch.setattr(map_stacks, "fan_plan", lambda *a: calls.append(1) or plan(*a))
    view.set_selection(1, graph_ids=NEIGHBOURS)
    calls.clear()
    view.marks.layout()  # (one zoom's)
    assert len(view.marks.drawn) == len(NEIGHBOURS)
    assert len(calls) == 1, "one stack, one plan"
