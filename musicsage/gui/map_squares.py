"""A highlighted playlist's squares, a big playlist's as raster layers.

pyqtgraph's scatter item draws every square as a pixmap fragment at every repaint: with a
30,000-track playlist highlighted, each frame of a pan took 130-190 ms of the window's
thread (measured at 1366x768; 2 ms without the playlist), and the map moved in jerks. Beyond
:data:`RASTER_FROM` squares they are stamped into two raster layers (the squares' wash, then
their outlines; :class:`~musicsage.gui.map_points.PointCloudItem`), which a pan only moves;
fewer stay scatter spots, as pyqtgraph draws them. A module of its own: map_stacks.py is at
its size limit.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor

from musicsage.gui.map_marked import OneStyleScatter
from musicsage.gui.map_points import PointCloudItem, argb

RASTER_FROM = 2_000
"""More squares than this are drawn as raster layers (as a region's rims are,
``REGION_SCATTER_LIMIT`` of gui/map_tools.py): 2,000 scatter squares cost a pan about 8 ms."""


class PlaylistSquares(OneStyleScatter):
    """The playlist's squares: scatter spots up to :data:`RASTER_FROM`, raster layers beyond
    (children of this item: its z value, which map_stacks.py sets, is theirs)."""

    def setData(self, *args, **kwargs) -> None:  # noqa: N802 - pyqtgraph API
        """As the scatter item's; ``pos`` of more than :data:`RASTER_FROM` points goes to
        the raster layers, and the scatter item is left with no spots."""
        pos = kwargs.get("pos")
        many = not args and pos is not None and len(pos) > RASTER_FROM
        if many:
            kwargs = {**kwargs, "pos": np.zeros((0, 2))}
        super().setData(*args, **kwargs)
        self._rasterise(np.asarray(pos, np.float32).reshape(-1, 2) if many
                        else np.zeros((0, 2), np.float32), kwargs.get("size", self.opts["size"]))

    def _rasterise(self, xy: np.ndarray, side: float) -> None:
        """``xy``'s squares, ``side`` px wide, in the raster layers (made at the first)."""
        layers = getattr(self, "_layers", None)
        if layers is None:
            if not len(xy):
                return
            layers = self._layers = (PointCloudItem(), PointCloudItem())
            for layer in layers:
                layer.setParentItem(self)
        pen, brush = self.opts["pen"], self.opts["brush"]
        side, width = float(side), float(pen.widthF())
        layers[0].set_points(xy, np.full(len(xy), _word(brush.color()), np.uint32),
                             size=side - width, square=True)
        layers[1].set_points(xy, np.full(len(xy), _word(pen.color()), np.uint32),
                             size=side, square=True, pen=width)


def _word(colour: QColor) -> int:
    """``colour`` with its alpha as a raster layer's premultiplied ARGB word."""
    return argb(colour.name(), colour.alphaF())
