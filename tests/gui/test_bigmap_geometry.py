"""The big map's work on the window's thread, made cheaper without changing its answers:
Colour by Artist/Album keeps the 12 most frequent names without sorting all 22,545 albums,
a lasso's region tests each point only against the edges at its height, and a slow drag no
longer adds several vertices per pixel. No window, no Qt."""

from __future__ import annotations

import numpy as np

from musicsage.controllers.colouring import categorical
from musicsage.controllers.map_tools import inside_polygon, vertex_apart


def test_the_coloured_names_are_the_most_frequent_ties_by_name():
    rng = np.random.default_rng(3)
    names = [f"artist {i:03d}" for i in range(300)]
    # many ties, several of them across the 12th place
    values = [names[int(i)] for i in rng.zipf(1.3, 5000) % 300] + [None, ""] * 40
    values += ["artist 299", "artist 298", "artist 297"] * 5
    counts: dict[str, int] = {}
    for v in values:
        if v:
            counts[v] = counts.get(v, 0) + 1
    expected = sorted(counts, key=lambda n: (-counts[n], n))
    for keep in (1, 12, 40, 400):
        codes, cats = categorical(values, max_categories=keep)
        assert cats == expected[:keep]
        assert [cats[c] if c >= 0 else None for c in codes] == [
            v if v in cats else None for v in values]


def _even_odd(point, polygon) -> bool:
    """The rule, one point at a time."""
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def test_a_region_holds_the_points_inside_its_outline():
    rng = np.random.default_rng(7)
    xy = rng.integers(0, 6, (400, 2)).astype(np.float32)  # points on vertices and edges too
    for n in (3, 4, 9, 60):
        for _ in range(20):
            polygon = [tuple(p) for p in np.round(rng.uniform(-1, 7, (n, 2)), 1).tolist()]
            polygon[1] = (polygon[1][0], polygon[0][1])  # a level edge
            got = inside_polygon(xy, polygon)
            assert got.tolist() == [_even_odd(p, polygon) for p in xy.tolist()]
    assert not inside_polygon(xy, [(0, 0), (5, 5)]).any()  # no area: nothing


def test_a_lasso_vertex_under_a_pixel_from_the_last_is_dropped():
    pixel = (0.5, 0.25)  # map units per screen pixel, as a zoomed view has them
    assert not vertex_apart((1.0, 1.0), (1.4, 1.2), pixel)
    assert vertex_apart((1.0, 1.0), (1.5, 1.0), pixel)
    assert vertex_apart((1.0, 1.0), (1.0, 0.7), pixel)
    assert vertex_apart((1.0, 1.0), (1.0, 1.0), (-0.5, -0.25)) is False  # a flipped axis
