"""A control over the map that has the keyboard focus (the legend's header, Pan / Lasso /
Rectangle in words or as icons, the region bar's buttons) is outlined 2 px wide, as the
window's other controls' focus rings are: the 1-px outline was hard to see on the dark map.
The button keeps its size as the outline comes and goes: the style asks no more room for a
focused button than for the same button unfocused (a wider outline takes it from the
padding)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractButton, QPushButton, QStyle, QStyleOptionButton,
                               QStyleOptionToolButton, QWidget)

from gui_support import shown_map
from musicsage.gui.focus_ring import MAP_FOCUS_COLOUR as FOCUS_COLOUR
from musicsage.gui.map_tools import MapTools
from musicsage.gui.map_view import Colouring

LEAST_WIDTH = 2
"""The least outline (px) that is seen on the dark map, as the window's other focus rings."""


def _outline_width(widget: QWidget) -> int:
    """How many columns from the left edge, at mid-height, are drawn in the focus colour."""
    image = widget.grab().toImage()
    want = QColor(FOCUS_COLOUR)
    width = 0
    for x in range(min(6, image.width())):
        got = image.pixelColor(x, image.height() // 2)
        if not all(abs(a - b) <= 40 for a, b in zip(got.getRgb()[:3], want.getRgb()[:3])):
            break
        width += 1
    return width


def _room(button: QAbstractButton, focused: bool) -> QSize:
    """The size the style asks for ``button`` round a fixed content, focused or not: its
    ``sizeHint()`` is kept from before the focus came, so it cannot tell."""
    push = isinstance(button, QPushButton)
    option = QStyleOptionButton() if push else QStyleOptionToolButton()
    button.initStyleOption(option)
    focus = QStyle.StateFlag.State_HasFocus
    option.state = option.state | focus if focused else option.state & ~focus
    kind = QStyle.ContentsType.CT_PushButton if push else QStyle.ContentsType.CT_ToolButton
    return button.style().sizeFromContents(kind, option, QSize(40, 16), button)


def _check_outlines(qtbot, width: int) -> MapTools:
    view, tools = shown_map(qtbot, width, 400)
    view.set_points(np.arange(4), np.random.default_rng(0).random((4, 2)), list("abcd"),
                    Colouring(np.array([0, 0, 1, 1]), ["Jazz", "Folk"]))
    tools.show_region([0, 1])
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    buttons = {"legend": view.legend.header, **tools.mode_buttons, "play": tools.play_button,
               "clear": tools.clear_button}
    for name, button in buttons.items():
        button.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(button.hasFocus)
        assert _outline_width(button) >= LEAST_WIDTH, f"{name} (map {width} px): outline too thin"
        assert _room(button, True) == _room(button, False), f"{name}: the outline takes room"
        view.setFocus(Qt.FocusReason.OtherFocusReason)
        qtbot.waitUntil(lambda: not button.hasFocus())
        assert _outline_width(button) == 0, name
    return tools


def test_the_maps_focused_buttons_are_outlined_as_wide_as_the_other_controls(qtbot):
    assert not _check_outlines(qtbot, 600).compact


def test_the_icon_buttons_of_a_narrow_map_are_outlined_as_wide(qtbot):
    assert _check_outlines(qtbot, 230).compact
