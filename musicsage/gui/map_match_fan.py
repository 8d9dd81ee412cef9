"""The search's match rings, fanned out where they overlap, as the selection's rings are.

At 1400x900, 7 of the demo's 13 matches of "bristol" lay over one cluster: their white rings
piled into one white tangle over it, no match to be told from another, and every point under
them hidden. Rings that overlap at the current zoom now fan out around the spot they share
(the geometry of :mod:`musicsage.gui.map_stacks` and :mod:`musicsage.gui.map_fans`), clear
of the matches' own points, each with a thin white line back to its track; hovering or
clicking a ring means its track. Zoomed in, the rings go back to their tracks. A pile too big
to fan out (more than :data:`~musicsage.gui.map_stacks.FAN_MOST`) stays in place with its count
beside it, as the selection's does: 30 matches in one spot showed as one ring. A match that
is also a neighbour or a playlist's track keeps its ring round that mark, wherever the
selection's fan draws it (each mark of its own size, :data:`~musicsage.gui.map_marks.MARK_EXTRA`):
two fans of one cluster crossed each other. A module of its own: :mod:`musicsage.gui.map_tools`
is at its size limit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF

from musicsage.gui.map_badges import add_badge, badge_places
from musicsage.gui.map_fans import (corner_inside, crosses_edge, nearest_drawn,
                                    pixel_size, ring_radii)
from musicsage.gui.map_fit import MARGIN
from musicsage.gui.map_marked import drawn_at
from musicsage.gui.map_marks import MARK_Z, free_rect
from musicsage.gui.map_stacks import (FAN_MOST, LAYOUT_MOST, FanPlan, Stack, fan_out,
                                      fanned_part, find_stacks, merge_fans)
from musicsage.text import counted

if TYPE_CHECKING:
    from musicsage.gui.map_view import MapView

RIM_PEN = 4.5
"""The black ring's line under a match's white one (px): it widens the ring by as much."""
LEADER_COLOUR = "#ffffffb0"
"""The line from a fanned-out match ring back to its track: the ring's white, a little faded."""


