"""Marks on many tracks at once: a one-letter search matched 27,640 of 28,356 tracks, and
their rings covered the map in one green blanket; a region of the whole map took 50 ms of
the window's thread to mark. Too many matches to ring get a thin green rim each and the
other tracks are dimmed; a big region's rims are a raster layer."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor

from gui_support import shown_map
from musicsage.controllers.map_tools import MATCH_RING_LIMIT
from musicsage.gui.map_marks import MATCH_COLOUR, REGION_COLOUR, point_size
from musicsage.gui.map_tools import DIMMED, REGION_SCATTER_LIMIT
from musicsage.gui.map_view import BACKGROUND, PLAIN_COLOUR

CROWD = max(MATCH_RING_LIMIT, REGION_SCATTER_LIMIT) + 100


def crowded_map(qtbot):
    """A map of a crowd of tracks (ids 3…) in its lower left, and two tracks alone: 1 on the
    left, 2 on the right; every point in the one colour of a map without categories."""
    view, tools = shown_map(qtbot, 500, 420)
    rng = np.random.default_rng(2)
    xy = np.vstack([[[3.0, 6.0], [7.0, 6.0]], rng.uniform(0, 2.5, (CROWD, 2))])
    ids = np.arange(1, len(xy) + 1)
    view.set_points(ids, xy.astype(np.float32), [str(i) for i in ids])
    qtbot.wait(20)
    return view, tools, ids


def pixels(view, track_id: int, radius: int) -> list[QColor]:
    """The colours drawn on the circle of ``radius`` px round a track's point (0: its centre)."""
    image = view.plot.grab().toImage()
    x, y = map(float, view.positions_of([track_id])[0])
    p = view.plot.mapFromScene(view.view.mapViewToScene(QPointF(x, y)))
    if radius == 0:
        return [image.pixelColor(p.x(), p.y())]
    return [image.pixelColor(p.x() + dx, p.y() + dy)
            for dx, dy in ((radius, 0), (-radius, 0), (0, radius), (0, -radius))]


def near(a: QColor, b: QColor, tolerance: int = 8) -> bool:
    return all(abs(u - v) <= tolerance for u, v in zip(a.getRgb()[:3], b.getRgb()[:3]))


def mixed(colour: str, share: float, ground: str) -> QColor:
    a, b = QColor(colour), QColor(ground)
    return QColor(*(round(share * u + (1 - share) * v)
                    for u, v in zip(a.getRgb()[:3], b.getRgb()[:3])))


def test_too_many_matches_to_ring_dim_the_other_tracks_instead(qtbot):
    view, tools, ids = crowded_map(qtbot)
    point = QColor(PLAIN_COLOUR)
    rim = point_size(len(ids)) // 2 + 1
    matches = [1] + ids[2:-60].tolist()  # track 2 and 60 of the crowd do not match
    assert len(matches) > MATCH_RING_LIMIT
    tools.show_matches(matches)
    qtbot.wait(20)
    assert len(tools._matches.data) == 0, "no ring for each match"
    assert near(pixels(view, 1, 0)[0], point), "a match keeps its colour"
    assert all(near(c, QColor(MATCH_COLOUR)) for c in pixels(view, 1, rim)), "and a green rim"
    assert near(pixels(view, 2, 0)[0], mixed(PLAIN_COLOUR, DIMMED, BACKGROUND)), "dimmed"
    assert not any(near(c, QColor(MATCH_COLOUR)) for c in pixels(view, 2, rim))
    key = view.selection_key.text().replace("&nbsp;", " ")
    assert f"{len(matches):,} search matches, the rest dimmed" in key

    tools.show_matches([1, 3, 4])  # a few: ringed, nothing dimmed
    qtbot.wait(20)
    assert len(tools._matches.data) == 3 and near(pixels(view, 2, 0)[0], point)
    assert "search matches" in view.selection_key.text().replace("&nbsp;", " ")
    tools.show_matches([])
    qtbot.wait(20)
    assert near(pixels(view, 2, 0)[0], point) and near(pixels(view, 1, 0)[0], point)
    assert "search" not in view.selection_key.text()


def test_a_big_region_is_rimmed_as_a_raster_layer_a_small_one_ringed(qtbot):
    view, tools, ids = crowded_map(qtbot)
    point = QColor(PLAIN_COLOUR)
    tools.show_region([1] + ids[2:].tolist())
    qtbot.wait(20)
    assert len(tools._region.data) == 0, "no scatter spot for each of its tracks"
    assert near(pixels(view, 1, 0)[0], point), "no wash: the point keeps its colour"
    rim = point_size(len(ids)) // 2 + 1
    assert all(near(c, QColor(REGION_COLOUR)) for c in pixels(view, 1, rim)), "a rim under it"
    assert near(pixels(view, 2, 0)[0], point), "a track outside is as it was"
    assert "region" in view.selection_key.text()
    tools.show_region([1, 3])
    qtbot.wait(20)
    assert len(tools._region.data) == 2 and near(pixels(view, 2, 0)[0], point)
    tools.show_region([])
    qtbot.wait(20)
    assert near(pixels(view, 1, 0)[0], point) and "region" not in view.selection_key.text()
