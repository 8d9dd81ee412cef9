"""Where the marks fanned out of one stack go (:mod:`musicsage.gui.map_stacks` finds the
stacks and draws them): on circles around the spot they share, kept inside the visible plot.

At 800x500 the map is about 230 px wide, and a selected track near its edge had half its fan
of neighbours' rings drawn beyond it, cut off (the demo's outermost tracks: 2 to 4 rings of
10 to 17). A fan whose circles would cross the plot's edge goes on arcs instead, on the side
of the spot that has the room: each arc the longest part of its circle inside the plot,
holding as many marks as fit a spacing apart, the circles growing until every mark has a
place (:func:`arc_slots`). A stack's count goes the same way (:func:`corner_inside`): beside
the stack on the side that has the room. In screen pixels, no Qt; y grows upwards, as in the
view.
"""

from __future__ import annotations

import math

import numpy as np

ARC_STEPS = 720
"""The angles tried around a circle (half a degree apart)."""
Bounds = tuple[float, float, float, float]
"""(x0, x1, y0, y1): the visible plot (px)."""


def pixel_size(view) -> np.ndarray | None:
    """The size of one screen pixel in map coordinates (x, y) of a pyqtgraph ``view``, the
    scale every layout of fanned marks works in; None while the view has no size yet."""
    size = np.asarray(view.viewPixelSize(), float)
    return size if np.isfinite(size).all() and (size > 0).all() else None


def inside_arc(centre: np.ndarray, radius: float, bounds: Bounds,
               margin: float) -> tuple[float, float] | None:
    """(start, length) in radians of the longest arc of the circle around ``centre`` whose
    points lie ``margin`` px inside ``bounds``; length 2π: the whole circle; None: no point."""
    theta = np.arange(ARC_STEPS) * (2 * math.pi / ARC_STEPS)
    x, y = centre[0] + radius * np.cos(theta), centre[1] + radius * np.sin(theta)
    x0, x1, y0, y1 = bounds
    inside = (x >= x0 + margin) & (x <= x1 - margin) & (y >= y0 + margin) & (y <= y1 - margin)
    if inside.all() or not inside.any():
        return (0.0, 2 * math.pi) if inside.all() else None
    shift = int(np.argmin(inside))  # from a point outside: no run wraps around
    runs = np.diff(np.concatenate([[0], np.roll(inside, -shift).astype(int), [0]]))
    starts, ends = np.flatnonzero(runs == 1), np.flatnonzero(runs == -1)
    longest = int(np.argmax(ends - starts))
    step = 2 * math.pi / ARC_STEPS
    return float(theta[(starts[longest] + shift) % ARC_STEPS]), \
        float((ends[longest] - starts[longest] - 1) * step)


def arc_slots(n: int, spacing: float, base: float, centre: np.ndarray,
              bounds: Bounds) -> list[tuple[float, np.ndarray]] | None:
    """(radius, angles) of the arcs that hold ``n`` marks ``spacing`` px apart around
    ``centre``, none nearer it than ``base``, every mark whole inside ``bounds``: filled from
    the inside, each arc's marks spread evenly over it. None where no arcs fit (a plot
    smaller than the fan)."""
    arcs, left, radius = [], n, max(base, spacing / 2)
    while left:
        if radius > math.hypot(bounds[1] - bounds[0], bounds[3] - bounds[2]):
            return None
        arc = inside_arc(centre, radius, bounds, spacing / 2)
        if arc is not None:
            start, length = arc
            step = 2 * math.asin(min(1.0, spacing / (2 * radius)))  # the chord: a spacing
            room = min(left, max(1, int(length / step + 1e-9)))
            arcs.append((radius, start + length * (np.arange(room) + 0.5) / room))
            left -= room
        radius += spacing
    return arcs


def fan_marks(offsets: np.ndarray, first: np.ndarray, circles: list[tuple[float, int]],
              base: float, spacing: float, centre: np.ndarray,
              bounds: Bounds | None) -> np.ndarray:
    """Where the marks at ``offsets`` from ``centre`` go (px): on ``circles`` around it, or,
    crossing ``bounds``, on arcs inside them (:func:`arc_slots`). The ``first`` marks, then
    the nearest to the centre, on the innermost; each circle in the order of the marks' own
    directions from the centre, so that a mark off to the right stays on the right (marks at
    one spot start straight above it); each arc in that order from its one end."""
    order = np.lexsort((np.hypot(*offsets.T), ~first))
    reach = circles[-1][0] + spacing / 2
    arcs = None
    if bounds is not None and _within(centre, 0, bounds) and crosses_edge(centre, reach, bounds):
        arcs = arc_slots(len(offsets), spacing, base, centre, bounds)
    directions = np.arctan2(offsets[:, 1], offsets[:, 0])
    shown, start = np.zeros_like(offsets, dtype=float), 0
    for radius, slots in arcs or circles:
        count = len(slots) if arcs else slots
        ring = order[start:start + count]
        start += count
        if arcs:  # by direction from the arc's middle, round the way the slots go
            middle = slots[0] + (slots[-1] - slots[0]) / 2
            ring = ring[np.argsort(np.mod(directions[ring] - middle + math.pi, 2 * math.pi),
                                   kind="stable")]
        else:
            ring = ring[np.argsort(directions[ring], kind="stable")]
            at = offsets[ring[0]]
            turn = math.atan2(at[1], at[0]) if np.hypot(*at) > 0.5 else math.pi / 2
            slots = turn + 2 * math.pi * np.arange(count) / count
        shown[ring] = radius * np.stack([np.cos(slots), np.sin(slots)], axis=1)
    return centre + shown


