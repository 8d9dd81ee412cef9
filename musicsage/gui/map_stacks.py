"""The selection's marks on the map — the selected track's disc, its neighbours' rings, a
highlighted playlist's squares — drawn so that marks which stack up show as many marks.

On a library whose map packs each playlist into one tight blob (28,356 tracks, about 470
blobs), 94% of a selected track's graph neighbours lay within 6 px of it: their rings all hid
under its disc, and a highlighted 9-track playlist showed as one square. Marks that lie within
a few pixels of each other at the current zoom now fan out on a small circle around the spot
they share, each with a thin leader line back to it; a stack too big to fan out stays where
it is, with a count beside it. The layout is redone whenever the zoom changes (zoomed in, the
stack comes apart and each mark goes back to its own track), never on a pan but where a fan
meets the plot's edge: it keeps inside the plot, on arcs (:mod:`musicsage.gui.map_fans`).

The geometry (:func:`find_stacks`, :func:`merge_fans`, :func:`fan_out`) is in screen pixels
and has no Qt in it; :class:`SelectionMarks` draws it (:class:`~musicsage.gui.map_view.MapView`
holds one).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF

from musicsage.gui.map_fans import (Bounds, corner_inside, crosses_edge, fan_marks,  # noqa: F401
                                   nearest_drawn, overlap_reach, pixel_size, ring_radii)
from musicsage.gui.map_badges import add_badge, badge_places
from musicsage.gui.map_leaders import draw_leaders
from musicsage.gui.map_marked import PlacesOnce, drawn_at, marked_tracks
from musicsage.gui.map_marks import HIGHLIGHT_COLOUR, MARK_Z, QUERY_COLOUR, RING_PEN
from musicsage.gui.map_squares import PlaylistSquares
from musicsage.text import counted

STACK_PX = 6.0
"""Playlist squares whose centres lie this close (screen pixels) to one spot are a stack:
two squares 6 px apart read as one. Rings stack wherever they overlap at all
(:func:`~musicsage.gui.map_fans.overlap_reach`)."""
SELECTED_SIZE = 15  # the selected track's disc (px), with its 2-px dark rim
ANCHOR_PX = SELECTED_SIZE / 2 + 1.5
"""A mark whose centre lies under the selected disc (its rim included) is stacked on it."""
FAN_MOST = 24
"""The most marks a stack fans out: a selection's 10 + 10 neighbours all under its disc fit
on two circles; a 100-track playlist in one blob would cover 90 px of the map (and every
track beside it), so such a stack stays in place and says its count instead."""
BLOB_SPACINGS = 3
"""How wide (in marks, from its centre) one count's blob may be: wider, its count could not
say where its marks are (a playlist over a whole crowded map made one count)."""
LAYOUT_MOST = 400
"""Beyond this many marks they are drawn where they are, as before: the layout takes their
pairwise distances, then its stacks', per zoom step (400 marks spread over a crowded map:
about 30 ms; 3,000: seconds)."""
LEADER_COLOUR = "#c8ccd899"
"""The lines from a fanned-out mark back to its track: thin and pale, under every mark."""


class Stack(NamedTuple):
    """Marks (indices) that lie within a few pixels of ``centre`` (px); ``anchored``: the
    centre is the selected track's, whose disc stays there."""

    centre: np.ndarray
    members: np.ndarray
    anchored: bool


