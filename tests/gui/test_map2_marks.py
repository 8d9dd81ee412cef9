"""A GUI audit of the map at 1400x900 (the demo, a track selected): its 8 "both" rings lay 7
to 12 px apart around its disc, too far apart to count as a stack (6 px) yet crossing each
other and the disc, one magenta tangle. Marks now fan out wherever they overlap on screen.
With it: the key's words and the lines to the neighbours, the name's place, the search's
and the region's marks, the plain map's grey and the playlist legend's note."""

from __future__ import annotations

import colorsys
import itertools

import numpy as np
from PySide6.QtCore import QPointF, QRect
from PySide6.QtGui import QColor

from gui_support import shown_map
from musicsage.controllers.colouring import playlist_footnote
from musicsage.controllers.map_tools import map_key_entries
from musicsage.gui.map_marks import (KEY_MARKS, MATCH_COLOUR, MATCH_RIM, label_spot, mark_size,
                                     selection_key_text)
from musicsage.gui.map_view import PALETTE, PLAIN_COLOUR, Colouring

SPOT = np.array([5.0, 5.0])
RING_WIDTH = mark_size("neighbours", 10) + 2.5  # a ring on the screen: its size and its pen


def _pixels(view, positions) -> np.ndarray:
    points = [view.plot.mapFromScene(view.view.mapViewToScene(QPointF(float(x), float(y))))
              for x, y in positions]
    return np.array([(p.x(), p.y()) for p in points], float)


def _drawn(item) -> np.ndarray:
    return np.stack([item.data["x"], item.data["y"]], axis=1).astype(float)


def _ringed_map(view, apart_px: float) -> list[int]:
    """Track 1 at :data:`SPOT`, tracks 2..9 on a circle ``apart_px`` screen pixels around it
    (neighbouring rings about 0.77 of that apart), far tracks making the map's extent; the
    neighbours' ids."""
    far = np.array([[0, 0], [10, 0], [0, 10], [10, 10], [2, 8], [8, 2]], np.float32)
    titles = [f"t{i}" for i in range(1, 16)]
    xy = np.vstack([[SPOT], np.repeat([SPOT], 8, axis=0), far]).astype(np.float32)
    view.set_points(np.arange(1, 16), xy, titles)
    scale = float(view.view.viewPixelSize()[0])
    angles = 2 * np.pi * np.arange(8) / 8
    xy[1:9] = SPOT + apart_px * scale * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    view.set_points(np.arange(1, 16), xy, titles)  # the same extent: the same scale
    return list(range(2, 10))


def _closest(px: np.ndarray) -> float:
    d = np.hypot(px[:, None, 0] - px[None, :, 0], px[:, None, 1] - px[None, :, 1])
    return float(d[~np.eye(len(px), dtype=bool)].min())


def test_rings_that_overlap_fan_out_and_the_layout_follows_a_resize(qtbot):
    """Rings 11 px from the selected track and 8 px from each other (no stack at 6 px, as
    at 1400x900) fan out apart and clear of its disc; the map made three times as wide they
    lie apart on their own tracks again."""
    view = shown_map(qtbot, 420, 420, tools=False)[0]
    neighbours = _ringed_map(view, 11.0)
    view.set_selection(1, both := neighbours, both)
    qtbot.wait(20)
    centre = _pixels(view, [SPOT])[0]
    assert _closest(_pixels(view, view.positions_of(neighbours))) < RING_WIDTH, \
        "the tracks' rings would cross"
    rings = _pixels(view, _drawn(view._neigh))
    assert len(view.marks.drawn) == 8
    assert _closest(rings) >= RING_WIDTH - 0.5, "each ring whole, apart from the others"
    assert np.hypot(*(rings - centre).T).min() >= (15 + RING_WIDTH) / 2 - 0.5, "off the disc"

    view.resize(1260, 1260)
    qtbot.wait(50)
    assert view.marks.drawn == {}, "far enough apart now: each on its own track"
    assert _closest(_pixels(view, _drawn(view._neigh))) >= RING_WIDTH


def test_the_key_names_the_rings_as_the_lists_do_not_and_shows_the_lines():
    """"graph model" named the panel's whole list (its "both" rows included): a ring of that
    colour is a track in the graph list only. The lines drawn to the neighbours (solid,
    dashed) were in no key."""
    assert dict(map_key_entries(True)) == {"selected": "selected", "graph": "graph only",
                                           "audio": "audio only", "both": "both"}
    text = selection_key_text()
    assert "graph&nbsp;only" in text and "graph&nbsp;model" not in text
    graph, audio, both = (KEY_MARKS[k][1] for k in ("graph", "audio", "both"))
    assert graph.startswith("&#9472;") and both.startswith("&#9472;"), "a solid line"
    assert audio.startswith("&#9548;"), "a dashed line"


def test_the_name_goes_beside_its_point_on_the_side_without_other_points():
    """Every place beside the point free of rings, the name took the first (above right),
    over another cluster, with an empty side left of the point."""
    p = QPointF(200, 200)
    cluster = np.array([(x, y) for x in range(212, 330, 8) for y in range(160, 200, 8)], float)
    spot = label_spot(p, 110, 18, 400, 400, [], points=cluster)
    place = QRect(spot.x(), spot.y(), 110, 18)
    assert not any(place.contains(int(x), int(y)) for x, y in cluster)
    assert abs(place.center().x() - p.x()) < 80 and abs(place.center().y() - p.y()) < 40