def _within(centre: np.ndarray, reach: float, bounds: Bounds) -> bool:
    """Whether a circle of ``reach`` px around ``centre`` lies inside ``bounds`` (0: the
    centre)."""
    x0, x1, y0, y1 = bounds
    return x0 <= centre[0] - reach and centre[0] + reach <= x1 and \
        y0 <= centre[1] - reach and centre[1] + reach <= y1


def crosses_edge(centre: np.ndarray, reach: float, bounds: Bounds) -> bool:
    """Whether a fan of ``reach`` px around ``centre`` meets the edge of ``bounds``: partly
    inside, partly out."""
    return _within(centre, -reach, bounds) and not _within(centre, reach, bounds)


def corner_inside(centre: np.ndarray, reach: float, size: tuple[float, float],
                  bounds: Bounds, margin: float = 2.0) -> np.ndarray:
    """The lower left corner (px) of a ``size`` (w, h) box beside the stack at ``centre``:
    up and right of it, its nearest corner ``reach`` px away, unless it would cross the edge
    of ``bounds`` there and the other side has more room (left, then below), and slid
    ``margin`` px inside ``bounds`` where neither side has (a plot smaller than the box). At
    the plot's right edge, a stack's count was drawn beyond it, cut off or not at all. A
    stack out of the plot keeps it up and right: its count goes with it."""
    w, h = size
    gap = reach / math.sqrt(2)
    x = np.array([centre[0] + gap, centre[0] - gap - w])  # right, left
    y = np.array([centre[1] + gap, centre[1] - gap - h])  # above, below
    if not _within(centre, 0, bounds):
        return np.array([x[0], y[0]])
    x0, x1, y0, y1 = bounds
    room_x = np.minimum(x - x0, x1 - x - w) - margin  # < 0: crosses an edge by that much
    room_y = np.minimum(y - y0, y1 - y - h) - margin
    left = x[int(room_x[0] < 0 and room_x[1] > room_x[0])]
    low = y[int(room_y[0] < 0 and room_y[1] > room_y[0])]
    return np.array([min(max(left, x0 + margin), x1 - margin - w),
                     min(max(low, y0 + margin), y1 - margin - h)])


def overlap_reach(rings: np.ndarray, width: float, disc: float, squares: float,
                  under: float) -> tuple[np.ndarray, np.ndarray]:
    """How near (px) each mark's centre must come to another's, and to the selected disc's
    (``disc`` px wide), to stack with it: the ``rings`` (a neighbour's, ``width`` px wide)
    as soon as they overlap at all. With the 6 px of squares for rings too, at 1400x900 a
    selected track's 8 rings lay 7 to 12 px apart and over its disc, one magenta tangle:
    17-px rings closer than 17 px cross each other. A playlist's squares keep ``squares``
    px and ``under`` px: a playlist's blob reads as squares side by side, and fanning it
    out would send it away from where it lies on the map. Rings stack until a pixel lies
    between their pens' outer edges: within ``width - 1`` two audio-only rings at 1024x700
    still touched."""
    reach = np.where(rings, width + 1.0, squares)
    return reach, np.where(rings, (disc + width) / 2, under)


def ring_radii(n: int, spacing: float, inner: float) -> list[tuple[float, int]]:
    """(radius, how many marks) of the circles that hold ``n`` marks ``spacing`` px apart,
    none nearer the centre than ``inner``: one circle while it stays small, else circles
    ``spacing`` apart, filled from the inside."""
    one = max(inner, spacing / (2 * math.sin(math.pi / n)) if n > 1 else spacing / 2)
    if one <= max(inner, spacing) + spacing:
        return [(one, n)]
    circles, radius, left = [], max(inner, spacing), n
    while left:
        room = min(left, max(1, int(2 * math.pi * radius / spacing)))
        circles.append((radius, room))
        left -= room
        radius += spacing
    return circles


def nearest_drawn(drawn: dict[int, tuple[float, float]], x: float, y: float,
                  radius: float) -> int | None:
    """The track whose mark is drawn nearest (x, y) within ``radius`` (map coordinates), of
    ``drawn`` (track id → where its fanned mark sits): hovering or clicking a fanned mark
    means its track, not the one that happens to lie under it."""
    best, best_d = None, radius
    for tid, (at_x, at_y) in drawn.items():
        d = math.hypot(at_x - x, at_y - y)
        if d <= best_d:
            best, best_d = tid, d
    return best
