"""The welcome page scrolls its focused button into view when the window is made lower —
also while another window is active (a tiling window manager resizes it so): asked by the
button's ``hasFocus()``, which is false then, the page stayed at its top and "Add your music
folder…", pressed by Enter, was out of sight."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QWidget


def _in_view(welcome, widget) -> bool:
    viewport = welcome.area.viewport()
    top_left = widget.mapTo(viewport, widget.rect().topLeft())
    return viewport.rect().contains(QRect(top_left, widget.size()))


def test_a_resize_of_an_inactive_window_keeps_the_focused_button_in_view(qtbot, make_window,
                                                                         ctx):
    window = make_window(ctx)
    window.show()
    window.activateWindow()
    qtbot.wait(200)
    window.resize(1000, 760)
    qtbot.wait(300)
    button = window.welcome.add_button
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.wait(200)
    assert QApplication.activeWindow() is not window and window.welcome.focusWidget() is button
    window.resize(1, 1)  # the least size the window allows
    qtbot.wait(400)
    assert _in_view(window.welcome, button), "the button Enter presses is in sight"
