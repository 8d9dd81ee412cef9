"""A final look audit at 1024x700: the selected track's name sat 60-75 px above its dot with
no line to it (pushed past a fan of rings), and ended 2 px from the map's right edge. Now a
thin leader line joins a name that lies away from its dot, and the name keeps a margin."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF

from gui_support import shown_map
from musicsage.gui.map_name import EDGE, LEADER_GAP


def _plot_px(view, x: float, y: float) -> QPointF:
    return view.plot.mapFromScene(view.view.mapViewToScene(QPointF(x, y)))


def _gap(view, dot: QPointF) -> float:
    box = view._label.geometry()
    nx = min(max(dot.x(), box.left()), box.right() + 1)
    ny = min(max(dot.y(), box.top()), box.bottom() + 1)
    return float(np.hypot(nx - dot.x(), ny - dot.y()))


def _fanned_selection(qtbot, width: int, height: int, spot: tuple[float, float]):
    """Track 1 at ``spot`` with 12 neighbours stacked on it (their rings fan out round it),
    far tracks making the extent; the view and the dot on the plot."""
    view, _tools = shown_map(qtbot, width, height)
    far = np.array([[0, 0], [10, 0], [0, 10], [10, 10]], np.float32)
    xy = np.vstack([np.repeat([spot], 13, axis=0), far]).astype(np.float32)
    xy[1:13] += np.random.default_rng(0).normal(0, 0.01, (12, 2)).astype(np.float32)
    view.set_points(np.arange(1, 18), xy, ["A rather long track name — Someone"] + ["x"] * 16)
    view.set_selection(1, graph_ids=range(2, 8), audio_ids=range(8, 14))
    qtbot.wait(30)
    return view, _plot_px(view, *spot)


def test_a_name_away_from_its_dot_has_a_leader_line_to_it(qtbot):
    view, dot = _fanned_selection(qtbot, 340, 300, (5.0, 5.0))
    gap = _gap(view, dot)
    leader = view._name_leader
    if gap > LEADER_GAP:
        xs, ys = leader.getData()
        assert xs is not None and len(xs) == 2, f"name {gap:.0f} px away and no line to it"
        start = _plot_px(view, float(xs[0]), float(ys[0]))
        end = _plot_px(view, float(xs[1]), float(ys[1]))
        assert abs(start.x() - dot.x()) < 1.5 and abs(start.y() - dot.y()) < 1.5
        assert _gap(view, end) < 2.5, "the line ends at the name"
    else:
        xs, _ys = leader.getData()
        assert xs is None or len(xs) == 0
    assert gap > LEADER_GAP, "the fan pushes the name away (what this test is about)"
    view.set_selection(None)
    xs, _ys = view._name_leader.getData()
    assert xs is None or len(xs) == 0, "no line once nothing is selected"


def test_the_name_keeps_a_margin_from_the_maps_edges(qtbot):
    for spot in ((9.8, 5.0), (0.2, 5.0), (5.0, 0.2), (5.0, 9.8)):
        view, _dot = _fanned_selection(qtbot, 300, 260, spot)
        box = view._label.geometry()
        assert box.left() >= EDGE and box.top() >= EDGE, (spot, box)
        assert box.right() + 1 <= view.plot.width() - EDGE, (spot, box, view.plot.width())
        assert box.bottom() + 1 <= view.plot.height() - EDGE, (spot, box)
