"""Where the selection's fanned-out marks have room: inside the visible plot and clear of the
widgets drawn over the map (the map tools' bar, the selection key, the legend, the region bar).

At 800x600, with the training dock open and the whole map shown (Ctrl+0), the top of the
selected track's fan of neighbours' rings lay under the Pan/Lasso bar: the fan kept inside the
plot (:mod:`musicsage.gui.map_fans`), and the bar is over the plot. A fan that would meet one
of those widgets now goes on arcs on the side of its spot that is free, as it does at the
plot's edge; the map itself never moves for it (a fit that left the fans room made every
fitted map smaller). A widget over the stack's own spot (its disc or mark touching it) is
left out: the marks of a track under the bar cannot all leave it, and they keep round their
track, as before; a ring on its own stays on its track wherever that is. In screen pixels of
the layout (map coordinates over the pixel size), y up, as in the view.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPoint

from musicsage.gui.map_fans import ARC_STEPS, Bounds, crosses_edge, fan_marks

GAP = 1.0
"""Pixels kept between a mark and a widget's edge, beyond the mark itself."""


class Room(NamedTuple):
    """The visible plot (``bounds``) and the widgets over it (``blocks``), each as
    (x0, x1, y0, y1) in the layout's pixels."""

    bounds: Bounds
    blocks: tuple[Bounds, ...] = ()


WIDGET_CHANGES = (QEvent.Type.Show, QEvent.Type.Hide, QEvent.Type.Move, QEvent.Type.Resize)


def _map_of(view):
    """The plot widget showing ``view`` and the map holding it (None, None: a bare view)."""
    plot = view.getViewWidget()
    owner = plot.parentWidget() if plot is not None else None
    return (plot, owner) if hasattr(owner, "label_obstacles") else (None, None)