def find_stacks(px: np.ndarray, anchor: np.ndarray | None,
                reach: float | np.ndarray = STACK_PX,
                anchor_reach: float | np.ndarray = ANCHOR_PX) -> list[Stack]:
    """The stacks among marks at ``px`` ([n, 2], screen pixels): first the marks under the
    selected disc at ``anchor`` (one alone is a stack there), then, one at a time, the free
    marks within ``reach`` of the mark with the most such (two or more). Each stack lies
    within ``reach`` of one mark, so a stack never chains across a whole blob. ``reach`` and
    ``anchor_reach`` may be one per mark (:func:`~musicsage.gui.map_fans.overlap_reach`):
    two marks stack within the smaller of their two reaches."""
    n = len(px)
    free = np.ones(n, bool)
    stacks = []
    if anchor is not None and n:
        under = np.hypot(*(px - anchor).T) <= anchor_reach
        if under.any():
            stacks.append(Stack(np.asarray(anchor, float), np.flatnonzero(under), True))
            free &= ~under
    if free.sum() < 2:
        return stacks
    dx, dy = px[:, None, 0] - px[None, :, 0], px[:, None, 1] - px[None, :, 1]
    reach = np.broadcast_to(np.asarray(reach, float), (n,))
    pair = np.minimum(reach[:, None], reach[None])
    near = dx * dx + dy * dy <= pair * pair
    near &= free[:, None] & free[None, :]
    counts = near.sum(axis=1)
    while True:
        seed = int(np.argmax(counts))
        if counts[seed] < 2:
            return stacks
        members = np.flatnonzero(near[seed])
        stacks.append(Stack(px[members].mean(axis=0), members, False))
        counts -= near[:, members].sum(axis=1)
        counts[members] = 0
        near[members] = False
        near[:, members] = False


def fanned_part(stack: Stack, first: np.ndarray) -> np.ndarray:
    """The marks of ``stack`` to fan out: all of them, up to :data:`FAN_MOST`; of a bigger
    stack, its ``first`` marks (the selected track's neighbours) if they are few enough,
    the others (a playlist's squares) left in place."""
    if len(stack.members) <= FAN_MOST:
        return stack.members
    chosen = stack.members[first[stack.members]]
    return chosen if len(chosen) <= FAN_MOST else chosen[:0]


class FanPlan(NamedTuple):
    """How a stack is drawn (:func:`fan_plan`)."""

    fanned: np.ndarray
    rest: np.ndarray
    circles: list[tuple[float, int]]
    spread: float
    base: float
    """How near the centre (px) its fanned marks may go."""
    reach: float
    """How far from its centre (px) the stack reaches once drawn, its marks included."""


def fan_plan(px: np.ndarray, stack: Stack, first: np.ndarray, spacing: float,
             inner: float) -> FanPlan:
    """How ``stack`` is drawn: the marks fanned out (:func:`fanned_part`), those left in
    place, the circles of the fan (:func:`ring_radii`) and how far from the centre the marks
    left in place spread (px). The fan goes around the selected disc (``inner`` px out) and
    around the marks left in place: among them, two rings fanned out of a playlist's pile
    of squares hid under it."""
    fanned = fanned_part(stack, first)
    rest = np.setdiff1d(stack.members, fanned)
    spread = float(np.hypot(*(px[rest] - stack.centre).T).max()) if len(rest) else 0.0
    base = max(inner if stack.anchored else 0.0, spread + spacing / 2 if len(rest) else 0.0)
    circles = ring_radii(len(fanned), spacing, base) if len(fanned) else []
    reach = max(circles[-1][0] if circles else 0.0, spread) + spacing / 2
    return FanPlan(fanned, rest, circles, spread, base, reach)


