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

Pixels here are the map widget's: x to the right, y down; a box is (x, y, width, height).
No Qt: :class:`~musicsage.gui.map_view.MapView` measures its widgets (:func:`lift_view` moves
its view through the ViewBox's own methods).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from musicsage.gui.map_marks import free_rect

Box = tuple[float, float, float, float]
MARGIN = 8
"""How far (px) the points keep from a box (:func:`free_rect`'s margin)."""
SMALLEST_SPAN = 1e-3
"""The least extent (map units) a map is fitted and bounded by: one point, or points all in
a line, have none, and a view of zero width cannot be drawn."""


def fitted_range(lo: np.ndarray, hi: np.ndarray, width: float, height: float,
                 boxes: Sequence[Box]) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1), the view that shows data from ``lo`` to ``hi`` (padded by 5%) as
    large as it goes in a ``width`` × ``height`` map, clear of ``boxes``."""
    span = np.maximum(hi - lo, SMALLEST_SPAN)
    lo, hi = lo - span * 0.05, hi + span * 0.05
    left, top, right, bottom = free_rect(width, height, list(boxes), hi - lo, MARGIN)
    per_px = max((hi[0] - lo[0]) / (right - left), (hi[1] - lo[1]) / (bottom - top))
    cx, cy = (lo + hi) / 2
    x0 = cx - (left + right) / 2 * per_px
    y1 = cy + (top + bottom) / 2 * per_px  # the view's top edge (y grows upwards)
    return float(x0), float(x0 + width * per_px), float(y1 - height * per_px), float(y1)


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


def fit_range(xy: np.ndarray, width: float, height: float, boxes: Sequence[Box],
              soft: Sequence[Box] = (), reach: float = 0.0) -> tuple[float, float, float, float]:
    """The fitted view of the points ``xy`` (:func:`fitted_range`), clear of ``boxes``, and
    of the ``soft`` boxes too where that fit would leave a point under one of them."""
    lo, hi = xy.min(axis=0).astype(float), xy.max(axis=0).astype(float)
    view = fitted_range(lo, hi, width, height, boxes)
    if soft:
        px = to_px(xy, view, (0.0, 0.0, width, height))
        if any(under(px, box, reach).any() for box in soft):
            view = fitted_range(lo, hi, width, height, list(boxes) + list(soft))
    return view


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
