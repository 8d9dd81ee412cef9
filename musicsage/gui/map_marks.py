"""What the map draws over its points, apart from the points: the selection's colours, its
neighbours as rings, the key to every kind of mark (rings, a playlist's squares, search
matches, a region), the selected track's name and where that name and the
fitted points go so that the overlays (legend, tools, key) do not hide them.

A module of its own so that :mod:`musicsage.gui.map_view` keeps to the data, the view and
the mouse; everything here is geometry or a small widget, with no state of its own.
"""

from __future__ import annotations

import html
from typing import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtWidgets import QLabel, QWidget

from musicsage.controllers.map_tools import NEIGHBOUR_KEY
from musicsage.gui.map_legend import MapKey, text_padding

POINT_SIZE = 5  # pixels, at library scale; small libraries get bigger dots
QUERY_COLOUR = "#ffffff"
GRAPH_COLOUR = "#ffb000"
AUDIO_COLOUR = "#30d5ff"
BOTH_COLOUR = "#ff4fd8"
HIGHLIGHT_COLOUR = "#b48cff"
"""A highlighted playlist's squares: violet, far from the rings' amber, cyan and magenta (a
pale yellow next to the graph model's amber rings could not be told from them), drawn at
full strength over the dimmed points of any colouring."""
MATCH_COLOUR = "#ffffff"
MATCH_RIM = "#000000"
"""A search match: a white ring over a black one, a double ring no legend colour can hide
(lime, it was lost on Chiptune's light green and Deep House's olive)."""
REGION_COLOUR = "#9b30ff"
"""A region's rims: an electric purple, 50 CIE76 and more from every legend colour and every
other mark's (coral was 16 from Techno's red), saturated, unlike the selected track's white
disc. A rim 1.5 px wide *under* each point (:data:`MARK_EXTRA`), not a ring over it: coral
rings over a dense cluster on a small map (the training dock open, a 1024-wide window)
overlapped into one coral blob, the genres' colours gone; under the points, every point
keeps its own colour at any zoom and the rims show in the gaps and round the region's
edge."""
RING_PEN = 2.5
"""A neighbour's ring's line (px): it widens the ring by as much (:mod:`map_stacks`)."""
RING = "&#9711;"  # a neighbour in the selection key: a ring, as on the map (categories: discs)
LINE, DASHES = "&#9472;", "&#9548;"  # the line from the selected track, solid or dashed
KEY_MARKS = {"selected": (QUERY_COLOUR, "&#9679;"), "graph": (GRAPH_COLOUR, LINE + RING),
             "audio": (AUDIO_COLOUR, DASHES + RING), "both": (BOTH_COLOUR, LINE + RING),
             "playlist": (HIGHLIGHT_COLOUR, "&#9633;"), "matches": (MATCH_COLOUR, "&#9678;"),
             "region": (REGION_COLOUR, "&#9675;")}
"""Each kind of mark (:func:`musicsage.controllers.map_tools.map_key_entries`): its colour and
the glyph of its shape on the map — a disc, a ring, a square (a playlist), a double ring (a
search match), a thin ring (a region: its tracks' colours left to see). A neighbour's ring comes with the line drawn to it from the selected track, solid
or dashed as on the map: the lines were in no key."""
KEY_MARK = '<span style="color:{}; font-size:14px;">{}</span>&nbsp;{}'
KEY_GAP = " "
"""Between the key's entries: a line may break here (on a map too narrow for one line),
never inside an entry. One space, as between words: each entry starts with its coloured
mark, which sets it apart; with two, "both" went to a second line on a 1024x640 window."""


MARK_Z = {"points": 1, "lines": 8, "leaders": 8.5, "halo": 9, "neighbours": 10, "region": 11,
          "fanned halo": 11.4, "fanned": 11.5, "playlist": 12, "matches rim": 12.9, "matches": 13, "badge": 13.5,
          "selected": 14, "outline": 15}