def merge_fans(px: np.ndarray, stacks: list[Stack], first: np.ndarray, spacing: float,
               inner: float) -> tuple[list[Stack], list[FanPlan]]:
    """``stacks`` with those that would overlap once drawn made one: zoomed in a little on a
    blob, the marks a few pixels apart around the selected track made small fans of their
    own over its fan. While they make :data:`FAN_MOST` marks at most, stacks whose fans
    would overlap fan out as one, taking in the marks they would cover too; more, stacks of
    one blob (their centres within the spread of their marks, the blob no wider than
    :data:`BLOB_SPACINGS` marks) stay in place with one count (a 29-track playlist's blob
    showed four fans over each other) — never with the selected track's stack: its count
    must not stand for marks elsewhere. A stack with the selected track keeps its centre;
    others go to their marks' mean. Each with its plan (:func:`fan_plan`, made once)."""
    stacks = list(stacks)
    free = np.ones(len(px), bool)
    for stack in stacks:
        free[stack.members] = False

    def sized(stack: Stack) -> tuple[FanPlan, float]:
        spread = float(np.hypot(*(px[stack.members] - stack.centre).T).max())
        return fan_plan(px, stack, first, spacing, inner), spread

    sizes = [sized(stack) for stack in stacks]
    while stacks:
        reach = np.array([plan.reach for plan, _spread in sizes])
        spread = np.array([spread for _plan, spread in sizes])
        count = np.array([len(st.members) for st in stacks])
        anchored = np.array([st.anchored for st in stacks])
        centres = np.array([st.centre for st in stacks])
        apart = np.hypot(*(centres[:, None] - centres[None]).transpose(2, 0, 1))
        whole = count[:, None] + count[None] <= FAN_MOST
        widest = np.maximum(spread[:, None], spread[None])
        join = np.where(whole, apart < reach[:, None] + reach[None],
                        ~(anchored[:, None] | anchored[None]) & (apart < widest + spacing / 2)
                        & (apart + widest <= BLOB_SPACINGS * spacing))
        pairs = np.argwhere(np.triu(join, 1))
        if len(pairs):
            i, j = map(int, pairs[0])
            a, b = stacks.pop(j), stacks.pop(i)
            sizes.pop(j), sizes.pop(i)
            members = np.concatenate([b.members, a.members])
            centre = next((st.centre for st in (b, a) if st.anchored), px[members].mean(axis=0))
            stacks.insert(i, Stack(centre, members, a.anchored or b.anchored))
            sizes.insert(i, sized(stacks[i]))
            continue
        loose = np.flatnonzero(free)
        under = np.hypot(*(px[loose][None] - centres[:, None]).transpose(2, 0, 1)) \
            < reach[:, None] + spacing / 2  # [stack, loose mark]
        takes = np.flatnonzero(under.any(axis=1) & (under.sum(axis=1) <= FAN_MOST - count))
        if not len(takes):
            return stacks, [plan for plan, _spread in sizes]
        i = int(takes[0])
        covered = loose[under[i]]
        stacks[i] = stacks[i]._replace(members=np.concatenate([stacks[i].members, covered]))
        sizes[i] = sized(stacks[i])
        free[covered] = False
    return stacks, []


def fan_out(px: np.ndarray, stacks: list[Stack], first: np.ndarray, spacing: float,
            inner: float, plans: list[FanPlan] | None = None, bounds: Bounds | None = None,
            ) -> tuple[np.ndarray, list[tuple[Stack, FanPlan]]]:
    """Where each mark at ``px`` is drawn (px), and each stack too big to fan out with its
    plan (:func:`fan_plan`, unless ``plans`` has it): its marks left in place. A stack's
    marks go on circles around its centre (around the selected disc, ``inner`` px out at
    least), or on arcs inside the visible plot ``bounds`` where the circles would cross its
    edge (:func:`~musicsage.gui.map_fans.fan_marks`)."""
    shown = np.array(px, dtype=float)
    crowded = []
    for stack, plan in zip(stacks, plans or [fan_plan(px, s, first, spacing, inner)
                                             for s in stacks]):
        if len(plan.rest):
            crowded.append((stack, plan))
        if len(plan.fanned):
            shown[plan.fanned] = fan_marks(px[plan.fanned] - stack.centre, first[plan.fanned],
                                           plan.circles, plan.base, spacing, stack.centre,
                                           bounds)
    return shown, crowded


