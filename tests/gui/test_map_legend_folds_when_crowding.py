"""The open legend on a map it would squeeze: at 1400x860 coloured by playlist the legend
(13 rows of playlist names) was 210 px wide and 300 tall on a 470-px map, and the fit put
every point into a 230-px column beside it; at 900x600 the genre legend took half the map.
The legend folds where it would leave less than :data:`CLEAR_SHARE` of the map clear, and
stays open where the points keep most of it; a legend the user opened stays open."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF

from gui_support import shown_map
from musicsage.gui.map_view import Colouring

PLAYLISTS = ["Dinner Party 2", "Jazz Essentials", "Bogotá Commute", "Lisbon Weekend",
             "Lost Dunes", "Midnight Pilots", "Energy", "Melbourne Kitchen Disco",
             "Morning Run", "Techno Mix", "Workout", "Best of Ambient"]
GENRES = ["Drum & Bass", "Jazz", "Synthwave", "Indie Rock", "Techno", "Ambient",
          "Dub Reggae", "Lo-Fi Hip Hop", "Chiptune", "Folk", "Deep House"]


NOTE = ["A track in several playlists:", "the largest one's colour.",
        "28 more playlists: no colour."]  # the playlist colouring's note, as the demo's


def coloured_map(qtbot, size, names, footnote=()):
    view, _tools = shown_map(qtbot, *size)
    n = 240
    xy = np.random.default_rng(7).uniform(0, 10, (n, 2)).astype(np.float32)
    codes = np.arange(n) % (len(names) + bool(footnote)) - bool(footnote)  # -1: in none
    view.set_points(np.arange(1, n + 1), xy, [f"t{i}" for i in range(n)],
                    Colouring(codes, list(names), "in none",
                              footnote=list(footnote)))
    qtbot.wait(20)
    return view


def points_width(view) -> float:
    """How wide (px) the points are drawn across the map."""
    xs = [view.plot.mapFromScene(view.view.mapViewToScene(QPointF(float(x), float(y)))).x()
          for x, y in view.xy]
    return max(xs) - min(xs)


def test_a_legend_that_would_squeeze_the_points_folds_and_they_keep_the_map(qtbot):
    view = coloured_map(qtbot, (470, 749), PLAYLISTS, NOTE)
    legend = view.legend
    assert legend.isVisible() and legend.collapsed
    assert points_width(view) > 0.8 * view.width(), "the points are not squeezed beside it"

    legend.toggle()  # the user opens it: it stays open, also as the map is resized
    qtbot.wait(20)
    assert not legend.collapsed and legend.scroll.isVisible()
    view.resize(460, 740)
    qtbot.wait(20)
    assert not legend.collapsed


def test_a_legend_that_leaves_most_of_the_map_clear_stays_open(qtbot):
    from musicsage.gui.map_legend import CLEAR_SHARE, clear_share

    view = coloured_map(qtbot, (470, 749), GENRES)
    legend = view.legend
    assert not legend.collapsed
    box = legend.geometry()
    assert clear_share(view.width(), view.height(), box.right(), box.bottom()) >= CLEAR_SHARE


def test_on_a_small_window_s_map_the_genre_legend_folds(qtbot):
    view = coloured_map(qtbot, (300, 489), GENRES)  # the map of a 900x600 window
    assert view.legend.collapsed
