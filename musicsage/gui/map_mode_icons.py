"""The icons of the map's modes (Pan, Lasso, Rectangle), drawn at run time: no image files to
ship, sharp at 1x and 2x. A small map shows its modes as these icons, their names in the
tooltips (:class:`~musicsage.gui.map_tools.MapTools`)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

ICON_INK = "#e6e6e6"  # the bars' text colour


def _draw_pan(p: QPainter) -> None:
    """A four-way arrow, the sign of moving (on a 16-px square)."""
    p.drawLine(QPointF(8, 4), QPointF(8, 12))
    p.drawLine(QPointF(4, 8), QPointF(12, 8))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(QColor(ICON_INK)))
    for tip, left, right in (((8, 1), (5.2, 4.5), (10.8, 4.5)),
                             ((8, 15), (5.2, 11.5), (10.8, 11.5)),
                             ((1, 8), (4.5, 5.2), (4.5, 10.8)),
                             ((15, 8), (11.5, 5.2), (11.5, 10.8))):
        p.drawPolygon(QPolygonF([QPointF(*tip), QPointF(*left), QPointF(*right)]))


def _draw_lasso(p: QPainter) -> None:
    """A loop with its rope hanging from it, as drawing programs show the lasso."""
    p.drawEllipse(QRectF(1.5, 1.5, 13, 8.5))
    rope = QPainterPath(QPointF(4.5, 9.2))
    rope.cubicTo(QPointF(3, 11.5), QPointF(6.5, 12.5), QPointF(4, 15))
    p.drawPath(rope)


def _draw_rect(p: QPainter) -> None:
    """A dashed rectangle, the marquee of a rectangular selection."""
    pen = p.pen()
    pen.setDashPattern([2.2, 1.6])
    p.setPen(pen)
    p.drawRect(QRectF(1.5, 3, 13, 10))


ICON_DRAWINGS = {"pan": _draw_pan, "lasso": _draw_lasso, "rect": _draw_rect}


def mode_tip(name: str, says: str) -> str:
    """A mode button's tooltip, "Lasso: drag around tracks to select a region": its name
    first, which an icon alone does not show, then what it does, or why it is off. One
    place for the form, which the tooltip set at start and the one set when the mode is
    greyed or back on must share."""
    return f"{name}: {says}"


def mode_icon(mode: str) -> QIcon:
    """The icon of a map mode, drawn at run time (no image files to ship), sharp at 1x and 2x."""
    icon = QIcon()
    for size in (16, 32):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.scale(size / 16, size / 16)
        p.setPen(QPen(QColor(ICON_INK), 1.4))
        ICON_DRAWINGS[mode](p)
        p.end()
        icon.addPixmap(pixmap)
    return icon
