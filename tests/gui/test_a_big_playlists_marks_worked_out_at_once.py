"""With a 30,000-track playlist chosen, selecting a track still held the window 0.25-0.4 s and
choosing the playlist 0.3 s: the map listed which tracks are marked, and where their squares
are drawn, square by square in Python, several times per click, and placed the selected name
five or six times (each time weighing its places against every square). The marks are now
worked out on whole arrays and the name placed once per selection or playlist: the same
marks, the same place, in work that does not grow with the playlist."""

from __future__ import annotations

import sys

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF

from gui_support import shown_map
from musicsage.gui import map_name
from musicsage.gui.map_changes import rows_on_map
from musicsage.gui.map_marked import OneStyleScatter, PlacesOnce, drawn_at, marked_tracks

OWN_MODULES = ("map_stacks.py", "map_match_fan.py", "map_view.py", "map_marked.py",
               "map_changes.py")


def _map(qtbot, count: int, *, tools: bool = True, seed: int = 3):
    view, bar = shown_map(qtbot, 900, 600, tools=tools)
    xy = np.random.default_rng(seed).normal(size=(count, 2)).astype(np.float32)
    ids = np.arange(1, count + 1)
    view.set_points(ids, xy, [f"Song {i} — Band" for i in ids])
    return view, bar, ids


def _placings(monkeypatch) -> list[int]:
    """Counts each time the selected name's place is worked out."""
    calls: list[int] = []
    spot = map_name._spot
    monkeypatch.setattr(map_name, "_spot", lambda *a: (calls.append(1), spot(*a))[1])
    return calls


def test_selecting_a_track_places_its_name_once(qtbot, monkeypatch):
    view, tools, ids = _map(qtbot, 2_000)
    view.set_highlight(ids[::2], "Half")
    tools.show_matches(ids[:40])
    calls = _placings(monkeypatch)
    view.set_selection(11, graph_ids=range(2, 8), audio_ids=range(8, 14))
    assert len(calls) == 1, f"the name placed {len(calls)} times for one selection"
    at = view._label.pos()
    view._place_label()  # placed from scratch: where the selection left it
    assert view._label.pos() == at and view._label.isVisible()


def test_choosing_a_playlist_places_the_name_once(qtbot, monkeypatch):
    view, _tools, ids = _map(qtbot, 2_000)
    view.set_selection(11, graph_ids=range(2, 8))
    calls = _placings(monkeypatch)
    view.set_highlight(ids[5:1500], "Most")
    assert len(calls) == 1, f"the name placed {len(calls)} times for one playlist"
    at = view._label.pos()
    view._place_label()
    assert view._label.pos() == at


def test_selecting_a_track_leaves_a_big_playlists_squares_as_they_are_drawn(qtbot):
    """Set again, 30,000 squares took pyqtgraph 60 ms at each click; unchanged, they stay."""
    view, _tools, ids = _map(qtbot, 2_000)
    view.set_highlight(ids[::2], "Half")
    before = np.stack(view._highlight.getData(), axis=1)
    drawn: list[int] = []
    set_data = view._highlight.setData
    view._highlight.setData = lambda *a, **k: (drawn.append(1), set_data(*a, **k))[1]
    view.set_selection(11, graph_ids=range(2, 8), audio_ids=range(8, 14))
    view.set_selection(13)
    assert drawn == []
    np.testing.assert_array_equal(np.stack(view._highlight.getData(), axis=1), before)
    view.set_highlight(ids[::3], "A third")  # another playlist: drawn
    assert drawn and len(view._highlight.getData()[0]) == len(ids[::3])


def test_a_selection_cleared_hides_the_name_and_its_line(qtbot):
    view, _tools, ids = _map(qtbot, 300)
    view.set_highlight(ids[:200], "Some")
    view.set_selection(150, graph_ids=range(2, 8))
    view.set_selection(None)
    assert not view._label.isVisible()
    line = map_name._leader(view).getData()[0]
    assert line is None or len(line) == 0


def _line_events(action) -> int:
    """How many lines of the map's own modules ``action`` runs (a loop's each time round)."""
    count = [0]

    def local(frame, event, _arg):
        count[0] += event == "line"
        return local

    def calls(frame, _event, _arg):
        return local if frame.f_code.co_filename.endswith(OWN_MODULES) else None

    sys.settrace(calls)
    try:
        action()
    finally:
        sys.settrace(None)
    return count[0]