"""The order the map's layers are drawn in, bottom to top. The sparse marks — a playlist's
squares, the search's rings, a region — go over the neighbours' rings and their dark rims:
under them, the rim of a ring (5.5 px wide, 11 px out) hid the squares and search rings of
the neighbours and of the tracks beside them (a playlist of 6 showed 2 squares once a track
was clicked; 10 search matches showed 3 rings). Each mark is of its own size, so that a
track that is several things at once shows each of them (see :func:`mark_size`). The
selected track's disc stays on top, its own square's corners showing around it. Rings
fanned out of a stack (gui/map_stacks.py) are drawn again over a region's discs (drawn away
from their track, they hide no mark of its own); their leader lines go under every mark, and
a stack's count under the selected disc, which it never reaches. A playlist of more squares
than are laid out (``LAYOUT_MOST`` of gui/map_stacks.py, 400) is the exception: its squares
go under the selection's lines and every ring (just below ``"lines"``), since over them a
playlist covering the map hid every neighbour's ring."""
MARK_EXTRA = {"region": 3, "playlist": 5, "neighbours": 8, "matches": 13}
"""How much wider (px) than a point each mark is: a region's disc and a playlist's square
inside a neighbour's ring, the search's ring outside it (on the demo's map: the square 6 to
8 px out from the point's centre, the neighbour's ring 7 to 10, the search's 10 to 12)."""


def mark_size(kind: str, n: int) -> int:
    """The size (px) of a ``kind`` mark (a key of :data:`MARK_EXTRA`) on a map of ``n``
    points."""
    return point_size(n) + MARK_EXTRA[kind]


def point_size(n: int) -> int:
    return 9 if n < 1_000 else 7 if n < 5_000 else POINT_SIZE


def selection_key_text(entries=NEIGHBOUR_KEY) -> str:
    """The key's rich text for ``entries`` ((kind, words), the selection's by default): each
    entry's mark and words held together."""
    return KEY_GAP.join(KEY_MARK.format(*KEY_MARKS[kind],
                                        html.escape(words).replace(" ", "&nbsp;"))
                        for kind, words in entries)


def make_selection_key(parent: QWidget) -> MapKey:
    """The key to the marks on the map (hidden), listing the selection's marks. Its font is
    the legend's (a little smaller than the window's): in the window's, the key was wider
    than the map of a 1024x640 window and wrapped. On a small map it folds (:class:`MapKey`)."""
    key = MapKey(parent)
    key.setText(selection_key_text())
    key.hide()
    return key


def make_message_label(parent: QWidget) -> QLabel:
    """The words over the map ("Computing the map…"): only words, which the mouse goes
    through. Over all of the map but a 40-px margin, the label took every click, hover and
    wheel turn: the points under it, still drawn, could not be picked for minutes."""
    label = QLabel(parent)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet("color: #d8d8d8; background: transparent; font-size: 15px;")
    label.setWordWrap(True)
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    return label


