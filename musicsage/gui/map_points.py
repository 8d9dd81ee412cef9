"""The library's points as one raster layer: 100,000 tracks in a few milliseconds a frame.

pyqtgraph's ``ScatterPlotItem`` draws every point as a pixmap fragment through QPainter:
about a microsecond per point, so 100k points cost 100-150 ms per frame (pan, zoom, any
repaint), and re-colouring rebuilds its per-point records (over a second). This item instead
stamps the points straight into an image of the visible area with numpy, once per view
change, and draws that image:

- map data coordinates to device pixels with the painter's transform (two multiply-adds per
  point), round, and drop points outside the viewport (plus the disc's radius);
- write each point's colour at the pixel offsets of a disc of the point size (21 offsets for
  5 px), points in drawing order, so later ones cover earlier ones as layers did;
- the canvas is a ``QImage`` whose memory numpy writes through (no copy); its padding is
  left out when it is drawn.

The image covers the viewport plus a margin of a quarter of it on every side and is cached
per scale, viewport size and data/colour version: a pan that stays within the margin only
draws the cached image at an offset (a millisecond), and a repaint that changes nothing (a
tooltip, the selection overlay) reuses it as it is. Colours are premultiplied ARGB words, one
per point; the legend, the selection and the highlighted playlist are drawn by other (small)
items on top.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter


def argb(colour: str, alpha: float = 1.0) -> int:
    """``#rrggbb`` at ``alpha`` (0-1; opaque by default) as a premultiplied ARGB32 word, as
    raster layers take it."""
    c, a = QColor(colour), round(255 * alpha)
    return (a << 24) | sum(round(v * a / 255) << shift
                           for v, shift in ((c.red(), 16), (c.green(), 8), (c.blue(), 0)))


def disc_offsets(diameter: float) -> list[tuple[int, int]]:
    """Pixel offsets (dx, dy) covered by a disc of ``diameter`` pixels centred on a pixel."""
    r = diameter / 2
    reach = int(np.floor(r))
    return [(dx, dy) for dy in range(-reach, reach + 1) for dx in range(-reach, reach + 1)
            if dx * dx + dy * dy <= r * r + 1e-9]


def square_offsets(side: float, pen: float = 0.0) -> list[tuple[int, int]]:
    """Pixel offsets (dx, dy) of a square of ``side`` pixels centred on a pixel: filled
    (``pen`` 0), or only its outline, ``pen`` pixels wide and centred on the square's edge as
    QPainter strokes it (a playlist's squares: :mod:`musicsage.gui.map_squares`)."""
    half = side / 2
    reach = int(np.floor(half + pen / 2))
    low, high = (half - pen / 2, half + pen / 2) if pen else (-1.0, half)
    return [(dx, dy) for dy in range(-reach, reach + 1) for dx in range(-reach, reach + 1)
            if low <= max(abs(dx), abs(dy)) < high]


MARGIN = 0.25
"""Extra image around the viewport, as a share of its size on each side: pans within it
reuse the image."""


class PointCloudItem(pg.GraphicsObject):
    """Points in data coordinates with one colour each, drawn in the given order."""

    def __init__(self) -> None:
        super().__init__()
        self._xy = np.zeros((0, 2), np.float32)  # in drawing order
        self._colours = np.zeros(0, np.uint32)
        self._size = 5.0
        self._pen = 0.0  # > 0: only the outline of a square, this wide (see set_points)
        self._square = False
        self._bounds = QRectF()
        self._version = 0
        self._cache_key: tuple | None = None
        self._image: QImage | None = None
        self._canvas: QImage | None = None  # the image points are stamped into (reused)
        self._source = QRectF()  # the part of the canvas that is the rendered area
        self._image_at = (0.0, 0.0)  # where the image's corner was, in widget px, when rendered
        self._rendered_shift = (0.0, 0.0)  # the transform's translation then
        self.renders = 0  # how many times the points were rasterised (tests, benchmarks)

    # -- data ------------------------------------------------------------------------------
    def set_points(self, xy: np.ndarray, colours: np.ndarray, order: np.ndarray | None = None,
                   *, size: float = 5.0, square: bool = False, pen: float = 0.0) -> None:
        """``xy`` [n, 2] data coordinates, ``colours`` [n] ARGB words; ``order``: drawing order
        (later on top; default: row order). ``square``: squares of side ``size`` instead of
        discs, only their outline ``pen`` px wide where ``pen`` > 0."""
        self.prepareGeometryChange()
        xy = np.asarray(xy, np.float32)
        colours = np.asarray(colours, np.uint32)
        if order is not None:
            xy, colours = xy[order], colours[order]
        self._xy = np.ascontiguousarray(xy)
        self._colours = np.ascontiguousarray(colours)
        self._size, self._square, self._pen = float(size), square, float(pen)
        if len(xy):
            lo, hi = xy.min(axis=0), xy.max(axis=0)
            self._bounds = QRectF(float(lo[0]), float(lo[1]), float(max(hi[0] - lo[0], 1e-9)),
                                  float(max(hi[1] - lo[1], 1e-9)))
        else:
            self._bounds = QRectF()
        self._version += 1
        self.update()

    def __len__(self) -> int:
        return len(self._xy)

    # -- QGraphicsItem -----------------------------------------------------------------------
    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        # Points have a size in pixels: pad by it, in data units, so their edges repaint.
        if self._bounds.isNull():
            return QRectF()
        px = self.pixelVectors()
        pad_x = pad_y = 0.0
        if px[0] is not None:
            pad_x = abs(px[0].x()) * self._size + abs(px[1].x()) * self._size
            pad_y = abs(px[0].y()) * self._size + abs(px[1].y()) * self._size
        return self._bounds.adjusted(-pad_x, -pad_y, pad_x, pad_y)

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):  # noqa: N802 - pyqtgraph
        if not len(self._xy):
            return (None, None)
        col = self._xy[:, ax]
        return (float(col.min()), float(col.max()))

    def viewTransformChanged(self) -> None:  # noqa: N802 - pyqtgraph hook
        self.prepareGeometryChange()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if not len(self._xy) or widget is None:
            return
        t = painter.worldTransform()
        dpr = float(widget.devicePixelRatioF())
        width, height = widget.width(), widget.height()
        # Scale to 12 significant digits: a pan must not miss the cache on rounding noise.
        key = (*(float(f"{v:.12g}") for v in (t.m11(), t.m12(), t.m21(), t.m22())), width,
               height, dpr, self._version)
        x0, y0 = self._corner(t)
        if key != self._cache_key or not self._covers(x0, y0, width, height):
            margin_x, margin_y = MARGIN * width, MARGIN * height
            self._image = self._render(t, -margin_x, -margin_y, width + 2 * margin_x,
                                       height + 2 * margin_y, dpr)
            self._image_at, self._rendered_shift = (-margin_x, -margin_y), (t.dx(), t.dy())
            self._cache_key = key
            x0, y0 = self._corner(t)
        painter.save()
        painter.resetTransform()
        w, h = self._source.width() / dpr, self._source.height() / dpr
        painter.drawImage(QRectF(round(x0), round(y0), w, h), self._image, self._source)
        painter.restore()

    def _corner(self, t) -> tuple[float, float]:
        """Where the cached image's corner is now (widget px): moved as the view panned."""
        return (self._image_at[0] + t.dx() - self._rendered_shift[0],
                self._image_at[1] + t.dy() - self._rendered_shift[1])

    def _covers(self, x0: float, y0: float, width: int, height: int) -> bool:
        if self._image is None:
            return False
        dpr = self._cache_key[6] if self._cache_key else 1.0
        w, h = self._source.width() / dpr, self._source.height() / dpr
        return x0 <= 0 and y0 <= 0 and x0 + w >= width and y0 + h >= height

    # -- rasterising -------------------------------------------------------------------------
    def _render(self, t, left: float, top: float, width: float, height: float,
                dpr: float) -> QImage:
        """Stamp every point inside the widget-px rectangle (left, top, width, height) into
        the canvas (device pixels; reused while its size holds: fresh pages cost faults)."""
        self.renders += 1
        w, h = max(1, int(round(width * dpr))), max(1, int(round(height * dpr)))
        offsets = (square_offsets(self._size * dpr, self._pen * dpr) if self._square
                   else disc_offsets(self._size * dpr))
        reach = max(max(abs(dx), abs(dy)) for dx, dy in offsets)
        pad = 2 * reach  # centres up to ``reach`` outside, and their discs, stay in the canvas
        canvas = self._canvas
        if canvas is None or (canvas.width(), canvas.height()) != (w + 2 * pad, h + 2 * pad):
            canvas = self._canvas = QImage(w + 2 * pad, h + 2 * pad,
                                           QImage.Format.Format_ARGB32_Premultiplied)
        stride = canvas.bytesPerLine() // 4
        pixels = np.frombuffer(canvas.bits(), np.uint32)  # Qt owns the memory
        pixels.fill(0)
        x, y = self._xy[:, 0], self._xy[:, 1]
        # Item → widget (logical px) → device px; the map has no rotation or shear, but the
        # general affine form costs nothing extra.
        px = np.rint((t.m11() * x + t.m21() * y + (t.dx() - left)) * dpr).astype(np.intp)
        py = np.rint((t.m12() * x + t.m22() * y + (t.dy() - top)) * dpr).astype(np.intp)
        keep = (px >= -reach) & (px < w + reach) & (py >= -reach) & (py < h + reach)
        flat = (py[keep] + pad) * stride + (px[keep] + pad)
        colours = self._colours[keep]
        for dx, dy in offsets:  # later points overwrite earlier ones: drawing order holds
            pixels[flat + (dy * stride + dx)] = colours
        self._source = QRectF(pad, pad, w, h)
        return canvas
