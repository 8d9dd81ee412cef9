"""Three things a reviewer saw on rendered maps.

- At 1400x900, 7 of 13 "bristol" matches lay over one cluster: their white rings piled up,
  no match to be told from another, the points under them hidden. Overlapping match rings now
  fan out as the selection's neighbour rings do, each with a line back to its track, and
  hovering or clicking a fanned ring means its match.
- The selected name's leader line, when the name moves away from its dot, must fade with the
  name while the map is stale (a guard: the line, an item of the view, already did).
- A region of more than 2,000 tracks washed its points in its colour (every genre's colour
  tinted): it is now a rim under each point, as a smaller region's, at every map size.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from gui_support import shown_map
from musicsage.gui.map_marks import MATCH_COLOUR, REGION_COLOUR, mark_size, point_size
from musicsage.gui.map_tools import REGION_SCATTER_LIMIT
from musicsage.gui.map_view import PALETTE, STALE_OPACITY, Colouring


def _plot_px(view, x: float, y: float) -> QPointF:
    return view.plot.mapFromScene(view.view.mapViewToScene(QPointF(float(x), float(y))))


def _drawn(view, xy: np.ndarray) -> np.ndarray:
    """Where map coordinates ``xy`` are drawn on the plot (px)."""
    return np.array([[p.x(), p.y()] for p in (_plot_px(view, *q) for q in xy)])


def _cluster_map(qtbot, width: int = 500, height: int = 420):
    """Seven tracks (1-7) within a few px of each other, four far ones making the extent."""
    view, tools = shown_map(qtbot, width, height)
    rng = np.random.default_rng(4)
    cluster = 50 + rng.normal(0, 0.4, (7, 2))
    far = np.array([[0, 0], [100, 0], [0, 100], [100, 100]], float)
    xy = np.vstack([cluster, far]).astype(np.float32)
    view.set_points(np.arange(1, 12), xy, [f"Track {i}" for i in range(1, 12)])
    qtbot.wait(20)
    return view, tools, xy


def test_search_rings_piled_on_one_cluster_fan_out_each_with_a_line_to_its_match(qtbot):
    view, tools, xy = _cluster_map(qtbot)
    tools.show_matches(range(1, 8))
    qtbot.wait(20)
    x, y = tools._matches.getData()
    rings = _drawn(view, np.c_[x, y])
    size = mark_size("matches", len(xy))
    apart = np.hypot(*(rings[:, None] - rings[None]).transpose(2, 0, 1))
    assert len(rings) == 7 and apart[np.triu_indices(7, 1)].min() >= size, \
        "one ring per match, none over another"
    ids = [int(t) for t in tools._matches.data["data"]]
    assert sorted(ids) == list(range(1, 8))
    own = _drawn(view, xy[:7])
    assert np.hypot(*(rings[:, None] - own[None]).transpose(2, 0, 1)).min() > size / 2 + 1, \
        "every match's own point clear of the rings"
    rx, ry = tools._match_rims.getData()
    assert np.allclose(np.c_[rx, ry], np.c_[x, y]), "each white ring on its black one"

    lx, ly = tools._match_fan.leaders.getData()
    lines = _drawn(view, np.c_[lx, ly]).reshape(-1, 2, 2)
    assert len(lines) == 7, "a line from each fanned ring"
    for ring, tid in zip(rings, ids):
        line = next(p for p in lines if np.hypot(*(p[0] - ring)) < 1)
        assert np.hypot(*(line[1] - own[tid - 1])) < 1, f"track {tid}'s line ends at its point"
    assert tools._match_fan.leaders.opts["pen"].color().name() == QColor(MATCH_COLOUR).name()

    clicked = []
    view.track_clicked.connect(clicked.append)
    for ring, tid in list(zip(rings, ids))[:3]:  # a click on a fanned ring: its match
        QTest.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(round(ring[0]), round(ring[1])))
        assert clicked[-1:] == [tid]

    view.view.scaleBy((0.005, 0.005), center=QPointF(*xy[:7].mean(axis=0)))  # zoomed in
    qtbot.wait(20)
    x, y = tools._matches.getData()
    assert np.allclose(np.c_[x, y], xy[[i - 1 for i in tools._matches.data["data"]]]), \
        "apart at this zoom: each ring back on its track"
    lx, _ly = tools._match_fan.leaders.getData()
    assert lx is None or len(lx) == 0, "and no line"


def test_the_selected_names_line_fades_with_the_name_on_a_stale_map(qtbot):
    view, _tools = shown_map(qtbot, 340, 300)
    far = np.array([[0, 0], [10, 0], [0, 10], [10, 10]], np.float32)
    xy = np.vstack([np.repeat([(5.0, 5.0)], 13, axis=0), far]).astype(np.float32)
    xy[1:13] += np.random.default_rng(0).normal(0, 0.01, (12, 2)).astype(np.float32)
    view.set_points(np.arange(1, 18), xy, ["A rather long track name — Someone"] + ["x"] * 16)
    view.set_selection(1, graph_ids=range(2, 8), audio_ids=range(8, 14))
    qtbot.wait(20)
    leader = view._name_leader
    assert len(leader.getData()[0]) == 2, "the name pushed past the fan, a line to it"
    view.set_message("Computing the map…")
    qtbot.wait(10)
    name = view._label.graphicsEffect().opacity()
    assert name == STALE_OPACITY
    assert leader.effectiveOpacity() == pytest.approx(name), "the line as dim as its name"
    view.set_message("")
    qtbot.wait(10)
    assert leader.effectiveOpacity() == 1.0 and not view._label.graphicsEffect().isEnabled()


@pytest.mark.parametrize("size", [(1000, 700), (500, 420), (260, 220)])
def test_a_region_of_thousands_keeps_its_points_colours_with_a_rim_under_each(qtbot, size):
    view, tools = shown_map(qtbot, *size)
    crowd = REGION_SCATTER_LIMIT + 100
    rng = np.random.default_rng(2)
    xy = np.vstack([[[3.0, 6.0], [7.0, 6.0]], rng.uniform(0, 2.5, (crowd, 2))]).astype(np.float32)
    ids = np.arange(1, len(xy) + 1)
    codes = np.r_[[0, 1], rng.integers(0, 2, crowd)]
    view.set_points(ids, xy, [str(i) for i in ids], Colouring(codes, ["a", "b"]))
    qtbot.wait(20)
    tools.show_region(ids.tolist())  # the path of a region over REGION_SCATTER_LIMIT
    qtbot.wait(20)
    image = view.plot.grab().toImage()
    dpr = image.devicePixelRatio()
    rim = point_size(len(xy)) // 2 + 1
    for tid, colour in ((1, PALETTE[0]), (2, PALETTE[1])):
        p = _plot_px(view, *xy[tid - 1])
        x, y = round(p.x() * dpr), round(p.y() * dpr)
        assert image.pixelColor(x, y).name() == colour, f"track {tid} keeps its colour"
        ring = [image.pixelColor(x + dx, y + dy).name()
                for dx, dy in ((rim, 0), (-rim, 0), (0, rim), (0, -rim))]
        assert ring == [QColor(REGION_COLOUR).name()] * 4, f"track {tid}'s rim: {ring}"
    assert f"region ({len(ids):,})" in view.selection_key.text().replace("&nbsp;", " ")
