"""A final look audit: on a small map (the training dock open, a 1024-wide window) a lasso's
coral rings overlapped into one coral blob over each cluster, its tracks' genre colours gone,
and the coral was close to Techno's red. The region's mark is now a rim under each point, in
a colour apart from every legend colour: each point keeps its own colour at any density."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor

from gui_support import shown_map
from musicsage.gui.map_marks import (AUDIO_COLOUR, BOTH_COLOUR, GRAPH_COLOUR, HIGHLIGHT_COLOUR,
                                     REGION_COLOUR)
from musicsage.gui.map_view import OTHER_COLOUR, PALETTE, Colouring

sys.path.insert(0, str(Path(__file__).parent))
from test_window_words import _lab  # noqa: E402  (the project's CIELAB, one place)


def _dense_map(view) -> tuple[np.ndarray, np.ndarray]:
    """A 12×12 cluster of two alternating genres, 2-3 px apart on a small map, far points
    making the extent; the cluster's positions and category codes."""
    grid = np.stack(np.meshgrid(np.arange(12), np.arange(12)), -1).reshape(-1, 2)
    cluster = (50 + grid * 1.2).astype(np.float32)
    far = np.array([[0, 0], [100, 0], [0, 100], [100, 100]], np.float32)
    codes = np.r_[(grid.sum(axis=1) % 2) * 4, [0, 0, 0, 0]]
    xy = np.vstack([cluster, far])
    n = len(xy)
    view.set_points(np.arange(1, n + 1), xy, [f"t{i}" for i in range(n)],
                    Colouring(codes, [f"c{i}" for i in range(5)]))
    return cluster, codes[:len(cluster)]


def _pixel(view, image, x: float, y: float) -> QColor:
    p = view.plot.mapFromScene(view.view.mapViewToScene(QPointF(float(x), float(y))))
    return image.pixelColor(int(round(p.x())), int(round(p.y())))


def test_a_region_over_a_dense_cluster_on_a_small_map_keeps_the_points_colours(qtbot):
    view, tools = shown_map(qtbot, 300, 240)
    cluster, codes = _dense_map(view)
    qtbot.wait(20)
    before = view.plot.grab().toImage()
    colours_before = [_pixel(view, before, *p).name() for p in cluster]
    tools.show_region(list(range(1, len(cluster) + 1)))
    qtbot.wait(20)
    after = view.plot.grab().toImage()
    colours_after = [_pixel(view, after, *p).name() for p in cluster]
    same = sum(a == b for a, b in zip(colours_before, colours_after))
    assert same == len(cluster), f"{len(cluster) - same} of {len(cluster)} points lost colour"
    assert set(colours_after) == {PALETTE[0], PALETTE[4]}, "the genres' own colours"
    # the region's own mark shows: around the cluster's edge, in its colour
    image = after
    edge = view.plot.mapFromScene(view.view.mapViewToScene(QPointF(*cluster.min(axis=0))))
    near = [image.pixelColor(int(edge.x()) + dx, int(edge.y()) + dy)
            for dx in range(-6, 2) for dy in range(-2, 6)]
    assert sum(np.linalg.norm(_lab(c.name()) - _lab(REGION_COLOUR)) < 20 for c in near) >= 3


def test_the_region_colour_is_apart_from_every_legend_and_mark_colour():
    """Coral was 16 CIE76 from Techno's red: now 40 and more from each colour on the map."""
    others = PALETTE + [OTHER_COLOUR, GRAPH_COLOUR, AUDIO_COLOUR, BOTH_COLOUR, HIGHLIGHT_COLOUR]
    assert min(np.linalg.norm(_lab(REGION_COLOUR) - _lab(c)) for c in others) >= 40
