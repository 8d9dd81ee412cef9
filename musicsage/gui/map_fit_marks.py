"""The selection's marks in the map's fit: how far they reach beyond their tracks, and the
fit done again at its own zoom until they have the room they take there.

The fit (:func:`~musicsage.gui.map_fit.fit_range`) kept the points clear of the legend, the
key and the tools' bar, but not the rings fanned out around a point (gui/map_stacks.py): on
the demo's map at 1366x768 with the training dock open, "Show the whole map" (Ctrl+0) left two
of the rings around "Lanterns" under the Pan/Lasso/Rectangle bar, where they could be neither
seen nor clicked, and one cut at the plot's top edge. The layout tells the fit where each of
its marks is drawn from (:func:`laid_out_reach`): the spot its stack is fanned out around, or
its own track, and its box of pixels around that spot. Which marks stack, and so how far a
fan reaches, depends on the zoom; the fit is worked out again from the marks as laid out at
the zoom it chose, until it holds (:func:`fit_passes`).

No Qt: :class:`~musicsage.gui.map_view.MapView` passes its ViewBox and its fit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable, Sequence

import numpy as np

from musicsage.gui.map_fit import NO_MARKS, Box, Reach, hidden

if TYPE_CHECKING:
    from musicsage.gui.map_stacks import FanPlan, Stack

FIT_PASSES = 3
"""The most times the fit is worked out for one Fit: zoomed out to give a fan its room, the
marks around a track may stack and fan out further; a second pass has always held on the
demo's maps, a third is to spare."""


def laid_out_reach(xy: np.ndarray, px: np.ndarray, drawn_px: np.ndarray,
                   fans: Iterable[tuple["Stack", "FanPlan"]], scale: np.ndarray,
                   radius: float) -> Reach:
    """The :class:`~musicsage.gui.map_fit.Reach` of marks of tracks at ``xy`` (map
    coordinates; ``px`` in the layout's pixels) drawn at ``drawn_px``: each fanned out of a
    stack (``fans``: each stack with its plan) measured from the stack's centre, which a
    zoom moves with the map, the others from their tracks; each ``radius`` px round where
    it is drawn."""
    spot = np.array(px, float).reshape(-1, 2)
    for stack, plan in fans:
        spot[plan.fanned] = stack.centre
    offset = np.asarray(drawn_px, float).reshape(-1, 2) - spot
    return Reach(spot * scale, offset - radius, offset + radius)


def ring_reach(spots: Sequence[dict], extra: float) -> Reach:
    """The reach of rings drawn where their tracks are (pyqtgraph spots: ``pos``, ``size``),
    each ``extra`` px wider than its size (its pen): a selection whose marks are not laid
    out (more than the layout takes, or a view with no size yet)."""
    if not len(spots):
        return NO_MARKS
    at = np.asarray([s["pos"] for s in spots], float).reshape(-1, 2)
    radius = np.asarray([(s["size"] + extra) / 2 for s in spots], float)[:, None]
    return Reach(at, -np.repeat(radius, 2, axis=1), np.repeat(radius, 2, axis=1))


def fit_passes(view, fitted: Callable[[], tuple[float, float, float, float]],
               passes: int = FIT_PASSES) -> None:
    """Set the map's ViewBox ``view`` to the range ``fitted()`` works out from the marks as
    now laid out, and again from the marks laid out at that range, until it holds or
    ``passes`` are done. The marks are laid out at once at each range (pyqtgraph moves its
    items at the next paint, after the last pass)."""
    last = None
    for _ in range(passes):
        wanted = fitted()
        if last is not None and np.allclose(wanted, last, rtol=0,
                                            atol=1e-4 * abs(last[1] - last[0])):
            return
        view.setRange(xRange=wanted[:2], yRange=wanted[2:], padding=0)
        view.updateMatrix()  # the marks laid out at this zoom (gui/map_stacks.py)
        last = wanted


def marks_hidden(view, marks: Reach, origin, boxes: Sequence[Box]) -> bool:
    """Whether any of the ``marks`` is drawn under one of ``boxes`` (px of the map widget)
    or across the edge of the map's ViewBox ``view``, drawn from ``origin`` (a QPoint) in
    the map widget (:func:`~musicsage.gui.map_fit.hidden`)."""
    r = view.sceneBoundingRect()  # the plot's pixels are its scene's
    (x0, x1), (y0, y1) = view.viewRange()
    return hidden(marks, (x0, x1, y0, y1),
                  (origin.x() + r.x(), origin.y() + r.y(), r.width(), r.height()), boxes)


def boxes_of(widgets) -> list[Box]:
    """The boxes (x, y, width, height) of ``widgets`` in their parent, the map widget."""
    return [(g.x(), g.y(), g.width(), g.height()) for g in (w.geometry() for w in widgets)]
