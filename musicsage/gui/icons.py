"""Icons drawn at run time (no image files to ship or lose): the app's logo — a little map —
a few glyphs of its own (:data:`GLYPHS`), and those and the style's glyph icons (play, pause,
the arrows) in the theme's text colour."""

from __future__ import annotations

import numpy as np
from typing import Callable

from PySide6.QtCore import QEvent, QLineF, QObject, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (QBrush, QColor, QIcon, QImage, QPainter, QPainterPath, QPalette, QPen,
                           QPixmap)
from PySide6.QtWidgets import QLabel, QStyle, QWidget

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


# -- glyphs of the app's own ----------------------------------------------------------------------


def _waveform(p: QPainter) -> None:
    """Compute embeddings: a sound's waveform, bars about a middle line (the style's speaker
    stood there, and beside Retrain's ▶ the toolbar read as a player's controls)."""
    p.setPen(QPen(QColor("#000000"), 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    for i, half in enumerate((2, 5, 8, 4, 9, 6, 3)):
        x = 3 + i * 3
        p.drawLine(QLineF(x, 12 - half, x, 12 + half))


def _graph(p: QPainter) -> None:
    """Retrain: the graph the model learns, tracks joined by what they share (was a ▶, which
    read as Play: pressing it started a training)."""
    nodes = [QPointF(5, 6), QPointF(18, 4.5), QPointF(12, 13), QPointF(5, 19.5), QPointF(19, 19)]
    p.setPen(QPen(QColor("#000000"), 1.6))
    for a, b in ((0, 1), (0, 2), (1, 2), (2, 3), (2, 4), (3, 4), (1, 4)):
        p.drawLine(QLineF(nodes[a], nodes[b]))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(QColor("#000000")))
    for node in nodes:
        p.drawEllipse(node, 3, 3)


def _whole_map(p: QPainter) -> None:
    """Show the whole map: a frame's four corners around a few points."""
    corners = QPainterPath()
    for x, y, dx, dy in ((3, 3, 1, 1), (21, 3, -1, 1), (3, 21, 1, -1), (21, 21, -1, -1)):
        corners.moveTo(x, y + 6 * dy)
        corners.lineTo(x, y)
        corners.lineTo(x + 6 * dx, y)
    p.setPen(QPen(QColor("#000000"), 2))
    p.drawPath(corners)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(QColor("#000000")))
    for x, y in ((9, 10), (14, 8), (12, 15), (16, 14)):
        p.drawEllipse(QPointF(x, y), 1.7, 1.7)


GLYPHS: dict[str, Callable[[QPainter], None]] = {
    "embed": _waveform, "retrain": _graph, "whole_map": _whole_map}
"""The app's own glyphs by name, drawn black on a 24-unit square as the style's are, so
that :func:`ink_icon` gives them the theme's colour as it does the style's."""


def glyph_icon(name: str) -> QIcon:
    """The glyph ``name`` (:data:`GLYPHS`), black, at every size of :data:`INK_SIZES`."""
    icon = QIcon()
    for size in INK_SIZES:
        pm = QPixmap(size, size)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.scale(size / 24, size / 24)
        GLYPHS[name](p)
        p.end()
        icon.addPixmap(pm)
    return icon


# -- the style's glyphs in the theme's colours ----------------------------------------------------

INK_SIZES = (16, 24, 32, 48)
"""The sizes an inked icon is drawn at (a toolbar's 24 px, a button's 16, and their 2x)."""
GLYPH_SPREAD = 24
"""How far apart (0..255) a pixel's red, green and blue may be for it to count as grey."""


def is_glyph(image: QImage) -> bool:
    """Whether an icon's image is a one-colour glyph (the style's ▶ ⏮ ⏭ ■, the speaker, the
    arrows: black, drawn for a light theme) rather than a picture in colours (the folder, the
    blue reload): only a glyph takes the theme's text colour, a picture reads on any theme."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    width, height = image.width(), image.height()
    if not width or not height:
        return False
    rows = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    pixels = rows.reshape(height, image.bytesPerLine())[:, :width * 4].reshape(height, width, 4)
    seen = pixels[..., 3] > 32  # (blue, green, red, alpha) in memory
    colours = pixels[..., :3][seen].astype(np.int16)
    if not len(colours):
        return False
    grey = (colours.max(axis=1) - colours.min(axis=1)) <= GLYPH_SPREAD
    return bool(grey.mean() >= 0.9)


def _inked(pixmap: QPixmap, colour: QColor) -> QPixmap:
    """``pixmap``'s shape (its alpha) filled with ``colour``."""
    out = QPixmap(pixmap.size())
    out.setDevicePixelRatio(pixmap.devicePixelRatio())
    out.fill(Qt.GlobalColor.transparent)
    p = QPainter(out)
    p.drawPixmap(0, 0, pixmap)
    p.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    p.fillRect(QRectF(0, 0, out.width(), out.height()), colour)
    p.end()
    return out


