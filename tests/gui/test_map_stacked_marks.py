"""Marks that stack at the map's zoom show as many marks (an audit on a 28,356-track library,
one tight blob per playlist): a selected track's neighbours all hid under its disc and a
9-track playlist showed as one square. They fan out around the spot they share now, a
bigger stack says its count, and a region's marks no longer hide the selected track."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor

from gui_support import shown_map
from musicsage.gui.map_marks import GRAPH_COLOUR, KEY_MARKS, QUERY_COLOUR, REGION_COLOUR
from musicsage.gui.map_stacks import FAN_MOST, Stack, fan_out, find_stacks

SPOT = (5.0, 5.0)


def _library(view, near: int, spread: float, seed: int = 4) -> np.ndarray:
    """A map of 60 points apart on a 10 x 10 square, track 1 at :data:`SPOT` and tracks
    2..``near``+1 around it, all round, about ``spread`` map units away; its coordinates."""
    rng = np.random.default_rng(seed)
    far = rng.uniform(0, 10, (200, 2))
    far = far[np.hypot(*(far - SPOT).T) > 3][:60]
    angles = 2 * np.pi * (np.arange(near) + rng.uniform(0, 0.3, near)) / max(near, 1)
    around = np.asarray(SPOT) + spread * rng.uniform(0.8, 1, (near, 1)) * np.stack(
        [np.cos(angles), np.sin(angles)], axis=1)
    xy = np.vstack([[SPOT], around, far]).astype(np.float32)
    view.set_points(np.arange(1, len(xy) + 1), xy, [f"track {i}" for i in range(1, len(xy) + 1)])
    return xy


def _pixels(view, positions) -> np.ndarray:
    """Where map positions are on the plot widget (px)."""
    points = [view.plot.mapFromScene(view.view.mapViewToScene(QPointF(float(x), float(y))))
              for x, y in positions]
    return np.array([(p.x(), p.y()) for p in points], float)


def _drawn(item) -> np.ndarray:
    """Where a scatter item draws its marks (map coordinates)."""
    return np.stack([item.data["x"], item.data["y"]], axis=1).astype(float)


def _closest_pair(px: np.ndarray) -> float:
    d = np.hypot(px[:, None, 0] - px[None, :, 0], px[:, None, 1] - px[None, :, 1])
    return float(d[~np.eye(len(px), dtype=bool)].min())


def _colour_near(image, p, colour: str, reach: int = 9) -> int:
    want = QColor(colour)
    return sum(1 for dx in range(-reach, reach + 1) for dy in range(-reach, reach + 1)
               if _close(image.pixelColor(int(p[0]) + dx, int(p[1]) + dy), want))


def _close(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 40


@pytest.fixture
def view(qtbot):
    return shown_map(qtbot, 420, 420, tools=False)[0]


def test_neighbours_under_the_selected_track_fan_out_around_it(qtbot, view):
    """10 graph neighbours within a pixel of the selected track: each ring is drawn on its
    own, apart from the others and clear of the selected disc, with a line back to the
    spot, and it shows on the screen."""
    _library(view, 10, 0.01)
    neighbours = list(range(2, 12))
    view.set_selection(1, graph_ids=neighbours)
    qtbot.wait(20)
    centre = _pixels(view, [SPOT])[0]
    assert np.hypot(*(_pixels(view, view.positions_of(neighbours)) - centre).T).max() < 2, \
        "the rings' tracks all lie under the selected disc"
    rings = _pixels(view, _drawn(view._neigh))
    assert len(rings) == 10 and _closest_pair(rings) >= 12, "each ring apart from the others"
    assert np.hypot(*(rings - centre).T).min() >= 14, "clear of the selected disc"
    assert len(view.marks.drawn) == 10 and view.marks.leaders.getData()[0] is not None
    image = view.plot.grab().toImage()
    assert all(_colour_near(image, p, GRAPH_COLOUR) >= 12 for p in rings)
    label = view._label.geometry()
    assert not any(label.contains(int(x), int(y)) for x, y in rings), "the name hides none"


def test_neighbours_apart_stay_on_their_tracks(qtbot, view):
    """Rings that do not stack are drawn on their own tracks, with no leader line."""
    xy = _library(view, 6, 1.5)
    view.set_selection(1, graph_ids=[2, 3], audio_ids=[4, 5, 6, 7])
    qtbot.wait(20)
    assert _closest_pair(_pixels(view, xy[1:7])) > 20, "the neighbours lie apart"
    drawn = _drawn(view._neigh)
    assert sorted(map(tuple, np.round(drawn, 4))) == \
        sorted(map(tuple, np.round(xy[1:7].astype(float), 4)))
    assert view.marks.drawn == {} and not view.marks.badges


def test_zooming_in_takes_the_stack_apart(qtbot, view):
    """The layout follows the zoom: zoomed in until the tracks lie apart, each ring goes
    back onto its own track; zoomed out again, they fan out again."""
    _library(view, 8, 0.08)
    view.set_selection(1, graph_ids=list(range(2, 10)))
    qtbot.wait(20)
    assert len(view.marks.drawn) == 8
    view.view.scaleBy((1 / 40, 1 / 40), center=QPointF(*SPOT))
    qtbot.wait(20)
    assert view.marks.drawn == {}
    assert _closest_pair(_pixels(view, _drawn(view._neigh))) >= 12
    view.view.scaleBy((40, 40), center=QPointF(*SPOT))
    qtbot.wait(20)
    assert len(view.marks.drawn) == 8


def test_a_fanned_ring_is_its_own_tracks_on_hover_and_click(qtbot, view):
    """Hovering or clicking a ring fanned out of the stack means its track, not the one
    that happens to lie under it."""
    _library(view, 5, 0.01)
    view.set_selection(1, graph_ids=[2, 3, 4, 5, 6])
    qtbot.wait(20)
    assert len(view.marks.drawn) == 5
    for tid, at in view.marks.drawn.items():
        scene = view.view.mapViewToScene(QPointF(*map(float, at)))
        assert view.track_ids[view._pick(scene)] == tid


def test_a_playlist_in_one_blob_shows_each_of_its_squares(qtbot, view):
    """A 9-track playlist whose tracks lie in one spot showed as one square: 9 now."""
    _library(view, 12, 0.01)
    view.set_highlight(list(range(2, 11)), "Eletric Pop & Dance")
    qtbot.wait(20)
    squares = _pixels(view, _drawn(view._highlight))
    assert len(squares) == 9 and _closest_pair(squares) >= 10


def test_a_stack_too_big_to_fan_out_says_its_count(qtbot, view):
    """A 40-track playlist in one spot: fanned out, it covered the map around it; it stays
    in place, a count beside it and a tooltip saying what it counts."""
    _library(view, 40, 0.01)
    view.set_highlight(list(range(2, 42)), "Pop Remix")
    qtbot.wait(20)
    assert len(view.marks.badges) == 1
    badge, _tip = view.marks.badges[0]
    assert badge.toPlainText() == "40" and badge.isVisible()
    tip = view.marks.tip_at(badge.sceneBoundingRect().center())
    assert tip.startswith("40 of the playlist's tracks lie here") and "zoom in" in tip
    view.set_highlight([])
    assert not view.marks.badges


def test_fanned_marks_keep_apart_whatever_their_number():
    """The geometry: every stack of 2 to :data:`FAN_MOST` marks at one spot, around the
    selected disc or not, comes out with its marks a spacing apart."""
    for anchored in (True, False):
        for n in range(1 if anchored else 2, FAN_MOST + 1):
            px = np.random.default_rng(n).normal(0, 0.5, (n, 2))
            stacks = find_stacks(px, np.zeros(2) if anchored else None)
            assert [len(s.members) for s in stacks] == [n]
            shown, crowded = fan_out(px, stacks, np.zeros(n, bool), 15, 16)
            assert not crowded
            if n > 1:
                assert _closest_pair(shown) >= 15 - 0.01, (anchored, n)
            if anchored:
                assert np.hypot(*shown.T).min() >= 16 - 0.01
    assert fan_out(np.zeros((1, 2)), [], np.zeros(1, bool), 15, 16)[0].tolist() == [[0, 0]]
    assert isinstance(find_stacks(np.zeros((3, 2)), None)[0], Stack)


def test_a_region_over_the_whole_map_leaves_the_selected_track_findable(qtbot):
    """The region's marks were white, as the selected track's disc: a region over the whole
    map hid it, and the key's "region" looked like its "selected". Only the selected
    track's disc is white now."""
    view, tools = shown_map(qtbot, 420, 420)
    xy = _library(view, 0, 0)
    view.set_selection(1)
    tools.show_region([int(t) for t in view.track_ids])
    qtbot.wait(20)
    assert QColor(REGION_COLOUR).saturationF() >= 0.5 != QColor(QUERY_COLOUR).saturationF()
    assert KEY_MARKS["region"][0] != KEY_MARKS["selected"][0]
    image = view.plot.grab().toImage()
    white = [p for p in _pixels(view, xy)
             if _colour_near(image, p, QUERY_COLOUR, reach=3) >= 6]
    assert len(white) == 1 and np.allclose(white[0], _pixels(view, [SPOT])[0]), \
        "white only where the selected track is"
    assert all(_colour_near(image, p, REGION_COLOUR, reach=5) >= 6
               for p in _pixels(view, xy[1:])), "every other track shows the region's mark"
