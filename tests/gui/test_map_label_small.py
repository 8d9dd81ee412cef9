"""The selected track's name on a small map: at 800x500 with the training dock open the map is
about 223 px wide, too narrow for the name on either side of its point. It was then put below
the point without a look at the overlays, and covered the folded "▸ Key" button almost
whole; it now goes above or below the point slid into the map, or somewhere near it, clear
of the controls."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, QSize

from gui_support import settle
from musicsage.gui.map_marks import label_spot
from musicsage.usecases.library import list_tracks

pytestmark = pytest.mark.usefixtures("shared_helper")
"""A selected track's tags come from the run's one helper process (tests/gui/conftest.py):
these tests check the window, not the helper."""


def _put_point_at(view, track_id: int, x: int, y: int) -> QPoint:
    """Pan the map so that the track is drawn at (``x``, ``y``) of the map; where it is."""
    target = view.view.mapSceneToView(view.plot.mapToScene(x, y))
    px, py = view.xy[view._row_of[track_id]]
    view.view.translateBy(x=float(px - target.x()), y=float(py - target.y()))
    return view.plot.mapFromScene(view.scene_pos_of(track_id))


def test_at_800x500_with_the_dock_the_name_stays_off_the_key_button(qtbot, make_window,
                                                                    library):
    w = make_window(library)
    w.resize(800, 500)
    qtbot.waitUntil(lambda: w.size().toTuple() == (800, 500))
    # the longest name ("Techno Song 10 — Techno Band"): no room for it on either side
    tid = max(list_tracks(library), key=lambda t: len(f"{t.title} — {t.artist}")).id
    with qtbot.waitSignal(w.neighbours_loaded, timeout=60_000):
        w.app.selection.select(tid, play=False)
    settle(qtbot, w)
    w.show_training_dock()
    qtbot.wait(100)
    view, key = w.map, w.map.selection_key
    assert view.width() < 260 and key.isVisible() and key.folded, "the small map this is about"
    # the selected point just above the key button, at the bottom left
    button = key.geometry()
    point = _put_point_at(view, tid, button.center().x(), button.top() - 4)
    qtbot.wait(50)
    label = view._label.geometry()
    assert view._label.isVisible() and view._label.text()
    assert point.x() + 10 + label.width() > view.width() - 4, "no room right of the point"
    assert point.x() - 10 - label.width() < 4, "nor left of it"

    assert not label.intersects(button), (label, button)
    assert view.rect().contains(label), (label, view.size())
    for overlay in view.label_obstacles():  # nor over the legend or the tools
        assert not label.intersects(overlay.geometry()), (label, overlay.geometry())
    assert not label.contains(point), "the point itself stays in view"
    # next to its point: beside it, or just beyond the rings beside it (over two of them,
    # 2 label heights away, before they were avoided: tests/gui/test_map_edge_labels.py)
    assert abs(label.center().y() - point.y()) < 3 * label.height(), "next to its point"


def test_with_no_room_beside_or_near_the_point_the_name_goes_over_points_not_controls():
    """Overlays above and below the point (the tools, the region bar, the key) and a map too
    narrow for either side: the name goes where only points are, the nearest such place."""
    top = QRect(10, 10, 203, 31)
    bars = [QRect(10, 105, 203, 20), QRect(10, 146, 203, 49)]  # just above, just below
    p = QPointF(100, 135)
    spot = QRect(label_spot(p, 180, 16, 223, 205, [top, *bars]), QSize(180, 16))
    assert not any(spot.intersects(box) for box in (top, *bars)), spot
    assert QRect(0, 0, 223, 205).adjusted(4, 4, -4, -4).contains(spot), spot
    assert not spot.contains(p.toPoint())


def test_a_name_with_room_beside_its_point_goes_where_it_went():
    """A roomy map: above right of the point, as before (1280x800 looks the same)."""
    p = QPointF(200, 300)
    key = QRect(10, 376, 303, 31)
    assert label_spot(p, 196, 16, 488, 417, [key]) == QPoint(210, 278)
    # above right covered, above left off the map: below right, as before
    assert label_spot(p, 196, 16, 488, 417, [key, QRect(205, 270, 50, 20)]) == QPoint(210, 310)