def _select_and_choose_lines(qtbot, count: int) -> tuple[int, int]:
    view, tools, ids = _map(qtbot, count)
    view.set_highlight(ids[: count // 2], "Half")
    tools.show_matches(ids[:30])
    select = _line_events(lambda: view.set_selection(
        int(ids[count // 4]), graph_ids=ids[10:20], audio_ids=ids[20:30]))
    view.set_highlight(ids[:10], "Ten")
    choose = _line_events(lambda: view.set_highlight(ids, "Everything"))
    return select, choose


def test_no_line_of_the_maps_code_runs_once_per_square(qtbot):
    small = _select_and_choose_lines(qtbot, 2_000)  # more marks than are ever laid out
    big = _select_and_choose_lines(qtbot, 30_000)
    for what, few, many in zip(("selecting a track", "choosing the playlist"), small, big):
        assert many < few + 200, \
            f"{what}: {many} lines run beside 30,000 squares, {few} beside 2,000"


# -- the same results as the loops they replace ----------------------------------------------
def _marked_by_loop(own, ring_ids, ring_xy, square_ids, square_xy):
    seen = {own} if own is not None else set()
    ids, xy = [], []
    for tid, p in list(zip(ring_ids, ring_xy)) + list(zip(square_ids, square_xy)):
        if tid not in seen:
            seen.add(tid)
            ids.append(tid)
            xy.append(p)
    return np.asarray(ids, np.int64), np.asarray(xy, float).reshape(-1, 2)


def _cases(seed: int = 5):
    rng = np.random.default_rng(seed)
    for _ in range(200):
        squares = rng.integers(1, 40, int(rng.integers(0, 30)))  # a track twice, at times
        rings = rng.choice(np.arange(1, 60), int(rng.integers(0, 8)), replace=False)
        where = {int(t): rng.normal(size=2) for t in range(1, 60)}
        own = [None, *rings, *squares][int(rng.integers(0, 1 + len(rings) + len(squares)))]
        drawn = {int(t): rng.normal(size=2) for t in rng.choice(np.arange(1, 60), 6)
                 } if rng.random() < 0.6 else {}
        yield (own, rings, np.array([where[int(t)] for t in rings]).reshape(-1, 2), squares,
               np.array([where[int(t)] for t in squares]).reshape(-1, 2), drawn)


def test_marked_tracks_are_those_the_loop_found():
    for own, rings, ring_xy, squares, square_xy, _drawn in _cases():
        ids, xy = marked_tracks(own, np.concatenate([rings, squares]),
                                np.concatenate([ring_xy, square_xy]))
        want_ids, want_xy = _marked_by_loop(own, rings.tolist(), ring_xy, squares.tolist(),
                                            square_xy)
        assert ids.tolist() == want_ids.tolist()
        np.testing.assert_array_equal(xy, want_xy)


def test_squares_are_drawn_where_the_loop_drew_them():
    for own, _rings, _ring_xy, squares, square_xy, drawn in _cases(6):
        want = np.asarray([drawn.get(t, p) for t, p in zip(squares.tolist(), square_xy)],
                          float).reshape(-1, 2)
        np.testing.assert_array_equal(drawn_at(squares, square_xy, drawn), want)
        places = PlacesOnce()
        for _ in range(2):  # listed once, then copied
            assert places.but(squares, square_xy, own) == [
                tuple(map(float, p)) for t, p in zip(squares.tolist(), square_xy) if t != own]


def test_a_playlists_rows_are_those_looked_up_one_by_one():
    rng = np.random.default_rng(8)
    for _ in range(100):
        on_map = rng.permutation(np.arange(1, 80))[: int(rng.integers(0, 60))]
        wanted = rng.integers(0, 100, int(rng.integers(0, 50)))  # some twice, some not there
        row_of = {int(t): i for i, t in enumerate(on_map)}
        assert rows_on_map(on_map, wanted).tolist() == \
            [row_of[t] for t in wanted.tolist() if t in row_of]


@pytest.mark.parametrize("count", [60, 2_000])
def test_the_windows_marks_are_those_the_loops_made(qtbot, count):
    """On a map (``count`` tracks, a playlist holding some twice and the selected track's
    neighbours, laid out in fans or not), what the marks draw and tell the name to avoid."""
    view, tools, ids = _map(qtbot, count, seed=count)
    xy = view.xy
    playlist = np.concatenate([ids[3: count // 3], ids[5:9]])
    view.set_highlight(playlist, "Some")
    tools.show_matches(ids[:12])
    for selected in (4, int(ids[-1])):
        view.set_selection(selected, graph_ids=range(2, 8), audio_ids=range(6, 12))
        marks = view.marks
        rings = marks._ring_spots
        want_ids, want_xy = _marked_by_loop(
            selected, [s["data"] for s in rings], [s["pos"] for s in rings],
            marks._square_ids.tolist(), marks._square_xy)
        ids_now, xy_now = marks._marked()
        assert ids_now.tolist() == want_ids.tolist()
        np.testing.assert_array_equal(xy_now, want_xy)
        squares = np.asarray([marks.drawn.get(t, p) for t, p in zip(
            marks._square_ids.tolist(), marks._square_xy)], float).reshape(-1, 2)
        shown = np.stack([view._highlight.data["x"], view._highlight.data["y"]], axis=1)
        np.testing.assert_allclose(shown, squares, rtol=0, atol=1e-6)
        ring_places = [tuple(map(float, marks.drawn.get(s["data"], s["pos"]))) for s in rings]
        square_places = [tuple(map(float, p)) for t, p in zip(marks._square_ids.tolist(),
                                                              squares) if t != selected]
        assert marks.mark_places()[:len(rings) + len(square_places)] == \
            ring_places + square_places
        matched = np.isin(ids[:12], want_ids)
        rings_at = np.stack(tools._match_fan.rings.getData(), axis=1)
        for i in np.flatnonzero(matched):  # a match round its mark, wherever that is drawn
            np.testing.assert_allclose(rings_at[i], marks.drawn.get(int(ids[i]), xy[i]),
                                       atol=1e-5)
    assert len(marks.drawn) or count > 400, "the small map fans some marks out"
    view._place_label()
    assert view._label.isVisible() and QPointF(view._label.pos()) != QPointF(0, 0)


def test_squares_of_one_style_are_drawn_as_pyqtgraph_draws_them(qtbot):
    """The playlist's squares, their images found once for all: the same picture, and spots
    given a style of their own (sizes here) still drawn in it."""
    xy = np.random.default_rng(9).normal(size=(800, 2))
    pictures = []
    for make in (pg.ScatterPlotItem, OneStyleScatter):
        plot = pg.PlotWidget(background="#1d1f27")
        qtbot.addWidget(plot)
        plot.resize(300, 300)
        plot.show()
        qtbot.waitExposed(plot)
        item = make(pxMode=True, size=8, symbol="s", pen=pg.mkPen("#ffd54a", width=2),
                    brush=pg.mkBrush("#ffd54a40"))
        plot.addItem(item)
        item.setData(pos=xy[:5], size=6)
        item.setData(pos=xy, size=7)
        item.addPoints(pos=xy[:40] + 0.5, size=[12, 4] * 20)
        plot.setXRange(-3, 3, padding=0), plot.setYRange(-3, 3, padding=0)
        pictures.append((item.data["sourceRect"].copy(), plot.grab().toImage()))
    assert (pictures[0][0] == pictures[1][0]).all()
    assert pictures[0][1] == pictures[1][1]


def _near_colour(image, at: QPointF, colour, reach: int = 7) -> int:
    from PySide6.QtGui import QColor

    want = QColor(colour)
    return sum(1 for dx in range(-reach, reach + 1) for dy in range(-reach, reach + 1)
               if sum(abs(a - b) for a, b in zip(
                   image.pixelColor(int(at.x()) + dx, int(at.y()) + dy).getRgb()[:3],
                   want.getRgb()[:3])) < 40)


def test_a_neighbours_ring_shows_over_a_playlist_covering_the_map(qtbot):
    """A 30,000-track playlist's squares covered the whole map, over the selection's rings:
    no neighbour of the selected track could be seen. Squares beyond the few the layout
    fans out now go under the rings (a few still go over them, as before)."""
    from musicsage.gui.map_marks import AUDIO_COLOUR

    view, _tools, ids = _map(qtbot, 3_000)
    view.set_highlight(ids, "Everything")
    view.set_selection(1, audio_ids=range(2, 12))
    qtbot.wait(30)
    image = view.plot.grab().toImage()
    shown = [_near_colour(image, view.plot.mapFromScene(view.view.mapViewToScene(
        QPointF(*map(float, s["pos"])))), AUDIO_COLOUR) for s in view.marks._ring_spots]
    assert min(shown) > 6, f"pixels of each ring's colour: {shown}"
    assert view._highlight.zValue() < view._neigh_halo.zValue()
    view.set_highlight(ids[1:12], "Eleven")
    assert view._highlight.zValue() > view._neigh.zValue()
