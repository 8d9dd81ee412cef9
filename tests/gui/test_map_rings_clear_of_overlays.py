"""A selected track's rings keep clear of the widgets over the map. At 800x600 with the
training dock open, Show the whole map put the demo's top track just under the Pan/Lasso bar,
and its fanned-out rings lay partly under the bar: the fan kept inside the plot, which the bar
lies over. A fan that would meet the bar, the selection key or the legend now goes to the
side that is free; a ring whose own track lies under a widget stays on its track; and no
selection moves the map."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from gui_support import shown_map

NEIGHBOURS = list(range(2, 14))
MAP_SIZES = [(223, 305), (353, 345), (441, 391)]
"""The map of an 800x600, 1024x640 and 1366x768 window with the training dock open."""


def _library(view, spot: tuple[float, float]) -> np.ndarray:
    """60 points over a 10 x 8 square, track 1 at ``spot`` with 12 tracks within a hundredth
    of it (a stack of rings once they are its neighbours)."""
    rng = np.random.default_rng(11)
    far = rng.uniform(0, 1, (60, 2)) * [10, 8]
    around = np.asarray(spot) + rng.normal(0, 0.004, (len(NEIGHBOURS), 2))
    xy = np.vstack([[spot], around, far]).astype(np.float32)
    view.set_points(np.arange(1, len(xy) + 1), xy, [f"t{i}" for i in range(1, len(xy) + 1)])
    return xy


def _map_px(view, x: float, y: float) -> QPointF:
    """Where the map point (x, y) is drawn, in pixels of the map widget (where its overlays
    are placed)."""
    at = view.plot.mapFromScene(view.view.mapViewToScene(QPointF(float(x), float(y))))
    return QPointF(at.x() + view.plot.x(), at.y() + view.plot.y())


def _rings_under_widgets(view) -> list[tuple[int, str]]:
    """(track id, widget class) of each ring drawn over a shown widget over the map."""
    item = view._neigh
    under = []
    for x, y, size, tid in zip(item.data["x"], item.data["y"], item.data["size"],
                               item.data["data"]):
        at, r = _map_px(view, x, y), size / 2 + 1  # a ring and its pen
        for widget in view.label_obstacles():
            g = widget.geometry()
            inside_x = g.left() - r < at.x() < g.right() + 1 + r
            if inside_x and g.top() - r < at.y() < g.bottom() + 1 + r:
                under.append((int(tid), type(widget).__name__))
    return under


def _bar(view):
    return next(w for w in view.overlays if w.isVisible())  # the tools' bar


def test_a_fan_under_the_tools_bar_goes_to_the_free_side(qtbot):
    """The top track of a fitted 800x600 map, right under the Pan/Lasso bar: before, 5 of its
    12 rings lay partly under the bar."""
    view, tools = shown_map(qtbot, *MAP_SIZES[0])
    _library(view, (8.0, 9.0))
    view.fit()
    qtbot.wait(20)
    before = view.view.viewRange()
    view.set_selection(1, graph_ids=NEIGHBOURS)
    qtbot.wait(20)
    assert len(view.marks.drawn) == len(NEIGHBOURS), "the stack fanned out"
    spot, bar = _map_px(view, 8.0, 9.0), _bar(view).geometry()
    assert bar.left() < spot.x() < bar.right() and spot.y() - bar.bottom() < 40, \
        "the fan would reach under the bar"
    assert _rings_under_widgets(view) == []
    rings = np.array([(p.x(), p.y()) for p in (_map_px(view, x, y) for x, y in zip(
        view._neigh.data["x"], view._neigh.data["y"]))])
    gaps = np.hypot(*(rings[:, None] - rings[None]).transpose(2, 0, 1))
    assert gaps[~np.eye(len(rings), dtype=bool)].min() >= 12, "still apart"
    assert view.view.viewRange() == before, "the map did not move"


def test_a_fan_by_the_selection_key_goes_to_the_free_side(qtbot):
    """The bottom-left track of a fitted map, right over the key to the marks."""
    view, _tools = shown_map(qtbot, *MAP_SIZES[0])
    _library(view, (0.3, -0.5))
    view.fit()
    qtbot.wait(20)
    before = view.view.viewRange()
    view.set_selection(1, graph_ids=NEIGHBOURS)
    qtbot.wait(20)
    key, spot = view.selection_key.geometry(), _map_px(view, 0.3, -0.5)
    assert key.left() < spot.x() < key.right() and key.top() - spot.y() < 40, \
        "the fan would reach under the key"
    assert len(view.marks.drawn) == len(NEIGHBOURS)
    assert _rings_under_widgets(view) == []
    assert view.view.viewRange() == before, "the map did not move"


def test_a_fan_panned_under_a_widget_comes_clear_of_it(qtbot):
    """A pan keeps the layout as it is, but for a fan that meets a widget over the map."""
    view, tools = shown_map(qtbot, *MAP_SIZES[1])
    _library(view, (5.0, 4.0))
    view.set_selection(1, graph_ids=NEIGHBOURS)
    qtbot.wait(20)
    assert _rings_under_widgets(view) == []
    bar = _bar(view).geometry()
    spot = _map_px(view, 5.0, 4.0)
    down = bar.bottom() + 20 - spot.y()  # the spot 20 px under the bar (and right under it)
    right = bar.center().x() - spot.x()
    scale = view.view.viewPixelSize()
    view.view.translateBy(x=-right * scale[0], y=down * scale[1])
    qtbot.wait(20)
    spot = _map_px(view, 5.0, 4.0)
    assert abs(spot.y() - bar.bottom() - 20) < 2 and bar.left() < spot.x() < bar.right()
    assert _rings_under_widgets(view) == [], "the fan went below the bar"


def test_a_ring_whose_track_lies_under_a_widget_stays_on_it(qtbot):
    """A neighbour on its own (no stack) that a pan put under the bar keeps its ring on its
    track: a ring moved off it would point nowhere."""
    view, tools = shown_map(qtbot, *MAP_SIZES[2])
    xy = _library(view, (2.0, 2.0))
    lone = int(np.argmax(xy[13:, 1])) + 13  # the top far point
    view.set_selection(1, graph_ids=NEIGHBOURS + [lone + 1])
    qtbot.wait(20)
    bar = _bar(view).geometry()
    spot = _map_px(view, *xy[lone])
    scale = view.view.viewPixelSize()
    view.view.translateBy(x=-(bar.center().x() - spot.x()) * scale[0],
                          y=(bar.center().y() - spot.y()) * scale[1])
    qtbot.wait(20)
    assert bar.contains(_map_px(view, *xy[lone]).toPoint()), "its track is under the bar"
    assert lone + 1 not in view.marks.drawn, "its ring stays on its track"
    assert (lone + 1, "QFrame") in _rings_under_widgets(view)


@pytest.mark.parametrize("size", MAP_SIZES)
def test_selections_never_move_the_map(qtbot, size):
    """Five selections after Show the whole map, each with a stack of rings at its track
    (those near the bar or the key go round them): the view stays as it was."""
    view, _tools = shown_map(qtbot, *size)
    xy = _library(view, (8.0, 9.0))
    view.fit()
    qtbot.wait(20)
    before = view.view.viewRange()
    for track in (1, 20, 30, 40, 50):
        others = [t for t in range(1, len(xy) + 1) if t != track]
        near = sorted(others, key=lambda t: np.hypot(*(xy[t - 1] - xy[track - 1])))[:12]
        view.set_selection(track, graph_ids=near)
        qtbot.wait(20)
        assert view.view.viewRange() == before