class SelectionMarks:
    """The selection's layers over the points (in the order of :data:`MARK_Z`): the
    selected disc, its neighbours' rings over a dark rim, a playlist's squares, the leader
    lines of marks fanned out of a stack and the count of a stack left in place."""

    def __init__(self, view: pg.ViewBox, background: str) -> None:
        self.view = view
        self._background = background
        # squares, not rings: a playlist's tracks are never taken for a track's neighbours
        self.squares = PlaylistSquares(pxMode=True, size=8, symbol="s",
                                       pen=pg.mkPen(HIGHLIGHT_COLOUR, width=2),
                                       brush=pg.mkBrush(HIGHLIGHT_COLOUR + "40"))
        self.rings = pg.ScatterPlotItem(pxMode=True)
        self.halo = pg.ScatterPlotItem(pxMode=True)  # the dark rim under the rings
        self.lifted = pg.ScatterPlotItem(pxMode=True)
        """The rings fanned out of a stack once more, over a region's discs (a region over
        the whole map hid them): away from its track, a ring hides no mark of its own."""
        self.lifted_halo = pg.ScatterPlotItem(pxMode=True)
        self.selected = pg.ScatterPlotItem(pxMode=True, size=SELECTED_SIZE, symbol="o",
                                           pen=pg.mkPen("#000000", width=2),
                                           brush=pg.mkBrush(QUERY_COLOUR))
        self.leaders = pg.PlotCurveItem(pen=pg.mkPen(LEADER_COLOUR, width=1), connect="pairs")
        for item, layer in ((self.squares, "playlist"), (self.rings, "neighbours"),
                            (self.halo, "halo"), (self.selected, "selected"),
                            (self.lifted, "fanned"), (self.lifted_halo, "fanned halo"),
                            (self.leaders, "leaders")):
            item.setZValue(MARK_Z[layer])
            view.addItem(item)
        self.badges: list[tuple[pg.TextItem, str]] = []
        """The counts of the stacks left in place, each with its tooltip."""
        self._counted: list[tuple[np.ndarray, float]] = []  # each count's stack: centre, reach
        self._anchor: tuple[int, np.ndarray] | None = None  # the selected track, where it is
        self._ring_spots: list[dict] = []  # pos: where the track is; data: its id
        self._square_ids = np.zeros(0, np.int64)
        self._square_xy = np.zeros((0, 2))
        self._square_size = 8
        self._square_places = PlacesOnce()
        self._kept: dict[str, object] = {}
        """Worked out once per layout (:meth:`_marked`, :meth:`mark_places`; the squares as
        drawn): a 30,000-track playlist's, several times per click, held the window."""
        self.drawn: dict[int, np.ndarray] = {}
        """Track id → where its marks are drawn, for the marks fanned out of a stack."""
        self.fan_px = 0.0
        """How far (px) the marks fanned out around the selected disc reach from its centre
        (their centres): the selected track's name goes beyond them."""
        self._scale: np.ndarray | None = None
        self._fans: list[tuple[np.ndarray, float]] = []  # (centre, reach) px, of the layout
        self._at_edge = False  # whether a fan crossed the plot's edge at the layout
        self.laid_out: list = []  # called after each layout: the search's rings follow it
        view.sigTransformChanged.connect(self._on_view_changed)

    # -- what is marked -------------------------------------------------------------------
    def show_selection(self, track_id: int | None, xy=None, rings: list[dict] = ()) -> None:
        """Mark the selected track (at ``xy``; None: no selection) and its neighbours
        (``rings``: ring spots, their ``data`` the track id)."""
        self._anchor = None if track_id is None else (int(track_id), np.asarray(xy, float))
        self._ring_spots = list(rings) if track_id is not None else []
        self.selected.setData(pos=[self._anchor[1]] if self._anchor else np.zeros((0, 2)))
        self.layout()

    def show_playlist(self, track_ids, xy: np.ndarray, size: int) -> None:
        """Outline the tracks ``track_ids`` (at ``xy``) with squares of ``size`` px."""
        self._square_ids = np.asarray(track_ids, np.int64)
        self._square_xy = np.asarray(xy, float).reshape(-1, 2)
        self._square_size = size
        self.layout()

    def mark_places(self) -> list[tuple[float, float]]:
        """Where the rings, a playlist's squares (it lay across them) and the counts are
        drawn (map coordinates): what the selected track's name should not hide."""
        if "places" not in self._kept:
            own = self._anchor[0] if self._anchor else None  # its square: under the disc
            rings = [tuple(map(float, s["pos"])) for s in self._shown_rings()]
            self._kept["places"] = rings + (
                list(map(tuple, self._shown_squares(own).tolist())) if self.drawn
                else self._square_places.but(self._square_ids, self._square_xy, own))
        return self._kept["places"] + badge_places(self.view, self.badges)

    def _shown_rings(self) -> list[dict]:
        return [{**s, "pos": self.drawn.get(s["data"], s["pos"])} for s in self._ring_spots]

    def _shown_squares(self, but: int | None = None) -> np.ndarray:  # where drawn, but ``but``'s
        shown = drawn_at(self._square_ids, self._square_xy, self.drawn)
        return shown if but is None else shown[self._square_ids != but]

    def _marked(self) -> tuple[np.ndarray, np.ndarray]:
        """The ids and places of the tracks with a ring or a square, but the selected one:
        its own square stays under its disc (:func:`~musicsage.gui.map_marked.marked_tracks`)."""
        if "marked" not in self._kept:
            ring_ids = [s["data"] for s in self._ring_spots]
            ring_xy = np.asarray([s["pos"] for s in self._ring_spots], float).reshape(-1, 2)
            self._kept["marked"] = marked_tracks(
                self._anchor[0] if self._anchor else None,
                np.concatenate([np.asarray(ring_ids, np.int64), self._square_ids]),
                np.concatenate([ring_xy, self._square_xy]))
        return self._kept["marked"]

    def _spacing(self) -> float:
        """How far apart (px) fanned-out marks go: the widest mark drawn, its line (a ring's
        pen widens it) and a gap; 2 px, the rings fanned out touched."""
        sizes = [s["size"] + RING_PEN for s in self._ring_spots]
        return max(sizes + ([self._square_size] if len(self._square_ids) else []), default=8) + 2

    # -- drawing --------------------------------------------------------------------------
    def layout(self) -> None:
        """Draw the marks, those that stack at the current zoom fanned out or counted."""
        self._kept = {key: kept for key, kept in self._kept.items() if key == "squares"}
        ids, xy = self._marked()
        scale = self._scale = pixel_size(self.view)
        self.drawn, where, counts, self.fan_px, self._fans = {}, {}, [], 0.0, []
        if scale is not None and 0 < len(ids) <= LAYOUT_MOST:
            px = xy / scale
            anchor = self._anchor[1] / scale if self._anchor else None
            spacing = self._spacing()
            first = np.isin(ids, [s["data"] for s in self._ring_spots])
            inner = ANCHOR_PX + spacing / 2
            bounds = self._bounds(scale)
            reach, anchor_reach = overlap_reach(first, spacing - 2,  # a ring and its pen
                                                 SELECTED_SIZE, STACK_PX, ANCHOR_PX)
            stacks, plans = merge_fans(px, find_stacks(px, anchor, reach, anchor_reach),
                                       first, spacing, inner)
            fanned, crowded = fan_out(px, stacks, first, spacing, inner, plans, bounds)
            shown = fanned * scale
            moved = np.flatnonzero(np.hypot(*(fanned - px).T) > 0.5)
            self.drawn = {int(ids[i]): shown[i] for i in moved}
            where = {int(ids[i]): xy[i] for i in moved}  # their tracks, for the leaders
            around = [i for s in stacks if s.anchored for i in fanned_part(s, first)]
            self.fan_px = max((float(np.hypot(*(fanned[i] - anchor))) for i in around),
                              default=0.0)
            counts = [(s.centre, max(plan.reach, spacing / 2 + np.hypot(
                *(fanned[plan.fanned] - s.centre).T).max(initial=0)), ids[plan.rest])
                      for s, plan in crowded]  # beyond its marks, those on arcs too
            self._fans = [(s.centre, plan.reach) for s, plan in zip(stacks, plans)
                          if len(plan.fanned)]
            self._at_edge = any(crosses_edge(c, r, bounds) for c, r in self._fans)
        rings = self._shown_rings()
        lifted = [s for s in rings if s["data"] in self.drawn]
        for item, halo, spots in ((self.rings, self.halo, rings),
                                  (self.lifted, self.lifted_halo, lifted)):
            item.setData(spots)
            halo.setData([{**s, "pen": pg.mkPen(self._background, width=5.5)} for s in spots])
        self._draw_squares()
        draw_leaders(self, where, rings)  # in the rings' colours
        self._draw_badges(counts)
        for follow in self.laid_out:
            follow()

    def _draw_squares(self) -> None:
        """The playlist's squares where they are drawn; left as they are when unchanged:
        set again, a 30,000-track playlist's took 60 ms at each click. More than are laid
        out, they go under the selection's lines and rings: over them, a playlist covering
        the map hid every neighbour's ring."""
        shown, last = (self._shown_squares(), self._square_size), self._kept.get("squares")
        if last is None or last[1] != shown[1] or not np.array_equal(last[0], shown[0]):
            self.squares.setData(pos=shown[0], size=shown[1])
            self._kept["squares"] = shown
            self.squares.setZValue(MARK_Z["playlist"] if len(shown[0]) <= LAYOUT_MOST
                                   else MARK_Z["lines"] - 0.5)

    def _draw_badges(self, counts: list[tuple[np.ndarray, float, np.ndarray]]) -> None:
        """The count of each stack left in place (its centre and reach in the layout's px,
        its marks' track ids), its tooltip saying what the marks are."""
        for badge, _tip in self.badges:
            self.view.removeItem(badge)
        self.badges, self._counted = [], [(centre, reach) for centre, reach, _ids in counts]
        rings = {s["data"] for s in self._ring_spots}
        playlist = set(self._square_ids.tolist())
        for _centre, _reach, ids in counts:
            badge = add_badge(self.view, str(len(ids)))
            members = ids.tolist()
            self.badges.append((badge, stack_tip(len(members),
                                                 sum(t in rings for t in members),
                                                 sum(t in playlist for t in members))))
        self._place_badges()

    def _place_badges(self) -> None:
        """Each count beside its stack, up and right, or on the side with the room where that
        would cross the plot's edge (:func:`~musicsage.gui.map_fans.corner_inside`)."""
        if self._scale is None:
            return
        bounds = self._bounds(self._scale)
        for (badge, _tip), (centre, reach) in zip(self.badges, self._counted):
            box = badge.textItem.boundingRect()  # px: the count ignores the view's scale
            corner = corner_inside(centre, reach, (box.width(), box.height()), bounds)
            badge.setPos(QPointF(*(corner * self._scale)))

    def _bounds(self, scale: np.ndarray) -> Bounds:
        """The visible plot in the layout's pixels (the view's coordinates over ``scale``)."""
        (x0, x1), (y0, y1) = self.view.viewRange()
        return x0 / scale[0], x1 / scale[0], y0 / scale[1], y1 / scale[1]

    def _on_view_changed(self, *_args) -> None:
        """A zoom (or a resize) lays the marks out again; a pan moves them as they are, but
        for fans at the plot's edge, or that were: they keep inside it (gui/map_fans.py), as
        the counts do."""
        scale = pixel_size(self.view)
        if scale is None or self._scale is None or not np.allclose(scale, self._scale,
                                                                   rtol=1e-3):
            self.layout()
            return
        bounds = self._bounds(self._scale)
        if self._at_edge or any(crosses_edge(c, r, bounds) for c, r in self._fans):
            self.layout()
        elif self.badges:  # a count kept inside as the map moves
            self._place_badges()

    # -- the mouse ------------------------------------------------------------------------
    def track_at(self, x: float, y: float, radius: float) -> int | None:
        """The track whose mark, fanned out of its stack, is drawn nearest (x, y) within
        ``radius`` (map coordinates): hovering or clicking it means that track, not the
        one that happens to lie under it."""
        return nearest_drawn(self.drawn, x, y, radius)

    def tip_at(self, scene_pos: QPointF) -> str | None:
        """The tooltip of the count under ``scene_pos``, if any."""
        return next((tip for badge, tip in self.badges
                     if badge.sceneBoundingRect().contains(scene_pos)), None)


def stack_tip(count: int, neighbours: int, playlist: int) -> str:
    """What a stack's count means: ``count`` marked tracks in one spot, ``neighbours`` of
    them the selected track's, ``playlist`` of them the highlighted playlist's."""
    kinds = [f"{n} of {whose}" for n, whose in ((neighbours, "the selected track's neighbours"),
                                               (playlist, "the playlist's tracks")) if n]
    what = kinds[0] if len(kinds) == 1 and count in (neighbours, playlist) else \
        f"{counted(count, 'marked track')} ({', '.join(kinds)})"
    return (f"{what} lie here, too close together to tell apart at this zoom: zoom in to"
            " see each.")
