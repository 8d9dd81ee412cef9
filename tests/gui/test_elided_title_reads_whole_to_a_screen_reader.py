"""The player bar's title, elided to the room it has, is read whole by a screen reader: a
QLabel's accessible text is what it shows, so the cut-off line ("…" and all) was read."""

from __future__ import annotations

from PySide6.QtGui import QAccessible

from musicsage.gui.heading_label import ElidedLine

LONG = "An Extraordinarily Long Title Of A Live Recording (Remastered 2011 Deluxe Edition)"


def test_an_elided_title_is_read_whole(qtbot):
    line = ElidedLine()
    qtbot.addWidget(line)
    line.setFixedWidth(120)
    line.show()
    line.setText(LONG)
    qtbot.waitExposed(line)
    assert _shown(line) != LONG  # it is cut off on screen
    assert line.accessibleName() == LONG
    face = QAccessible.queryAccessibleInterface(line)
    assert face.text(QAccessible.Text.Name) == LONG
    line.setText("Short")
    assert face.text(QAccessible.Text.Name) == "Short"


def _shown(line: ElidedLine) -> str:
    """What the label paints: QLabel's own text, under ElidedLine's whole one."""
    from PySide6.QtWidgets import QLabel

    return QLabel.text(line)
