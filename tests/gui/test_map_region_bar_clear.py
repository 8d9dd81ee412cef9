"""The map's region bar (shown once a lasso or rectangle region is chosen) sits at the bottom
right, over the selection key; the fit did not know it, so on a map fitted by its height the
lowest points lay under the bar — unseen and unclickable (the demo's map at 1280x720: four of
its lowest tracks). The points keep clear of the bar now, and a map the bar covers nothing of
does not move."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF

from gui_support import shown_map


def _map(qtbot, width: int, height: int):
    """A map of 200 points over a 10 x 10 square (a row of them along its bottom edge) in a
    ``width`` × ``height`` map view with its tools."""
    view, tools = shown_map(qtbot, width, height)
    rng = np.random.default_rng(3)
    xy = np.vstack([rng.uniform(0, 10, (180, 2)),
                    np.column_stack([np.linspace(0, 10, 20), np.zeros(20)])]).astype(np.float32)
    view.set_points(np.arange(1, 201), xy, [f"t{i}" for i in range(1, 201)])
    qtbot.wait(20)
    return view, tools


def _under_bar(view, tools) -> int:
    """How many points are drawn under the region bar (their marks' reach included)."""
    bar = tools.region_bar.geometry().adjusted(-6, -6, 6, 6)
    return sum(bar.contains(view.plot.mapFromScene(
        view.view.mapViewToScene(QPointF(float(x), float(y))))) for x, y in view.xy)


def _lowest_region(view) -> list[int]:
    return [int(t) for t in view.track_ids[view.xy[:, 1] < 1]]


def test_the_points_keep_clear_of_the_region_bar(qtbot):
    view, tools = _map(qtbot, 600, 320)  # wide: fitted by its height, the bottom row low
    tools.show_region(_lowest_region(view))
    qtbot.wait(20)
    assert tools.region_bar.isVisible()
    assert _under_bar(view, tools) == 0, "no point hides under the bar"
    tools.show_region([])  # cleared: the map takes its room back
    qtbot.wait(20)
    view.resize(600, 321)  # (a resize refits as before)
    qtbot.wait(20)
    assert not tools.region_bar.isVisible()


def test_a_bar_over_no_point_moves_nothing(qtbot):
    """A tall map fitted by its width has room under its points: the bar goes there, and
    the view stays as it was (no jump on choosing a region)."""
    view, tools = _map(qtbot, 320, 600)
    tools.show_region(_lowest_region(view))
    qtbot.wait(20)
    assert _under_bar(view, tools) == 0
    shown = view.view.viewRange()
    view.soft_overlays.clear()  # the fit as it is without the bar (the key's row counts)
    view.fit()
    assert np.allclose(view.view.viewRange(), shown), "the bar moved nothing"


def test_a_view_the_user_zoomed_is_moved_up_not_zoomed(qtbot):
    """Zoomed in on the map's bottom, the bar covers its lowest points: the view pans up
    just enough, at the user's zoom."""
    view, tools = _map(qtbot, 600, 320)
    view.view.scaleBy((0.6, 0.6), center=QPointF(5, 0))
    view._on_manual_range_change()  # as the wheel does: the user's view, no refits
    zoom = view.view.viewPixelSize()
    tools.show_region(_lowest_region(view))
    qtbot.wait(20)
    assert _under_bar(view, tools) == 0
    assert np.allclose(view.view.viewPixelSize(), zoom), "the user's zoom kept"
    assert not view._auto_fit