def make_name_label(parent: QWidget) -> QLabel:
    """The selected track's name: a child of the map, not of the plot, so that it can be
    raised over the legend and the tools (under them, it was hidden on a small map)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)  # a track's title is text
    label.setStyleSheet("QLabel { color: white; background: rgba(0, 0, 0, 170);"
                        " border-radius: 3px; padding: 1px 5px; }")
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    label.hide()
    return label


def fit_name(label: QLabel, text: str, width: int) -> None:
    """Show ``text`` in ``label``, shortened in the middle so that the label is no wider than
    ``width`` px (40 px of text at least). Its padding and frame are measured on the whole
    name (:func:`text_padding`): guessed, 12 px where they take 17, at 800x500 long names came
    out 1 to 5 px wider than the map's room, too wide for every place beside the point, and
    the name went straight under it, over its rings. Measured on the whole name, they round a
    px more or less than on the shortened one, and a px can hold two letters in the middle:
    the name is shortened to a px more than measured, then by what the label overshoots,
    until it fits (Qt's shortening measures a few px short now and then: three tries left
    some labels 1 px too wide)."""
    label.setText(text)
    metrics, room = label.fontMetrics(), width - text_padding(label) + 1
    while True:  # the room shrinks each time round, down to the 40 px
        label.setText(metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, max(room, 40)))
        label.adjustSize()
        if label.width() <= width or room <= 40:
            return
        room -= label.width() - width


def neighbour_rings(xy: np.ndarray, row_of: dict[int, int], selected: int,
                    graph_ids: set[int], audio_ids: set[int]) -> list[dict]:
    """One ring spot per neighbour on the map, coloured by the list(s) it is in: a ring
    around the track's own dot, since the category colours are filled discs, a ring never
    reads as one of them, whatever its colour. Each spot's ``data`` is its track's id."""
    spots = []
    for tid in graph_ids | audio_ids:
        r = row_of.get(tid)
        if r is None or tid == selected:
            continue
        colour = BOTH_COLOUR if tid in graph_ids and tid in audio_ids else (
            GRAPH_COLOUR if tid in graph_ids else AUDIO_COLOUR)
        spots.append({"pos": xy[r], "size": mark_size("neighbours", len(xy)),
                      "pen": pg.mkPen(colour, width=RING_PEN), "brush": pg.mkBrush(None),
                      "symbol": "o", "data": tid})
    return spots


NAME_GAP_LINES = 4
"""How far from its point (in the name's heights) the selected name may go to keep off the
rings, beyond a fan of them: at 1024x700 it went 3 heights up, past the fan and over another
cluster, far from its point; on a small map, rings fanned out on arcs from a corner took it
6 heights away. Farther, it goes beside its point over the fewest rings, on its backing."""


def label_spot(p: QPointF, w: int, h: int, area_w: int, area_h: int,
               covered: list[QRect], rings: "Sequence[QPoint | QPointF] | np.ndarray" = (),
               ring_radius: float = 0.0, fan: float = 0.0,
               points: np.ndarray | None = None) -> QPoint:
    """Where a ``w`` × ``h`` name for the point at ``p`` goes: a place inside the
    ``area_w`` × ``area_h`` map clear of ``covered`` (the overlays), from the first tier of
    :func:`label_places` that has one. Beside the point, or slid above or below it, the one
    that hides the fewest ringed neighbours and playlist squares (``rings``: their centres;
    ``ring_radius``: how far a ring reaches), the first in order of those: the name used to
    take the first clear place even when it lay over the rings the user looks at beside it
    (and, once it kept off them, over a highlighted playlist's squares). Away from the point,
    the nearest that leaves the point in view. None clear: the place that covers the least
    of the overlays, points rather than controls (on a 223-px map with no room on either
    side of its point, the name went over the folded key button). None inside: kept in the
    map. ``fan``: how far rings fanned out around the point reach (:mod:`map_stacks`);
    beside it means beyond them too. A place that hides rings gives way to the nearest clear
    one that hides none, if any, just above or below the rings included: on a narrow map
    (or among rings too close to fan out) every place beside the point hid some, and the
    name lay across the rings with room for it above them. Then, the one over the fewest
    ``points`` (px, [n, 2]): it went over a cluster with an empty side beside its fan."""
    def inside(spots) -> list[QRect]:
        return [s for s in spots if s.left() >= 4 and s.top() >= 4
                and s.right() + 1 <= area_w - 4 and s.bottom() + 1 <= area_h - 4]

    tiers = [inside(tier) for tier in label_places(p, w, h, area_w, area_h, covered,
                                                   fan + ring_radius + 2 if fan else 0.0)]
    if not any(tiers):
        return QPoint(int(max(4, min(p.x() + 10, area_w - 4 - w))), int(max(4, p.y() + 10)))
    reach = int(round(ring_radius))
    point = QRect(int(p.x()) - 4, int(p.y()) - 4, 9, 9)  # the selected disc, but its rim
    rings, known = ring_pixels(rings), {}  # each place's count, by its corner and size

    def hidden(spot: QRect) -> tuple[bool, int, int]:  # counted once a place (30,000 rings)
        key = (spot.left(), spot.top(), spot.width(), spot.height())
        if key not in known:
            known[key] = (spot.intersects(point), rings_near(rings, spot, reach),
                          points_under(spot, points))
        return known[key]

    def over_controls(spot: QRect) -> int:
        return sum(part.width() * part.height()
                   for part in (spot.intersected(box) for box in covered))

    def clear(spots: list[QRect]) -> list[QRect]:
        return [s for s in spots if not any(s.intersects(box) for box in covered)]

    for number, tier in enumerate(tiers):
        if not (places := clear(tier)):
            continue
        if number == len(tiers) - 1:  # away from the point: the nearest
            best = next((s for s in places if not hidden(s)[0]), places[0])
        else:
            best = min(places, key=lambda s: (gap(s, p) > NAME_GAP_LINES * h, *hidden(s)))
        if hidden(best)[1]:  # over rings: the nearest clear place over none, if any
            best = next((s for s in ring_free_places(p, w, h, area_w, area_h, sum(tiers, []),
                                                     rings, reach) if not s.intersects(point)
                         and clear([s]) and gap(s, p) <= NAME_GAP_LINES * h), best)
        return best.topLeft()
    return min((s for tier in tiers for s in tier),
               key=lambda s: (over_controls(s), *hidden(s))).topLeft()


def gap(spot: QRect, p: QPointF) -> float:
    """How far (px) ``spot`` lies from the point at ``p`` (0: over it)."""
    dx = max(spot.left() - p.x(), 0.0, p.x() - spot.right())
    dy = max(spot.top() - p.y(), 0.0, p.y() - spot.bottom())
    return float(np.hypot(dx, dy))


def points_under(spot: QRect, points: np.ndarray | None) -> int:
    """How many of ``points`` (px, [n, 2]; None: none) lie in ``spot``."""
    if points is None or not len(points):
        return 0
    x, y = points[:, 0], points[:, 1]
    return int(((x >= spot.left()) & (x <= spot.right())
                & (y >= spot.top()) & (y <= spot.bottom())).sum())


def ring_pixels(rings: "Sequence[QPoint | QPointF] | np.ndarray") -> np.ndarray:
    """``rings`` (centres, px) as an [n, 2] array of whole px, cut as ``int()`` cuts them."""
    if isinstance(rings, np.ndarray):
        return np.trunc(rings).astype(int).reshape(-1, 2)
    return np.array([(int(r.x()), int(r.y())) for r in rings], int).reshape(-1, 2)


def rings_near(at: np.ndarray, spot: QRect, reach: int) -> int:
    """How many rings (centres ``at``, [n, 2] px) lie in ``spot`` or within ``reach`` px of
    it: those a name there would hide."""
    x, y = at[:, 0], at[:, 1]
    return int(((x >= spot.left() - reach) & (x <= spot.right() + reach)
                & (y >= spot.top() - reach) & (y <= spot.bottom() + reach)).sum())


def ring_free_places(p: QPointF, w: int, h: int, area_w: int, area_h: int,
                     spots: list[QRect], rings: "Sequence[QPoint | QPointF] | np.ndarray",
                     reach: int) -> list[QRect]:
    """Of ``spots`` and of the places just above and just below each of ``rings`` (their
    centres; ``reach``: how far a ring reaches), over the point at ``p`` or beside it, those
    inside the ``area_w`` × ``area_h`` map that hide no ring as :func:`label_spot` counts,
    nearest ``p`` first: at once, for the thousands of places beside 400 rings (and, counted
    on a table of sums, beside a 30,000-track playlist's squares)."""
    at = ring_pixels(rings)
    lefts = sorted(x for x in _columns(p, w, area_w) if x + w <= area_w - 4)
    rows = np.unique(np.concatenate([at[:, 1] - reach - h - 1, at[:, 1] + reach + 2]))
    rows = rows[(rows >= 4) & (rows + h <= area_h - 4)]
    corners = np.concatenate([np.stack(np.meshgrid(lefts, rows), -1).reshape(-1, 2),
                              np.array([(s.left(), s.top()) for s in spots], int)
                              .reshape(-1, 2)])
    over = _rings_over(at, corners, w, h, reach)
    free = corners[~over]
    apart = (free[:, 0] + (w - 1) // 2 - p.x()) ** 2 + (free[:, 1] + (h - 1) // 2 - p.y()) ** 2
    return [QRect(int(cx), int(cy), w, h) for cx, cy in free[np.argsort(apart, kind="stable")]]


PAIRS_AT_ONCE = 1_000_000
"""Places × rings compared side by side at most; more (a big playlist's squares: 2,000
places × 30,000 squares held the window 0.8 s) are counted on a table of sums instead."""


def _rings_over(at: np.ndarray, corners: np.ndarray, w: int, h: int, reach: int) -> np.ndarray:
    """For each ``w`` × ``h`` place (top-left ``corners``), whether a ring (centres ``at``)
    lies in it or within ``reach`` px of it."""
    if not len(at) or not len(corners):
        return np.zeros(len(corners), bool)
    lefts, tops = corners[:, 0] - reach, corners[:, 1] - reach
    rights, bottoms = corners[:, 0] + w - 1 + reach, corners[:, 1] + h - 1 + reach
    if len(at) * len(corners) <= PAIRS_AT_ONCE:
        x, y = at[None, :, 0], at[None, :, 1]
        return ((x >= lefts[:, None]) & (x <= rights[:, None])
                & (y >= tops[:, None]) & (y <= bottoms[:, None])).any(axis=1)
    x0, y0 = int(lefts.min()), int(tops.min())
    x1, y1 = int(rights.max()), int(bottoms.max())
    inside = at[(at[:, 0] >= x0) & (at[:, 0] <= x1) & (at[:, 1] >= y0) & (at[:, 1] <= y1)]
    table = np.zeros((y1 - y0 + 2, x1 - x0 + 2), np.int32)  # a zero row and column first
    np.add.at(table, (inside[:, 1] - y0 + 1, inside[:, 0] - x0 + 1), 1)
    table = table.cumsum(0, dtype=np.int32).cumsum(1, dtype=np.int32)
    top, bottom, left, right = tops - y0, bottoms - y0 + 1, lefts - x0, rights - x0 + 1
    return (table[bottom, right] - table[top, right] - table[bottom, left]
            + table[top, left]) > 0


def label_places(p: QPointF, w: int, h: int, area_w: int, area_h: int,
                 covered: list[QRect], fan: float = 0.0) -> list[list[QRect]]:
    """The places a ``w`` × ``h`` name for the point at ``p`` may go, in tiers tried in turn:
    beside the point (above right, above left, below right, below left, straight above or
    below; then, ``fan`` px out where rings are fanned out around it, right or left of them,
    or above or below them, slid into the map if need be); above or below it, slid sideways
    into the ``area_w`` × ``area_h`` map (a map narrower than the point's offset plus the
    name: neither side has room); away from it, along the map's edges and the ``covered``
    boxes' edges, nearest first."""
    xs = (p.x() + 10, p.x() - 10 - w)
    ys = (p.y() - h - 6, p.y() + 10)
    beside = [QRect(int(x), int(y), w, h) for y in ys for x in xs]
    beside += [QRect(int(p.x() - w / 2), int(y), w, h) for y in ys]
    lefts = _columns(p, w, area_w)
    if fan:  # beyond the fan, then above or below it slid into a narrow map
        beside += [QRect(int(x), int(p.y() - h / 2), w, h) for x in (p.x() + fan,
                                                                     p.x() - fan - w)]
        beside += [QRect(x, int(y), w, h) for y in (p.y() - fan - h, p.y() + fan) for x in lefts]
    sliding = [QRect(x, int(y), w, h) for y in ys for x in lefts]
    rows = {4, area_h - 4 - h, *(int(y) for y in ys)}
    rows |= {b.bottom() + 5 for b in covered} | {b.top() - 4 - h for b in covered}
    columns = set(lefts) | {4, area_w - 4 - w}
    columns |= {b.right() + 5 for b in covered} | {b.left() - 4 - w for b in covered}
    away = [QRect(x, y, w, h) for y in rows for x in columns]
    away.sort(key=lambda s: (s.center().x() - p.x()) ** 2 + (s.center().y() - p.y()) ** 2)
    return [beside, sliding, away]


def _columns(p: QPointF, w: int, area_w: int) -> list[int]:
    """The lefts of a ``w``-px name right of the point at ``p``, left of it and over it, each
    slid into the ``area_w``-px map (4 px in): nearest the point first."""
    return sorted({int(max(4, min(x, area_w - 4 - w)))
                   for x in (p.x() + 10, p.x() - 10 - w, p.x() - w / 2)},
                  key=lambda x: abs(x + w / 2 - p.x()))


def free_rect(width: float, height: float, boxes: list[tuple[float, float, float, float]],
              span: np.ndarray, margin: float = 8) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of the part of a ``width`` × ``height`` area, clear of
    ``boxes`` (x, y, w, h), that shows data of ``span`` (dx, dy) the largest.

    The candidates' edges are the area's edges and the boxes' edges (a handful of boxes: a
    few hundred candidates); the whole area when nothing is clear (a tiny map)."""
    lefts = {margin} | {x + w + margin for x, _y, w, _h in boxes}
    tops = {margin} | {y + h + margin for _x, y, _w, h in boxes}
    rights = {width - margin} | {x - margin for x, _y, _w, _h in boxes}
    bottoms = {height - margin} | {y - margin for _x, y, _w, _h in boxes}
    best, best_key = (0.0, 0.0, float(width), float(height)), None
    for left in lefts:
        for right in (r for r in rights if r - left >= 2 * margin):
            for top in tops:
                for bottom in (b for b in bottoms if b - top >= 2 * margin):
                    if any(left < x + w and x < right and top < y + h and y < bottom
                           for x, y, w, h in boxes):
                        continue
                    scale = min((right - left) / span[0], (bottom - top) / span[1])
                    key = (round(scale, 9), (right - left) * (bottom - top))
                    if best_key is None or key > best_key:
                        best, best_key = (left, top, right, bottom), key
    return best