class WidgetsWatch(QObject):
    """Calls ``changed`` when a widget over the map is shown, hidden, moved or resized: the
    selection key is shown only after the selection's marks are laid out, and its fan lay
    under it (no view changes then, so no new layout)."""

    def __init__(self, changed, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._changed = changed
        self._watched: list[QObject] = []

    def watch(self, view) -> None:
        """Watch the widgets over the map holding ``view`` (shown or not) not yet watched."""
        _plot, owner = _map_of(view)
        for widget in (owner.fit_obstacles() + list(owner.soft_overlays)) if owner else ():
            if not any(widget is w for w in self._watched):
                widget.installEventFilter(self)
                self._watched.append(widget)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in WIDGET_CHANGES:
            self._changed()
        return False


def room_of(view, scale: np.ndarray) -> Room:
    """The room of the pyqtgraph ``view`` in the layout's pixels (its coordinates over
    ``scale``): its visible range, and the shown widgets over the map holding it (its
    ``label_obstacles``: those the selected name keeps off). A view outside such a map (a
    test's bare view) has no widgets over it."""
    (x0, x1), (y0, y1) = view.viewRange()
    bounds = (x0 / scale[0], x1 / scale[0], y0 / scale[1], y1 / scale[1])
    plot, owner = _map_of(view)
    if owner is None:
        return Room(bounds)
    blocks = []
    for widget in owner.label_obstacles():
        g = widget.geometry()
        a, b = (view.mapSceneToView(plot.mapToScene(plot.mapFrom(owner, QPoint(x, y))))
                for x, y in ((g.left(), g.top()), (g.right() + 1, g.bottom() + 1)))
        blocks.append((min(a.x(), b.x()) / scale[0], max(a.x(), b.x()) / scale[0],
                       min(a.y(), b.y()) / scale[1], max(a.y(), b.y()) / scale[1]))
    return Room(bounds, tuple(blocks))


def _covers(block: Bounds, point: np.ndarray, reach: float) -> bool:
    """Whether ``block`` comes within ``reach`` px of ``point`` (0: the point is under it)."""
    x0, x1, y0, y1 = block
    dx, dy = max(x0 - point[0], 0.0, point[0] - x1), max(y0 - point[1], 0.0, point[1] - y1)
    return math.hypot(dx, dy) <= reach


def meets(centre: np.ndarray, reach: float, room: Room) -> bool:
    """Whether a fan of ``reach`` px around ``centre`` meets the plot's edge or a widget over
    it but one over the centre itself (:func:`fan_in_room` leaves that one out)."""
    return crosses_edge(centre, reach, room.bounds) or any(
        _covers(b, centre, reach + GAP) and not _covers(b, centre, 0.0) for b in room.blocks)


def room_arc(centre: np.ndarray, radius: float, room: Room,
             margin: float) -> tuple[float, float] | None:
    """(start, length) in radians of the longest arc of the circle around ``centre`` whose
    points lie ``margin`` px inside the plot and ``margin`` + :data:`GAP` px clear of each
    block; length 2π: the whole circle; None: no point."""
    theta = np.arange(ARC_STEPS) * (2 * math.pi / ARC_STEPS)
    x, y = centre[0] + radius * np.cos(theta), centre[1] + radius * np.sin(theta)
    x0, x1, y0, y1 = room.bounds
    free = (x >= x0 + margin) & (x <= x1 - margin) & (y >= y0 + margin) & (y <= y1 - margin)
    clear = margin + GAP
    for b0, b1, c0, c1 in room.blocks:
        free &= ~((x > b0 - clear) & (x < b1 + clear) & (y > c0 - clear) & (y < c1 + clear))
    if free.all() or not free.any():
        return (0.0, 2 * math.pi) if free.all() else None
    shift = int(np.argmin(free))  # from a point not free: no run wraps around
    runs = np.diff(np.concatenate([[0], np.roll(free, -shift).astype(int), [0]]))
    starts, ends = np.flatnonzero(runs == 1), np.flatnonzero(runs == -1)
    longest = int(np.argmax(ends - starts))
    step = 2 * math.pi / ARC_STEPS
    return float(theta[(starts[longest] + shift) % ARC_STEPS]), \
        float((ends[longest] - starts[longest] - 1) * step)


def room_slots(n: int, spacing: float, base: float, centre: np.ndarray,
               room: Room) -> list[tuple[float, np.ndarray]] | None:
    """(radius, angles) of the arcs that hold ``n`` marks ``spacing`` px apart around
    ``centre``, none nearer it than ``base``, each in the room (:func:`room_arc`), filled from
    the inside; None where none fit within the plot's diagonal."""
    x0, x1, y0, y1 = room.bounds
    arcs, left, radius = [], n, max(base, spacing / 2)
    while left:
        if radius > math.hypot(x1 - x0, y1 - y0):
            return None
        arc = room_arc(centre, radius, room, spacing / 2)
        if arc is not None:
            start, length = arc
            step = 2 * math.asin(min(1.0, spacing / (2 * radius)))  # the chord: a spacing
            held = min(left, max(1, int(length / step + 1e-9)))
            arcs.append((radius, start + length * (np.arange(held) + 0.5) / held))
            left -= held
        radius += spacing
    return arcs


def fan_in_room(offsets: np.ndarray, first: np.ndarray, circles: list[tuple[float, int]],
                base: float, spacing: float, centre: np.ndarray,
                room: Room | Bounds | None) -> np.ndarray:
    """Where the marks at ``offsets`` from ``centre`` go (px), as
    :func:`~musicsage.gui.map_fans.fan_marks` places them in the plot, but on arcs clear of
    the widgets of ``room`` where the fan would meet one. A widget over the spot's own mark
    (the selected disc, ``base`` less half a ``spacing``; else a mark) is left out: at 800x500
    a track panned 4 px above the folded key had its fan sent 45 px up, and its name, which
    goes beyond the rings, 64 px from it. ``room`` may be plain bounds (the search's rings:
    already the plot's clear part)."""
    if not isinstance(room, Room):
        return fan_marks(offsets, first, circles, base, spacing, centre, room)
    own = max(base - spacing / 2, spacing / 2)
    blocks = tuple(b for b in room.blocks if not _covers(b, centre, own))
    placed = fan_marks(offsets, first, circles, base, spacing, centre, room.bounds)
    x0, x1, y0, y1 = room.bounds
    if not (x0 <= centre[0] <= x1 and y0 <= centre[1] <= y1) or not any(
            _under(b, placed, spacing / 2 + GAP) for b in blocks):
        return placed  # clear of every widget as it is: the fan as before
    arcs = room_slots(len(offsets), spacing, base, centre, Room(room.bounds, blocks))
    return placed if arcs is None else centre + on_arcs(offsets, first, arcs)


def _under(block: Bounds, points: np.ndarray, margin: float) -> bool:
    """Whether any of ``points`` (px) lies within ``margin`` px of ``block``."""
    x0, x1, y0, y1 = block
    x, y = points[:, 0], points[:, 1]
    return bool(((x > x0 - margin) & (x < x1 + margin) & (y > y0 - margin)
                 & (y < y1 + margin)).any())


def on_arcs(offsets: np.ndarray, first: np.ndarray,
            arcs: list[tuple[float, np.ndarray]]) -> np.ndarray:
    """The offsets (px) of marks at ``offsets`` put on ``arcs``, as
    :func:`~musicsage.gui.map_fans.fan_marks` does: the ``first`` marks, then the nearest, on
    the innermost arc; along each arc in the order of their own directions from its middle,
    so a mark off to the right stays to the right where the arc allows it."""
    order = np.lexsort((np.hypot(*offsets.T), ~first))
    directions = np.arctan2(offsets[:, 1], offsets[:, 0])
    shown, start = np.zeros_like(offsets, dtype=float), 0
    for radius, slots in arcs:
        ring = order[start:start + len(slots)]
        start += len(slots)
        middle = slots[0] + (slots[-1] - slots[0]) / 2
        ring = ring[np.argsort(np.mod(directions[ring] - middle + math.pi, 2 * math.pi),
                               kind="stable")]
        shown[ring] = radius * np.stack([np.cos(slots), np.sin(slots)], axis=1)
    return shown
