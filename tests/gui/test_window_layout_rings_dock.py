"""The panels' widths with the training dock docked on the right of the window.

The widths were shared out of the whole window's width, so the dock's width was taken from
the map and the lists, which the splitter then squeezed: they must be shared out of the
width the panels actually have, beside the dock."""

from __future__ import annotations

from PySide6.QtCore import Qt

from musicsage.gui.panel_widths import readable_split, wider_library
from musicsage.gui.window_settings import first_splitter_sizes


def _first_sizes(splitter) -> list[int]:
    """The widths a fresh layout gives a splitter as wide as ``splitter``."""
    room = splitter.width() - splitter.handleWidth() * (splitter.count() - 1)
    return wider_library(readable_split(first_splitter_sizes(splitter.width()), room), room)


def test_panels_beside_a_dock_on_the_right_share_the_room_they_have(qtbot, make_window, library):
    w = make_window(library)
    w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, w.training)
    w.training.show()
    w.resizeDocks([w.training], [360], Qt.Orientation.Horizontal)
    qtbot.wait(50)
    w.resize(1600, 900)  # the panels follow the window: the user has dragged no handle
    qtbot.waitUntil(lambda: w.width() == 1600)
    qtbot.wait(50)
    splitter = w.splitter
    assert splitter.width() <= 1600 - w.training.width(), "the dock beside the panels"
    assert splitter.sizes() == _first_sizes(splitter)
