"""With a 30,000-track playlist chosen, clicking a track held the window 0.9 s (a 2.7 s gap
between frames): the selected name's place was reckoned by mapping each of the playlist's
squares through the view one by one, and by counting, for each of some 2,000 places, the
squares it would hide, side by side. The squares are now mapped at once and counted on a
table of sums: the same place, found in a bounded time."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QPointF

from gui_support import shown_map
from musicsage.gui import map_marks
from musicsage.gui.map_marks import label_spot, ring_free_places


def _playlist_map(qtbot, count: int):
    """A map of ``count`` tracks, all of them in the chosen playlist, track 1 selected with
    a few neighbours."""
    view, _tools = shown_map(qtbot, 900, 600)
    xy = np.random.default_rng(3).normal(size=(count, 2)).astype(np.float32)
    ids = np.arange(1, count + 1)
    view.set_points(ids, xy, [f"Song {i} — Band" for i in ids])
    view.set_highlight(ids, "Everything")
    view.set_selection(1, graph_ids=range(2, 6), audio_ids=range(6, 10))
    qtbot.wait(30)
    return view


def test_placing_the_name_maps_no_square_through_the_view_one_by_one(qtbot):
    view = _playlist_map(qtbot, 4_000)
    assert view._label.isVisible()
    mapped = []
    one_by_one = view.view.mapViewToScene
    view.view.mapViewToScene = lambda point: (mapped.append(point), one_by_one(point))[1]
    try:
        view._place_label()
    finally:
        view.view.mapViewToScene = one_by_one
    assert len(mapped) < 20, f"{len(mapped)} points mapped one by one to place one name"


def test_the_name_goes_where_the_squares_mapped_one_by_one_put_it(qtbot):
    from musicsage.gui.map_name import _on_plot, _spot

    view = _playlist_map(qtbot, 3_000)
    places = view.marks.mark_places() + [p for fan in view.fans for p in fan.mark_places()]
    rings = [view.plot.mapFromScene(view.view.mapViewToScene(QPointF(x, y))) for x, y in places]
    x, y = map(float, view.xy[view._row_of[1]])
    dot = view.plot.mapFromScene(view.view.mapViewToScene(QPointF(x, y)))
    label, reach = view._label, map_marks.mark_size("neighbours", len(view.xy)) / 2 + 3
    expected = label_spot(dot, label.width(), label.height(), view.plot.width(),
                          view.plot.height(), [o.geometry() for o in view.label_obstacles()],
                          rings, reach, view.marks.fan_px, _on_plot(view))
    assert _spot(view, dot) == expected


def test_free_places_counted_on_a_table_are_those_counted_side_by_side(monkeypatch):
    rng = np.random.default_rng(7)
    rings = np.vstack([rng.integers(-40, 940, (30_000, 2)),  # some off the map
                       rng.integers(380, 420, (200, 2))])  # a crowd by the point
    spots = [map_marks.QRect(int(x), int(y), 120, 18) for x, y in rng.integers(4, 500, (40, 2))]
    args = (QPointF(400, 300), 120, 18, 900, 600, spots, rings, 9)
    on_a_table = ring_free_places(*args)
    monkeypatch.setattr(map_marks, "PAIRS_AT_ONCE", 10 ** 12)
    side_by_side = ring_free_places(*args)
    assert on_a_table == side_by_side
    assert ring_free_places(*args[:6], [QPoint(int(x), int(y)) for x, y in rings], 9) == \
        side_by_side, "points or an array of them: the same places"


def test_the_names_place_is_the_same_from_points_or_an_array(qtbot):
    rng = np.random.default_rng(11)
    for _ in range(100):
        rings = rng.uniform(0, 700, (int(rng.integers(0, 80)), 2))
        dot = QPointF(*rng.uniform(0, 700, 2))
        as_points = [QPointF(x, y) for x, y in rings]
        assert label_spot(dot, 120, 20, 720, 500, [], as_points, 9.0) == \
            label_spot(dot, 120, 20, 720, 500, [], rings, 9.0)
