"""Icons drawn at run time (no image files to ship or lose): the app's logo — a little map."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPen, QPixmap

from musicsage.gui.map_view import BACKGROUND, PALETTE

# (x, y, palette index) of the logo's dots on a 0..1 square, and the "selected" dot
_DOTS = [(0.28, 0.30, 0), (0.36, 0.24, 0), (0.22, 0.40, 0), (0.66, 0.28, 1), (0.74, 0.36, 1),
         (0.70, 0.20, 1), (0.30, 0.70, 2), (0.40, 0.76, 2), (0.24, 0.62, 2), (0.70, 0.70, 3),
         (0.62, 0.76, 3), (0.78, 0.64, 3)]


def logo_pixmap(size: int = 64) -> QPixmap:
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QBrush(QColor(BACKGROUND)))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(QRectF(0, 0, size, size), size * 0.2, size * 0.2)
    r = size * 0.055
    for x, y, c in _DOTS:
        p.setBrush(QBrush(QColor(PALETTE[c])))
        p.drawEllipse(QPointF(x * size, y * size), r, r)
    p.setBrush(QBrush(QColor("#ffffff")))
    p.setPen(QPen(QColor("#000000"), max(1.0, size / 40)))
    p.drawEllipse(QPointF(0.5 * size, 0.5 * size), r * 1.8, r * 1.8)
    p.end()
    return pm


def app_icon() -> QIcon:
    icon = QIcon()
    for s in (16, 32, 64, 128):
        icon.addPixmap(logo_pixmap(s))
    return icon
