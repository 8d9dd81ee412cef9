"""The selected track's name over the map: where it goes, and how bright it is.

The name is a widget over the plot (crisp text, raised over the legend and the tools), not
an item of the view, so nothing the view does reaches it: while the map was shown stale
("Computing the map…", the points and the selected disc dimmed to a quarter under the
message), the name alone stayed full white — the brightest thing on the map, over the
message's own words, naming a track of a map that is not the one coming. It is now dimmed
with the map (:func:`dim_name`) and the message goes over it.

A module of its own so that :mod:`musicsage.gui.map_view` keeps to the data, the view and
the mouse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtWidgets import QGraphicsOpacityEffect, QLabel

from musicsage.gui.map_marks import MARK_Z, fit_name, label_spot, mark_size

if TYPE_CHECKING:
    from musicsage.gui.map_view import MapView


def dim_name(label: QLabel, opacity: float) -> None:
    """Draw the name at ``opacity``, the view's own (1: full strength), so that it fades
    exactly as the selected disc it names does. The effect is off at full strength: the
    label is then drawn as any widget, not through an offscreen copy."""
    effect = label.graphicsEffect()
    if not isinstance(effect, QGraphicsOpacityEffect):
        effect = QGraphicsOpacityEffect(label)
        label.setGraphicsEffect(effect)
    effect.setOpacity(opacity)
    effect.setEnabled(opacity < 1.0)


def place_name(view: "MapView") -> None:
    """Put the selected track's name beside its point (shortened in the middle to what the
    map can show, inside the map), over the legend and the tools; under the map's message
    while one is shown, and under the key while it peeks out of its button."""
    row = view._row_of.get(int(view.selected)) if view.selected is not None else None
    if row is None or not view._label.isVisible():
        _leader(view).setData([], [])
        return
    x, y = map(float, view.xy[row])
    p = view.plot.mapFromScene(view.view.mapViewToScene(QPointF(x, y)))
    fit_name(view._label, view._label_text, view.plot.width() - 2 * EDGE)
    spot = _spot(view, p)
    label = view._label
    spot.setX(max(EDGE, min(spot.x(), view.plot.width() - label.width() - EDGE)))
    spot.setY(max(EDGE, min(spot.y(), view.plot.height() - label.height() - EDGE)))
    label.move(spot)
    _draw_leader(view, p, x, y)
    view._label.raise_()
    if view.message.isVisible():
        view.message.raise_()
    if view.selection_key.peeking:
        view.selection_key.raise_()


EDGE = 6
"""The name's margin (px) from the map's edges: at 1024x700 it ended 2 px from the right one."""
LEADER_GAP = 14
"""How far (px) the name may lie from its dot with no line to it: pushed past a fan of rings
at 1024x700, it sat 60-75 px above the dot, nothing saying whose name it was."""
LEADER_COLOUR = (230, 230, 230, 170)


def _leader(view: "MapView") -> pg.PlotCurveItem:
    """The line from the selected dot to its name, made on first use (under the disc)."""
    item = getattr(view, "_name_leader", None)
    if item is None:
        item = pg.PlotCurveItem(pen=pg.mkPen(LEADER_COLOUR, width=1))
        item.setZValue(MARK_Z["selected"] - 0.1)
        view.view.addItem(item, ignoreBounds=True)
        view._name_leader = item
    return item


def _draw_leader(view: "MapView", p: QPointF, x: float, y: float) -> None:
    """A thin line from the dot (``p`` on the plot, ``x``, ``y`` on the map) to the nearest
    point of its name, when the name lies more than :data:`LEADER_GAP` px away."""
    box = view._label.geometry()
    near = QPointF(min(max(p.x(), box.left()), box.right() + 1),
                   min(max(p.y(), box.top()), box.bottom() + 1))
    if np.hypot(near.x() - p.x(), near.y() - p.y()) <= LEADER_GAP:
        _leader(view).setData([], [])
        return
    end = view.view.mapSceneToView(view.plot.mapToScene(near.toPoint()))
    _leader(view).setData([x, end.x()], [y, end.y()])


def _spot(view: "MapView", p: QPointF) -> QPoint:
    """Where the name goes: a place beside the point inside the map (else near it), clear
    of the overlays, over the fewest neighbour rings, playlist squares and search rings
    (:func:`label_spot`): it lay across the search's rings, which the user looks for."""
    covered = [o.geometry() for o in view.label_obstacles()]
    # joined as arrays (each ``mark_places`` a list of pairs or an [n, 2] array): adding
    # lists made a playlist's 30,000 squares a list of tuples to join
    fans = [np.asarray(fan.mark_places(), float).reshape(-1, 2) for fan in view.fans]
    rings = _rings_on_plot(view, np.concatenate(
        [np.asarray(view.marks.mark_places(), float).reshape(-1, 2), *fans]))
    matched = any(len(fan) for fan in fans)
    kind = "matches" if matched else "neighbours"  # the widest ring drawn, and its dark rim
    reach = mark_size(kind, len(view.xy)) / 2 + 3
    label = view._label
    return label_spot(p, label.width(), label.height(), view.plot.width(),
                      view.plot.height(), covered, rings, reach, view.marks.fan_px,
                      _on_plot(view))


def _rings_on_plot(view: "MapView", places: "np.ndarray | list[tuple[float, float]]"
                   ) -> np.ndarray:
    """Where ``places`` (map coordinates: [n, 2], an array or a list of pairs: the marks'
    ``mark_places`` may return either, joined here by ``np.concatenate`` rather than list
    addition) are on the plot widget, in whole px as Qt rounds a
    point mapped there ([n, 2] ints): one exact affine map for them all. Mapped one by one
    through the view, a 30,000-track playlist's squares held the window 1 s at each click."""
    at = np.asarray(places, float).reshape(-1, 2)
    if not len(at):
        return np.zeros((0, 2), int)
    to_widget = view.plot.viewportTransform()
    ends = [to_widget.map(view.view.mapViewToScene(QPointF(x, y)))
            for x, y in ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0))]
    o, ex, ey = (np.array([e.x(), e.y()], float) for e in ends)
    on_plot = o + at[:, :1] * (ex - o) + at[:, 1:2] * (ey - o)
    return np.where(on_plot >= 0, np.floor(on_plot + 0.5), np.ceil(on_plot - 0.5)).astype(int)


def _on_plot(view: "MapView") -> np.ndarray:
    """Where the map's points are on the plot widget (px): one affine map, taken from the
    way three corners of the visible range go through the view, the scene and the widget
    (100k points at once; corners, as the widget's whole pixels round a unit's span)."""
    (x0, x1), (y0, y1) = view.view.viewRange()
    ends = [view.plot.mapFromScene(view.view.mapViewToScene(QPointF(x, y)))
            for x, y in ((x0, y0), (x1, y0), (x0, y1))]
    o, ex, ey = (np.array([e.x(), e.y()], float) for e in ends)
    span = np.array([x1 - x0 or 1.0, y1 - y0 or 1.0])
    rel = (view.xy - np.array([x0, y0])) / span
    return o + rel[:, :1] * (ex - o) + rel[:, 1:2] * (ey - o)
