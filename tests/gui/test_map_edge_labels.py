"""What the map writes beside its marks stays inside the plot and off the rings, near its edge
too. On the demo at 800x500 (a map 232 px wide): a stack's count panned to the top right
corner was drawn beyond the plot, not seen at all; and the selected track's name lay across
its neighbours' rings for 51 of its 240 tracks (for 136 at 1400x860) — a long name came out
a few px wider than the room beside its point and went straight under it, and where every
place beside the point hid a ring the name took the one that hid the fewest, with room for
it just above the rings."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRect, QRectF, QSize

from gui_support import shown_map
from musicsage.gui.map_fans import corner_inside
from musicsage.gui.map_marks import fit_name, label_spot, make_name_label, mark_size

NAME = "Overpass in Bristol — Hidden Echo"


def _library(view, spot, stacked: int, title: str = "track 1") -> np.ndarray:
    """60 points over a 10 x 10 square, track 1 (``title``) at ``spot`` with tracks
    2..``stacked``+1 within a hundredth of it."""
    rng = np.random.default_rng(3)
    far = rng.uniform(0, 10, (200, 2))
    far = far[np.hypot(*(far - spot).T) > 2][:60]
    around = np.asarray(spot) + rng.normal(0, 0.003, (stacked, 2))
    xy = np.vstack([[spot], around, far]).astype(np.float32)
    titles = [title] + [f"track {i}" for i in range(2, len(xy) + 1)]
    view.set_points(np.arange(1, len(xy) + 1), xy, titles)
    return xy


def _plot_rect(view, scene_rect: QRectF) -> QRectF:
    return QRectF(view.plot.mapFromScene(scene_rect).boundingRect())


def _badge_rects(view) -> list[QRectF]:
    return [_plot_rect(view, badge.sceneBoundingRect()) for badge, _tip in view.marks.badges]


def _ring_rects(view) -> list[QRectF]:
    """Where the rings are drawn (plot px), each with its dark rim."""
    r = mark_size("neighbours", len(view.xy)) / 2 + 2.75
    item = view._neigh
    centres = [view.plot.mapFromScene(view.view.mapViewToScene(QPointF(float(x), float(y))))
               for x, y in zip(item.data["x"], item.data["y"])]
    return [QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r) for c in centres]


def _plot_area(view) -> QRectF:
    return _plot_rect(view, view.view.sceneBoundingRect())


@pytest.fixture
def small_map(qtbot):
    return shown_map(qtbot, 232, 389, tools=False)[0]  # the map of an 800x500 window


def test_a_count_at_the_plots_right_edge_stays_inside_it(qtbot, small_map):
    """A 40-track playlist in one spot at the map's right edge: its count goes left of the
    spot, inside the plot, clear of the spot."""
    view = small_map
    _library(view, (10.0, 10.0), 40)
    view.set_highlight(list(range(2, 42)), "Pop Remix")
    qtbot.wait(20)
    (badge,) = _badge_rects(view)
    spot = view.plot.mapFromScene(view.scene_pos_of(1))
    assert _plot_area(view).contains(badge), (badge, _plot_area(view))
    assert spot.x() > _plot_area(view).right() - 25, "the spot at the edge"
    assert badge.right() < spot.x() and badge.bottom() < spot.y(), "up and left of it"
    assert view.marks.badges[0][0].toPlainText() == "40"


def test_a_count_panned_to_the_edge_comes_inside(qtbot, small_map):
    """A pan moves the count with its stack, but not beyond the plot's edge."""
    view = small_map
    _library(view, (5.0, 5.0), 40)
    view.set_highlight(list(range(2, 42)), "Pop Remix")
    qtbot.wait(20)
    (before,) = _badge_rects(view)
    spot = view.plot.mapFromScene(view.scene_pos_of(1))
    assert before.left() > spot.x() and before.bottom() < spot.y(), "up and right, as before"
    area = _plot_area(view)
    for x, y in ((area.right() - 6, spot.y()), (spot.x(), area.top() + 6),
                 (area.right() - 6, area.top() + 6)):
        target = view.view.mapSceneToView(view.plot.mapToScene(int(x), int(y)))
        view.view.translateBy(x=5.0 - target.x(), y=5.0 - target.y())  # the spot there
        qtbot.wait(10)
        (badge,) = _badge_rects(view)
        assert area.contains(badge), ((x, y), badge, area)


