"""Every kind of mark on the map is told apart and named in the key under it; the queue's
numbers line up (a readability review at 1024x640)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor

from gui_support import shown_map
from musicsage.gui.map_marks import AUDIO_COLOUR, BOTH_COLOUR, GRAPH_COLOUR, HIGHLIGHT_COLOUR
from musicsage.gui.map_view import Colouring


def _hue_gap(a: str, b: str) -> float:
    gap = abs(QColor(a).hueF() - QColor(b).hueF()) * 360
    return min(gap, 360 - gap)


@pytest.fixture
def mapped(qtbot):
    """A map the size of a 1024x640 window's, with its tools, a selection and neighbours."""
    view, tools = shown_map(qtbot, 350, 530)
    n = 60
    xy = np.random.default_rng(3).uniform(0, 10, (n, 2)).astype(np.float32)
    view.set_points(np.arange(1, n + 1), xy, [f"t{i}" for i in range(n)],
                    Colouring(np.arange(n) % 5, [f"genre {i}" for i in range(5)]))
    view.set_selection(1, [2, 3], [3, 4])
    qtbot.wait(20)
    return view, tools, xy


def test_a_highlighted_playlist_is_not_drawn_like_the_neighbours(mapped):
    """A playlist's tracks had pale-yellow rings beside the graph model's amber rings: a
    user could not tell them apart. They are squares now, of a hue far from every ring's."""
    view, _tools, _xy = mapped
    view.set_highlight([5, 6, 7], "Berlin Sunday Coffee")
    item = view._highlight
    assert len(item.data) == 3 and item.opts["symbol"] == "s", "squares, not rings"
    assert {s for s in view._neigh.data["symbol"]} == {"o"}
    colour = item.opts["pen"].color().name()
    for ring in (GRAPH_COLOUR, AUDIO_COLOUR, BOTH_COLOUR):
        assert _hue_gap(colour, ring) >= 40, ring
    assert colour == HIGHLIGHT_COLOUR and QColor(colour).lightnessF() >= 0.6, "on a dark map"


def test_the_key_names_each_mark_while_it_is_on_the_map(mapped):
    """The key listed selected / graph model / audio only / both, and nothing for the
    highlighted playlist, the search's green rings or a region's white marks."""
    view, tools, _xy = mapped
    key = view.selection_key
    assert "playlist" not in key.text() and "search" not in key.text()
    view.set_highlight([5, 6, 7], "Berlin Sunday Coffee")
    assert "playlist&nbsp;‘Berlin&nbsp;Sunday&nbsp;Coffee’" in key.text()
    tools.show_matches([8, 9])
    tools.show_region([10, 11, 12])
    assert "search&nbsp;matches" in key.text() and "region" in key.text()
    view.set_highlight([])
    tools.show_matches([])
    tools.show_region([])
    assert not any(w in key.text() for w in ("playlist", "search", "region"))
    view.set_selection(None)
    assert not key.isVisible()
    view.set_highlight([5], "Best of 2000")  # a playlist alone: the key says what it is
    assert key.isVisible() and "Best&nbsp;of&nbsp;2000" in key.text()
    assert "graph&nbsp;model" not in key.text()


def test_a_longer_key_stays_clear_of_the_points_and_the_other_overlays(qtbot, mapped):
    """With a playlist, search matches and a region the key takes two lines on a 1024x640
    window's map: it stays inside the map, the region bar goes above it, nothing overlaps
    and no point is left under it."""
    view, tools, xy = mapped
    one_line = view.selection_key.height()
    view.set_highlight([5, 6, 7], "Berlin Sunday Coffee")
    tools.show_matches([8, 9])
    tools.show_region([10, 11, 12])
    qtbot.wait(20)
    key = view.selection_key
    assert key.height() > one_line, "wrapped: more entries than one line holds"
    overlays = {"key": key, "legend": view.legend, "tools": tools.toolbar,
                "region bar": tools.region_bar}
    assert all(w.isVisible() for w in overlays.values())
    assert view.rect().contains(key.geometry())
    names = list(overlays)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not overlays[a].geometry().intersects(overlays[b].geometry()), (a, b)
    from PySide6.QtCore import QPointF

    for x, y in xy:
        p = view.plot.mapTo(view, view.plot.mapFromScene(view.view.mapViewToScene(QPointF(x, y))))
        assert not key.geometry().contains(p), (x, y)


