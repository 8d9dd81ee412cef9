"""Two colours' WCAG contrast and their mix: what the focus rings and the hint greys are
worked out with.

A module of its own, importing no panel: :mod:`musicsage.gui.focus_ring` needs them, and the
map's legend and tools take the ring's width from that module, so it may import nothing that
imports the map (:mod:`musicsage.gui.neighbours`, where these were, does).
"""

from __future__ import annotations

from PySide6.QtGui import QColor


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21); their alpha is not looked at: blend a
    half-transparent colour into what is under it (:func:`mix`) before measuring."""
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return (0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
                + 0.0722 * channel(c.blueF()))
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(a: QColor, b: QColor, share: float) -> QColor:
    """``a`` moved ``share`` of the way to ``b``."""
    return QColor.fromRgbF(*(x + (y - x) * share for x, y in zip(a.getRgbF()[:3], b.getRgbF()[:3])))