def test_a_count_keeps_beside_its_stack_and_inside_the_plot():
    """The geometry: wherever the stack is in the plot, its count lies whole inside it and
    no nearer the stack than its reach; up and right of it where there is room."""
    bounds, size, reach = (0.0, 232.0, 0.0, 389.0), (25.0, 22.0), 20.0
    for x in np.linspace(1, 231, 24):
        for y in np.linspace(1, 388, 24):
            left, low = corner_inside(np.array([x, y]), reach, size, bounds)
            assert 0 <= left and left + size[0] <= 232 and 0 <= low and low + size[1] <= 389
            nearest = np.hypot(max(left - x, 0, x - left - size[0]),
                               max(low - y, 0, y - low - size[1]))
            assert nearest >= reach - 1e-6 or min(x, 232 - x) < 60 and min(y, 389 - y) < 60
    assert np.allclose(corner_inside(np.array([100.0, 100.0]), reach, size, bounds),
                       100 + reach / np.sqrt(2))
    assert np.allclose(corner_inside(np.array([300.0, 100.0]), reach, size, bounds),
                       [300 + reach / np.sqrt(2), 100 + reach / np.sqrt(2)]), "off the plot"


def test_the_name_goes_beyond_the_rings_not_across_them():
    """No room beside the point on a narrow map and rings all round it: the name goes just
    above or below them, not across them (it took the place that hid the fewest)."""
    p = QPointF(190, 200)
    rings = [QPointF(190 + dx, 200 + dy) for dx in (-36, -18, 0, 18) for dy in (-36, -18, 18)]
    reach = 11.5
    spot = QRect(label_spot(p, 200, 16, 232, 389, [], rings, reach), QSize(200, 16))
    assert QRect(4, 4, 224, 381).contains(spot), spot
    assert not any(spot.adjusted(-12, -12, 12, 12).contains(r.toPoint()) for r in rings), spot
    assert abs(spot.center().y() - p.y()) < 36 + reach + 16, "next to the rings"


@pytest.mark.parametrize("spot", [(10.0, 5.0), (0.0, 5.0), (5.0, 10.0), (5.0, 0.0)])
def test_a_name_as_wide_as_the_map_at_its_edge_hides_no_ring(qtbot, spot):
    """The demo's "Overpass in Bristol — Hidden Echo" on its 232-px map: a name just short
    enough to show whole. Its label came out wider than the room beside its point, went
    straight under the point, over the rings fanned out around it; it fits the map now and
    lies over none of them."""
    probe = make_name_label(None)
    width = probe.fontMetrics().horizontalAdvance(NAME) + 22  # shown whole, but just
    view = shown_map(qtbot, width, 389, tools=False)[0]
    _library(view, spot, 12, title=NAME)
    view.set_selection(1, graph_ids=list(range(2, 14)))
    qtbot.wait(20)
    label = QRectF(view._label.geometry())
    assert view._label.isVisible() and label.width() <= view.plot.width() - 8
    assert _plot_area(view).adjusted(-1, -1, 1, 1).contains(label), label
    hidden = [r for r in _ring_rects(view) if r.intersects(label)]
    assert not hidden, (label, hidden)
    point = view.plot.mapFromScene(view.scene_pos_of(1))
    assert not label.contains(QPointF(point)), "the point itself stays in view"


@pytest.mark.parametrize("name", ["Señor Tokyo 東京 Drum & Bass", "… Remix Tokyo 東京 Ölüm", NAME])
def test_a_shortened_name_is_never_wider_than_its_room(qtbot, name):
    """Whatever the room (80 to 300 px), the label fits it, and a name that fits is shown
    whole. Three tries left "Señor T… & Bass" 1 px too wide for 119 px (Qt's shortening
    measures "T…" a few px short), and a name wider than the room beside its point went
    under the point."""
    label = make_name_label(None)
    qtbot.addWidget(label)
    label.setText(name)
    whole = label.sizeHint().width()
    for width in range(80, 300):
        fit_name(label, name, width)
        assert label.width() <= width, (width, label.text(), label.width())
        assert (label.text() == name) == (whole <= width), (width, label.text())