def _ink_right(image, row: QRect) -> int:
    """The rightmost column of a row with dark (text) pixels."""
    for x in range(row.right(), row.left(), -1):
        if any(QColor(image.pixel(x, y)).lightness() < 110 for y in range(row.top(), row.bottom())):
            return x
    return -1


def test_the_queues_numbers_line_up(qtbot):
    """"9." and "10." started in the same column, so the titles after them did not: the
    numbers are right-aligned in a column of their own and every title starts in one column."""
    from musicsage.gui.queue_panel import QueuePanel

    panel = QueuePanel()
    qtbot.addWidget(panel)
    panel.resize(420, 420)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_queue(["Same Title — Same Artist"] * 12, 0, "Picked tracks", "", "close")
    qtbot.wait(20)
    lst = panel.list
    image = lst.viewport().grab().toImage()
    ends = {i: _ink_right(image, lst.visualItemRect(lst.item(i))) for i in range(1, 12)}
    assert len(set(ends.values())) == 1, ends
    assert lst.item(9).text().startswith("    10. Same Title")  # the text itself is unchanged


def _marks_seen(view, track_ids, colour: str, *, least: int = 12) -> list[int]:
    """Of ``track_ids``, those around whose point the map shows at least ``least`` pixels of
    ``colour`` (a mark's outline, as the user sees it)."""
    from PySide6.QtCore import QPointF

    image = view.plot.grab().toImage()
    want = QColor(colour)
    seen = []
    for tid in track_ids:
        x, y = map(float, view.positions_of([tid])[0])
        p = view.plot.mapFromScene(view.view.mapViewToScene(QPointF(x, y)))
        hits = sum(1 for dx in range(-13, 14) for dy in range(-13, 14)
                   if _close(image.pixelColor(p.x() + dx, p.y() + dy), want))
        if hits >= least:
            seen.append(tid)
    return seen


def _close(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 40


def test_playlist_squares_and_search_rings_stay_visible_over_the_neighbours(qtbot):
    """A playlist of 6 showed 2 squares once a track was clicked, and 10 search matches
    showed 3 rings: the neighbours' rings and their dark rims were drawn over them. Every
    mark shows now, whatever else the track is: neighbour, playlist member, search match."""
    from musicsage.gui.map_marks import MARK_Z, MATCH_COLOUR

    view, tools = shown_map(qtbot, 420, 420)
    n = 40
    xy = np.array([(i % 8, i // 8) for i in range(n)], np.float32)  # a grid, points apart
    angles = np.arange(8) * np.pi / 4  # a cluster: 8 tracks around the first, 20 px away
    xy[1:9] = xy[0] + 0.45 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    xy[0] += (3.5, 3.5)
    xy[1:9] += (3.5, 3.5)
    ids = np.arange(1, n + 1)
    view.set_points(ids, xy, [f"t{i}" for i in ids])
    playlist, matches = [2, 3, 4, 5, 6, 20], [4, 5, 6, 7, 8, 9, 10, 21, 22, 23]
    view.set_highlight(playlist, "Chill")
    tools.show_matches(matches)
    view.set_selection(1, [2, 3, 4, 5], [5, 6, 7, 8, 9])  # a track of the cluster clicked
    tools.show_neighbour_lines(1, [2, 3, 4, 5], [5, 6, 7, 8, 9])
    qtbot.wait(50)
    assert _marks_seen(view, playlist, HIGHLIGHT_COLOUR) == playlist
    assert _marks_seen(view, matches, MATCH_COLOUR) == matches
    assert _marks_seen(view, [2, 3, 4], GRAPH_COLOUR) == [2, 3, 4], "the rings show too"
    neighbours = max(view._neigh.zValue(), view._neigh_halo.zValue())
    assert min(view._highlight.zValue(), tools._matches.zValue()) > neighbours
    assert view._query.zValue() == max(MARK_Z[k] for k in MARK_Z if k != "outline")
