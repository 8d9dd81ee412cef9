"""Where the map's view goes so that its points keep clear of the widgets over it.

The fit (:meth:`~musicsage.gui.map_view.MapView.fit`) shows every point in the largest part of
the map clear of the legend, the selection key and the tools' bar (:func:`free_rect`). The
region bar, shown once a lasso or rectangle region is chosen, sits at the bottom right over
the key, and the fit did not know it: on a map fitted by its height, the lowest points lay
under the bar, where they could be neither seen nor clicked. The bar is a *soft* obstacle
now (:func:`fit_range`): the fit keeps the points clear of it only where they would lie
under it, so that choosing a region does not move a map it covers nothing of. A view the
user panned or zoomed is moved up, never zoomed, just enough to lift the map's lowest points
above the bar (:func:`lift`).

The selection's marks reach beyond the points they stand for: the rings fanned out around a
selected track lie up to some 40 px from it. Kept to the points alone, the fit left two of
the demo's rings around "Lanterns" under the tools' bar and one cut at the plot's top edge
(1366x768, the training dock open). The fit takes them as a :class:`Reach` too: each mark a
spot of the map and a box of pixels around it, which a zoom moves with the map but does not
scale, so that the fit finds the one scale at which points and marks all fit
(:func:`fitted_range`).

Pixels here are the map widget's: x to the right, y down; a box is (x, y, width, height).
No Qt: :class:`~musicsage.gui.map_view.MapView` measures its widgets (:func:`lift_view` moves
its view through the ViewBox's own methods).
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np

from musicsage.gui.map_marks import free_rect

Box = tuple[float, float, float, float]
MARGIN = 8
"""How far (px) the points keep from a box (:func:`free_rect`'s margin)."""
SMALLEST_SPAN = 1e-3
"""The least extent (map units) a map is fitted and bounded by: one point, or points all in
a line, have none, and a view of zero width cannot be drawn."""


class Reach(NamedTuple):
    """Marks drawn around spots of the map: each mark's spot (``at``, map coordinates) and
    the box it takes around it (px, from ``low`` to ``high``, y up as in the view). A zoom
    moves a spot with the map but leaves its mark's box as it is: the rings fanned out around
    a selected track keep their pixels at any zoom."""

    at: np.ndarray
    low: np.ndarray
    high: np.ndarray


NO_MARKS = Reach(np.zeros((0, 2)), np.zeros((0, 2)), np.zeros((0, 2)))


def fitted_range(lo: np.ndarray, hi: np.ndarray, width: float, height: float,
                 boxes: Sequence[Box],
                 marks: Reach = NO_MARKS) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1), the view that shows data from ``lo`` to ``hi`` (padded by 5%) as
    large as it goes in a ``width`` × ``height`` map, clear of ``boxes``, with the ``marks``
    whole in the same part of the map: the points and marks together centred in it."""
    span = np.maximum(hi - lo, SMALLEST_SPAN)
    lo, hi = lo - span * 0.05, hi + span * 0.05
    left, top, right, bottom = free_rect(width, height, list(boxes), hi - lo, MARGIN)
    at = np.vstack([lo, hi, np.asarray(marks.at, float).reshape(-1, 2)])
    low = np.vstack([np.zeros((2, 2)), np.asarray(marks.low, float).reshape(-1, 2)])
    high = np.vstack([np.zeros((2, 2)), np.asarray(marks.high, float).reshape(-1, 2)])
    rooms = ((left, right), (height - bottom, height - top))  # px, y up as in the view
    per_px = max(_per_px(at[:, k], low[:, k], high[:, k], b - a)
                 for k, (a, b) in enumerate(rooms))
    x0, y0 = (_start(at[:, k], low[:, k], high[:, k], per_px, a, b)
              for k, (a, b) in enumerate(rooms))
    return x0, x0 + width * per_px, y0, y0 + height * per_px


def _per_px(at: np.ndarray, low: np.ndarray, high: np.ndarray, room: float) -> float:
    """The fewest map units per pixel at which spots ``at`` (one axis), each with its mark
    from ``low`` to ``high`` px around it, fit ``room`` px: for each two, the one further on
    and its mark's far side no further than ``room`` from the other and its mark's near side.
    Two marks that alone take more than three quarters of the room count as taking that
    much (a map smaller than its marks): else the map would shrink to a speck."""
    apart = at[:, None] - at[None, :]
    free = np.maximum(room - (high[:, None] - low[None, :]), room / 4)
    return float(np.max(np.where(apart > 0, apart / free, 0.0)))


def _start(at: np.ndarray, low: np.ndarray, high: np.ndarray, per_px: float, a: float,
           b: float) -> float:
    """The map coordinate at pixel 0 (one axis) that centres spots ``at`` and their marks
    (``low`` to ``high`` px around them) between pixels ``a`` and ``b``."""
    first, last = np.min(at / per_px + low), np.max(at / per_px + high)
    return float(((first + last) / 2 - (a + b) / 2) * per_px)


def to_px(xy: np.ndarray, view: tuple[float, float, float, float],
          rect: Box) -> np.ndarray:
    """Where the points ``xy`` lie (px) in a view of ``view`` (x0, x1, y0, y1) drawn over
    ``rect``."""
    x0, x1, y0, y1 = view
    left, top, width, height = rect
    return np.column_stack([left + (xy[:, 0] - x0) * (width / (x1 - x0)),
                            top + (y1 - xy[:, 1]) * (height / (y1 - y0))])


def under(px: np.ndarray, box: Box, reach: float) -> np.ndarray:
    """Which points at ``px`` a box covers, any of their mark (``reach`` px around the
    centre) included."""
    x, y, w, h = box
    return ((px[:, 0] > x - reach) & (px[:, 0] < x + w + reach)
            & (px[:, 1] > y - reach) & (px[:, 1] < y + h + reach))


def mark_boxes(marks: Reach, view: tuple[float, float, float, float], rect: Box) -> np.ndarray:
    """Where the ``marks`` lie (px, [m, 4]: left, top, right, bottom, y down) in a view of
    ``view`` drawn over ``rect``."""
    px = to_px(np.asarray(marks.at, float).reshape(-1, 2), view, rect)
    low, high = np.asarray(marks.low).reshape(-1, 2), np.asarray(marks.high).reshape(-1, 2)
    return np.column_stack([px[:, 0] + low[:, 0], px[:, 1] - high[:, 1],
                            px[:, 0] + high[:, 0], px[:, 1] - low[:, 1]])


def covered(boxes: np.ndarray, box: Box) -> np.ndarray:
    """Which of the mark ``boxes`` (:func:`mark_boxes`) ``box`` covers any of."""
    x, y, w, h = box
    return ((boxes[:, 0] < x + w) & (boxes[:, 2] > x)
            & (boxes[:, 1] < y + h) & (boxes[:, 3] > y))


def fit_range(xy: np.ndarray, width: float, height: float, boxes: Sequence[Box],
              soft: Sequence[Box] = (), reach: float = 0.0,
              marks: Reach = NO_MARKS) -> tuple[float, float, float, float]:
    """The fitted view of the points ``xy`` and the ``marks`` (:func:`fitted_range`), clear
    of ``boxes``, and of the ``soft`` boxes too where that fit would leave a point or a mark
    under one of them."""
    lo, hi = xy.min(axis=0).astype(float), xy.max(axis=0).astype(float)
    view = fitted_range(lo, hi, width, height, boxes, marks)
    if soft:
        rect = (0.0, 0.0, width, height)
        px, drawn = to_px(xy, view, rect), mark_boxes(marks, view, rect)
        if any(under(px, box, reach).any() or covered(drawn, box).any() for box in soft):
            view = fitted_range(lo, hi, width, height, list(boxes) + list(soft), marks)
    return view


def hidden(marks: Reach, view: tuple[float, float, float, float], rect: Box,
           boxes: Sequence[Box]) -> bool:
    """Whether any of the ``marks`` lies under one of ``boxes`` or crosses the edge of the
    plot ``rect`` (px), in a view of ``view`` drawn over it: a mark that cannot be seen
    whole, or clicked."""
    drawn = mark_boxes(marks, view, rect)
    left, top, width, height = rect
    out = ((drawn[:, 0] < left) | (drawn[:, 1] < top) | (drawn[:, 2] > left + width)
           | (drawn[:, 3] > top + height))
    return bool(out.any() or any(covered(drawn, box).any() for box in boxes))


def lift(px: np.ndarray, height: float, box: Box, reach: float) -> float | None:
    """How far (px) to move a view up so that no point at ``px`` lies under ``box``: 0 when
    none does, or when the map goes on below the view's bottom under the box (it covers no
    lowest point: the user pans to the others); None when the whole map is in view and
    moving it would push its top out (the view must zoom out to show it all)."""
    x, y, w, _h = box
    column = (px[:, 0] > x - reach) & (px[:, 0] < x + w + reach)
    low = px[column, 1]
    low = low[low > y - reach]
    if not len(low) or not under(px, box, reach).any() or low.max() > height:
        return 0.0
    distance = float(low.max() - (y - reach - MARGIN))
    whole = px[:, 1].min() >= 0 and px[:, 1].max() <= height
    return None if whole and px[:, 1].min() - distance < MARGIN else distance


def lift_view(view, xy: np.ndarray, origin: tuple[float, float], height: float,
              boxes: Sequence[Box], reach: float) -> bool:
    """Move ``view`` (the map's pyqtgraph ViewBox, drawn from ``origin`` in the map widget,
    ``height`` px high) up so that no point ``xy`` lies under ``boxes`` (:func:`lift`);
    False where only a zoom out would do (the whole map is in view)."""
    r = view.sceneBoundingRect()  # the plot's pixels are its scene's
    (x0, x1), (y0, y1) = view.viewRange()
    px = to_px(xy, (x0, x1, y0, y1), (origin[0] + r.x(), origin[1] + r.y(), r.width(),
                                      r.height()))
    for box in boxes:
        up = lift(px, height, box, reach)
        if up is None:
            return False
        if up:
            px[:, 1] -= up
            view.translateBy(y=-up * (y1 - y0) / r.height())
    return True


ZOOM_IN_LIMIT = 1e-4
"""The narrowest view, as a share of the map's extent: far past one point apart at 100,000
tracks. Unbounded, a held + (or the wheel) zoomed on to a view of 1e-13 map units."""
ZOOM_OUT_LIMIT = 100.0
"""The widest view, in map extents: the whole map still a speck to find and zoom back to,
and a fit beside the overlays (a few extents on a small window) well inside it.
Unbounded, a held − shrank the map to nothing and on to views of 1e45 map units, where it
was lost (only Fit brought it back) and the hover's distances overflowed."""


def zoom_limits(xy: np.ndarray) -> dict[str, float | None]:
    """The keyword arguments of pyqtgraph's ``ViewBox.setLimits`` that keep the view of the
    points ``xy`` between :data:`ZOOM_IN_LIMIT` and :data:`ZOOM_OUT_LIMIT` map extents (the
    same on both axes: the map's aspect is locked); no limit for an empty map (or one with
    a point that is not finite, which no bound could be worked out from)."""
    extent = float(np.max(np.ptp(xy, axis=0))) if len(xy) else float("nan")
    if not np.isfinite(extent):
        return dict(minXRange=None, maxXRange=None, minYRange=None, maxYRange=None)
    extent = max(extent, SMALLEST_SPAN)  # one point: as the fit's span
    low, high = extent * ZOOM_IN_LIMIT, extent * ZOOM_OUT_LIMIT
    return dict(minXRange=low, maxXRange=high, minYRange=low, maxYRange=high)