class MatchFan:
    """Draws the match rings (``rings`` over ``rims``: items of the map's view) where their
    tracks are, or fanned out of the stacks they make at the current zoom, or counted. The
    map's hover and click reach them (its ``fans``), and its selected name keeps off them."""

    def __init__(self, map_view: "MapView", rings: pg.ScatterPlotItem,
                 rims: pg.ScatterPlotItem) -> None:
        view, marks = map_view.view, map_view.marks
        self.view, self.rings, self.rims, self.marks = view, rings, rims, marks
        self.map = map_view
        self._clear: tuple[tuple, tuple[float, float, float, float]] | None = None
        """The last :meth:`_clear_rect`, with what it was measured for."""
        marks.laid_out.append(self.layout)  # a new selection or its new fan: follow it
        map_view.fans.append(self)
        self._place_name = map_view._place_label  # the name avoids the rings where they go
        self.badges: list[tuple[pg.TextItem, str]] = []
        """The counts of the piles left in place, each with its tooltip."""
        self._counted: list[tuple[np.ndarray, float]] = []  # each pile: centre, reach (px)
        self.leaders = pg.PlotCurveItem(pen=pg.mkPen(LEADER_COLOUR, width=1.2), connect="pairs")
        self.leaders.setZValue(MARK_Z["leaders"])
        view.addItem(self.leaders, ignoreBounds=True)
        self._ids = np.zeros(0, np.int64)
        self._xy = np.zeros((0, 2))
        self._size = 0
        self.drawn: dict[int, np.ndarray] = {}
        """Track id → where its ring is drawn (map coordinates), for the rings fanned out."""
        self._scale: np.ndarray | None = None
        self._fans: list[tuple[np.ndarray, float]] = []  # (centre, reach) px, of the layout
        self._at_edge = False
        view.sigTransformChanged.connect(self._on_view_changed)

    def show(self, track_ids: np.ndarray, xy: np.ndarray, size: int) -> None:
        """Ring the tracks ``track_ids`` (at ``xy``) with rings ``size`` px wide."""
        self._ids = np.asarray(track_ids, np.int64)
        self._xy = np.asarray(xy, float).reshape(-1, 2)
        self._size = size
        self.layout()

    def layout(self) -> None:
        """Draw the rings, those that overlap at the current zoom fanned out; those round a
        mark of the selection where that mark is drawn."""
        scale = self._scale = pixel_size(self.view)
        self.drawn, self._fans, self._at_edge = {}, [], False
        piles: list[tuple[np.ndarray, float, int]] = []
        # round a ring or a square (not the disc), where drawn: at once, for 30,000 squares
        own = np.isin(self._ids, self.marks._marked()[0]) if len(self._ids) else \
            np.zeros(0, bool)
        shown = drawn_at(self._ids, self._xy, self.marks.drawn).copy()
        free = np.flatnonzero(~own)
        if scale is not None and 1 < len(free) <= LAYOUT_MOST:
            px = self._xy[free] / scale
            bounds = self._bounds(scale)
            fanned, self._fans, piles = fan_rings(px, self._size + RIM_PEN + 1, bounds)
            shown[free] = fanned * scale
            self._at_edge = any(crosses_edge(c, r, bounds) for c, r in self._fans)
            moved = free[np.hypot(*(fanned - px).T) > 0.5]  # the others: the selection's lines
            self.drawn = {int(self._ids[i]): shown[i] for i in moved}
        for item in (self.rings, self.rims):
            item.setData(pos=shown, size=self._size, data=self._ids)
        pairs = [end for tid, at in self.drawn.items()
                 for end in (at, self._xy[int(np.flatnonzero(self._ids == tid)[0])])]
        self.leaders.setData(*np.asarray(pairs, float).reshape(-1, 2).T)
        self._draw_badges(piles)
        self._place_name()

    def _draw_badges(self, piles: list[tuple[np.ndarray, float, int]]) -> None:
        """The count of each pile left in place (its centre and reach in px, its size)."""
        for badge, _tip in self.badges:
            self.view.removeItem(badge)
        self.badges = [(add_badge(self.view, str(n)), counted(n, "search match", "search matches")
                        + " lie here, too close together to tell apart at this zoom: zoom in"
                        " to see each.") for _centre, _reach, n in piles]
        self._counted = [(centre, reach) for centre, reach, _n in piles]
        self._place_badges()

    def _place_badges(self) -> None:
        """Each count beside its pile, up and right, or where the plot has room (none: the
        plot's clear part not measured again, 100 ms at each new playlist's key)."""
        if self._scale is None or not self.badges:
            return
        s = self._scale
        bounds = self._bounds(s)
        for (badge, _tip), (centre, reach) in zip(self.badges, self._counted):
            box = badge.textItem.boundingRect()  # px: the count ignores the view's scale
            corner = corner_inside(centre, reach, (box.width(), box.height()), bounds)
            badge.setPos(QPointF(*(corner * s)))

    def mark_places(self) -> list[tuple[float, float]]:
        """Where the rings and the counts are drawn (map coordinates): what the selected
        track's name should not hide."""
        x, y = self.rings.getData()
        return [(float(a), float(b)) for a, b in zip(x, y)] + badge_places(self.view, self.badges)

    def tip_at(self, scene_pos: QPointF) -> str | None:
        """The tooltip of the count under ``scene_pos``, if any."""
        return next((tip for badge, tip in self.badges
                     if badge.sceneBoundingRect().contains(scene_pos)), None)

    def _on_view_changed(self, *_args) -> None:
        """A zoom lays the rings out again; a pan too where a fan meets the plot's edge."""
        scale = pixel_size(self.view)
        if not len(self._ids):
            return
        if scale is None or self._scale is None or not np.allclose(scale, self._scale,
                                                                   rtol=1e-3):
            self.layout()
            return
        bounds = self._bounds(scale)
        if self._at_edge or any(crosses_edge(c, r, bounds) for c, r in self._fans):
            self.layout()
        elif self.badges:  # a count kept inside as the map moves
            self._place_badges()

    def _bounds(self, scale: np.ndarray) -> tuple[float, float, float, float]:
        """(x0, x1, y0, y1) in the layout's px (map coordinates over ``scale``): the part of
        the plot in view that the map's fit keeps its points in, clear of the legend, the key
        and the tools; a fan that would cross its edge goes round inside it. Bounded by the
        plot alone, a fan beside the legend was drawn under it."""
        (x0, x1), (y0, y1) = self.view.viewRange()
        left, top, right, bottom = self._clear_rect()
        plot = self.map.plot
        corners = [self.view.mapSceneToView(plot.mapToScene(plot.mapFrom(self.map, QPoint(x, y))))
                   for x, y in ((int(left), int(top)), (int(right), int(bottom)))]
        (a, b) = corners
        x0, x1 = max(x0, a.x()), min(x1, b.x())
        y0, y1 = max(y0, min(a.y(), b.y())), min(y1, max(a.y(), b.y()))
        if x1 <= x0 or y1 <= y0:  # nothing clear in view: the plot's bounds
            (x0, x1), (y0, y1) = self.view.viewRange()
        return x0 / scale[0], x1 / scale[0], y0 / scale[1], y1 / scale[1]

    def _clear_rect(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom), px of the map widget: where its fit puts the points
        (:func:`~musicsage.gui.map_marks.free_rect`, the same boxes, span and margin);
        measured again only when one of those changes (a pan asks it at every step)."""
        m = self.map
        boxes = [(g.x(), g.y(), g.width(), g.height())
                 for g in (w.geometry() for w in m.fit_obstacles())]
        xy = np.asarray(m.xy, float).reshape(-1, 2)
        span = (np.maximum(np.ptp(xy, axis=0), 1e-3) * 1.1 if len(xy)
                else np.ones(2))  # padded by 5% each side, as the fit does
        key = (m.width(), m.height(), tuple(boxes), tuple(np.round(span, 9)))
        if self._clear is None or self._clear[0] != key:
            rect = free_rect(max(m.width(), 1), max(m.height(), 1), boxes, span, MARGIN)
            self._clear = (key, rect)
        return self._clear[1]

    def track_at(self, x: float, y: float, radius: float) -> int | None:
        """The track whose ring, fanned out, is drawn nearest (x, y) within ``radius`` (map
        coordinates): hovering or clicking it means that match."""
        return nearest_drawn(self.drawn, x, y, radius)


def fan_rings(px: np.ndarray, spacing: float, bounds) -> tuple[np.ndarray, list, list]:
    """Where rings at ``px`` (screen px) are drawn so that none overlaps another: those that
    would, fanned out ``spacing`` px apart round the spot they share, the circle beyond the
    stack's own points (the real positions stay in view, as a leader's end); the (centre,
    reach) of each fan, and the (centre, reach, size) of each pile too big to fan out."""
    first = np.ones(len(px), bool)
    stacks, _plans = merge_fans(px, find_stacks(px, None, spacing - 1), first, spacing, 0.0)
    stacks = _take_covered(px, stacks, first, spacing)
    plans = [_plan(px, stack, first, spacing) for stack in stacks]
    fanned, crowded = fan_out(px, stacks, first, spacing, 0.0, plans, bounds)
    return fanned, [(s.centre, p.reach) for s, p in zip(stacks, plans) if len(p.fanned)], \
        [(s.centre, p.reach, len(p.rest)) for s, p in crowded]


def _take_covered(px: np.ndarray, stacks: list[Stack], first: np.ndarray,
                  spacing: float) -> list[Stack]:
    """``stacks`` with the rings their fans would cover taken in: a fan round its stack's
    points is wider than the selection's, and a ring beside the stack lay under it."""
    stacks, loose = list(stacks), np.ones(len(px), bool)
    for stack in stacks:
        loose[stack.members] = False
    changed = True
    while changed:
        changed = False
        for i, stack in enumerate(stacks):
            plan = _plan(px, stack, first, spacing)
            under = loose & (np.hypot(*(px - stack.centre).T) < plan.reach + spacing / 2)
            if len(plan.fanned) and under.any() and \
                    len(stack.members) + under.sum() <= FAN_MOST:
                members = np.concatenate([stack.members, np.flatnonzero(under)])
                stacks[i] = Stack(px[members].mean(axis=0), members, False)
                loose[under], changed = False, True
    return stacks


def _plan(px: np.ndarray, stack: Stack, first: np.ndarray, spacing: float) -> FanPlan:
    """A stack's fan, its circles round the stack's points: a ring on a circle of ``base`` px
    leaves every point within ``spread`` of the centre outside its line."""
    fanned = fanned_part(stack, first)
    rest = np.setdiff1d(stack.members, fanned)
    spread = float(np.hypot(*(px[stack.members] - stack.centre).T).max())
    base = spread + spacing / 2 + 1
    circles = ring_radii(len(fanned), spacing, base) if len(fanned) else []
    reach = max(circles[-1][0] if circles else 0.0, spread) + spacing / 2
    return FanPlan(fanned, rest, circles, spread, base, reach)