def disabled_ink(palette: QPalette, role: QPalette.ColorRole) -> QColor:
    """The colour of a disabled glyph: the theme's own disabled text colour, or, where the
    theme gives none (the same as the enabled one), the text half-way to its background."""
    group = QPalette.ColorGroup
    ink = palette.color(group.Active, role)
    dim = palette.color(group.Disabled, role)
    if dim.rgba() != ink.rgba():
        return dim
    back = palette.color(group.Active, QPalette.ColorRole.Button
                         if role == QPalette.ColorRole.ButtonText else QPalette.ColorRole.Window)
    return QColor((ink.red() + back.red()) // 2, (ink.green() + back.green()) // 2,
                  (ink.blue() + back.blue()) // 2)


def ink_icon(icon: QIcon, palette: QPalette,
             role: QPalette.ColorRole = QPalette.ColorRole.ButtonText,
             sizes: tuple[int, ...] = INK_SIZES) -> QIcon:
    """``icon`` drawn in ``palette``'s ``role`` colour (disabled: :func:`disabled_ink`) when it
    is a glyph (:func:`is_glyph`); a picture in colours comes back as it is. The style's
    glyphs are black whatever the theme: on a dark one (window #202020) the player's buttons
    and the toolbar's Compute embeddings and Retrain were nearly invisible. ``sizes``: those
    it is drawn at (a dock's 10-px buttons, shrunk from 16 px, came out a smudge)."""
    if icon.isNull() or not is_glyph(icon.pixmap(QSize(32, 32)).toImage()):
        return icon
    inks = ((QIcon.Mode.Normal, palette.color(QPalette.ColorGroup.Active, role)),
            (QIcon.Mode.Disabled, disabled_ink(palette, role)))
    out = QIcon()
    for size in sizes:
        shape = icon.pixmap(QSize(size, size))
        for mode, colour in inks:
            out.addPixmap(_inked(shape, colour), mode)
    return out


Pixmap = QStyle.StandardPixmap | str
"""One of the style's icons, or the name of one of :data:`GLYPHS`."""


class PaletteIcons(QObject):
    """The style's icons on one widget's controls, inked in the widget's palette
    (:func:`ink_icon`) and inked again whenever its palette or its style changes: a theme
    switched from light to dark while the window is open."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.widget = widget
        self._uses: list[tuple[object, Pixmap, QPalette.ColorRole]] = []
        self._inked: dict[tuple[Pixmap, QPalette.ColorRole], QIcon] = {}
        """Icons inked in the palette of now (play and pause swap at every state change)."""
        widget.installEventFilter(self)

    def icon(self, pixmap: "Pixmap",
             role: QPalette.ColorRole = QPalette.ColorRole.ButtonText) -> QIcon:
        """The style's ``pixmap`` (or the glyph of that name: :data:`GLYPHS`) in the widget's
        palette now."""
        widget = self.widget
        if (pixmap, role) not in self._inked:
            base = (glyph_icon(pixmap) if isinstance(pixmap, str)
                    else widget.style().standardIcon(pixmap, None, widget))
            self._inked[pixmap, role] = ink_icon(base, widget.palette(), role)
        return self._inked[pixmap, role]

    def set(self, target, pixmap: "Pixmap",
            role: QPalette.ColorRole = QPalette.ColorRole.ButtonText) -> None:
        """Give ``target`` (an action or a button: ``setIcon``; a label: ``setPixmap``, 16 px)
        the style's ``pixmap``, inked now and after every change of theme; it replaces the
        icon set on ``target`` before (play becomes pause)."""
        self._uses = [use for use in self._uses if use[0] is not target]
        self._uses.append((target, pixmap, role))
        self._apply(target, pixmap, role)

    def _apply(self, target, pixmap: "Pixmap", role: QPalette.ColorRole) -> None:
        icon = self.icon(pixmap, role)
        if isinstance(target, QLabel):
            target.setPixmap(icon.pixmap(QSize(16, 16)))
        else:
            target.setIcon(icon)

    def redraw(self) -> None:
        """Ink every icon again, in the widget's palette and style of now."""
        self._inked.clear()
        for use in self._uses:
            self._apply(*use)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # A new application palette (ApplicationPaletteChange) comes before the widget takes
        # it: the PaletteChange that follows it is the one to ink in.
        if watched is self.widget and event.type() in (QEvent.Type.PaletteChange,
                                                       QEvent.Type.StyleChange):
            self.redraw()
        return False