def _band(image, at: np.ndarray, radii) -> list[list[int]]:
    """The lightness of the pixels at ``radii`` px from ``at``, for each of 48 directions."""
    return [[image.pixelColor(int(round(at[0] + r * np.cos(a))),
                              int(round(at[1] + r * np.sin(a)))).lightness() for r in radii]
            for a in np.linspace(0, 2 * np.pi, 48, endpoint=False)]


def test_search_matches_are_a_white_and_black_double_ring_counted_in_the_key(qtbot):
    """Lime rings were lost on Chiptune's light green and Deep House's olive, and the key
    gave no count as the playlist's entry does."""
    view, tools = shown_map(qtbot, 400, 400)
    xy = np.array([[0, 0], [10, 0], [0, 10], [10, 10]], np.float32)
    view.set_points(np.arange(1, 5), xy, ["a", "b", "c", "d"],
                    Colouring(np.array([8, 10, 8, 10]), [f"c{i}" for i in range(11)]))
    tools.show_matches([1, 2, 3])
    qtbot.wait(20)
    assert "search&nbsp;matches&nbsp;(3)" in view.selection_key.text()
    image = view.plot.grab().toImage()
    for row in (0, 1):  # on the light green and on the olive
        at = _pixels(view, [xy[row]])[0]
        ring = mark_size("matches", 4) / 2
        white = sum(max(b) > 180 for b in _band(image, at, (ring - 1, ring, ring + 1)))
        dark = sum(min(b) < 25 for b in _band(image, at, (ring - 2.5, ring + 2, ring + 2.5)))
        assert white >= 40 and dark >= 40, (row, white, dark)
    assert QColor(MATCH_COLOUR).lightness() - QColor(MATCH_RIM).lightness() > 200


def test_a_region_rings_its_tracks_and_leaves_their_colours(qtbot):
    """A lasso turned its tracks coral (Techno's red beside it): the region is rings now,
    and the bar, the key say "region"."""
    view, tools = shown_map(qtbot, 500, 400)
    xy = np.array([[0, 0], [10, 0], [0, 10], [10, 10]], np.float32)
    view.set_points(np.arange(1, 5), xy, ["a", "b", "c", "d"],
                    Colouring(np.array([4, 4, 0, 0]), [f"c{i}" for i in range(5)]))
    tools.show_region([1, 3])
    qtbot.wait(20)
    image = view.plot.grab().toImage()
    for row, colour in ((0, PALETTE[4]), (2, PALETTE[0])):
        at = _pixels(view, [xy[row]])[0]
        assert image.pixelColor(int(at[0]), int(at[1])) == QColor(colour), row
    assert "in the region" in tools.region_label.text()
    assert "region&nbsp;(2)" in view.selection_key.text()


def test_colour_by_none_draws_neutral_grey_points(qtbot):
    """"None" drew every point in the palette's first colour, Drum & Bass's blue."""
    view = shown_map(qtbot, 300, 300, tools=False)[0]
    view.set_points(np.arange(1, 3), np.array([[0, 0], [10, 10]], np.float32), ["a", "b"])
    qtbot.wait(20)
    at = _pixels(view, [[0, 0]])[0]
    pixel = view.plot.grab().toImage().pixelColor(int(at[0]), int(at[1]))
    assert pixel == QColor(PLAIN_COLOUR) and pixel.name() not in PALETTE
    assert max(pixel.getRgb()[:3]) - min(pixel.getRgb()[:3]) < 24, "grey, no hue"


def test_the_playlist_legend_says_how_a_track_in_several_is_coloured(qtbot):
    """12 of 40 playlists had entries, their sizes summing to more than the tracks, and only
    the tooltip said why."""
    assert playlist_footnote(28) == ["A track in several playlists:",
                                     "the largest one's colour.", "28 more playlists: no colour."]
    assert len(playlist_footnote(0)) == 2
    view = shown_map(qtbot, 600, 500, tools=False)[0]
    view.set_points(np.arange(1, 5), np.array([[0, 0], [10, 0], [0, 10], [10, 10]], np.float32),
                    list("abcd"), Colouring(np.array([0, 1, 1, -1]), ["Mix A", "Mix B"],
                                            "28 other playlists or none", counts=[3, 2],
                                            footnote=playlist_footnote(28)))
    text = view.legend.text()
    assert "the largest one&#x27;s colour." in text or "the largest one's colour." in text
    assert "28 more playlists: no colour." in text
    assert view.legend.rows == 3, "two playlists and the grey entry: the note is no entry"


def test_no_two_palette_colours_share_a_hue_at_one_strength():
    """"Best of Ambient" (teal) and "Energy" (cyan) side by side could not be told apart:
    colours of hues within 20 degrees differ in saturation or brightness by a quarter."""
    for a, b in itertools.combinations(PALETTE, 2):
        ha, sa, va = colorsys.rgb_to_hsv(*QColor(a).getRgbF()[:3])
        hb, sb, vb = colorsys.rgb_to_hsv(*QColor(b).getRgbF()[:3])
        hue = min(abs(ha - hb), 1 - abs(ha - hb)) * 360
        assert hue >= 20 or max(abs(sa - sb), abs(va - vb)) >= 0.25, (a, b)
