"""While a map is computed (Recompute map, another space or graph model chosen: a minute or
two of UMAP on a large library) the map shown stays, dimmed, under "Computing the map…". The
message's label lay over the whole map but a 40-px margin and took every mouse event there:
a click on a point selected nothing, hovering said nothing, the wheel and a drag did not
move the map — it looked frozen, though the window's own thread was free. The message is
now only words over the map: the points under it are clicked and hovered as ever."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from gui_support import shown_map
from musicsage.gui.map_view import Colouring


def click_at(view, track_id: int) -> None:
    """A click where the point is drawn, delivered as the window delivers a real one: to
    whichever widget is on top there."""
    top = view.window()
    at = view.plot.mapTo(top, view.plot.mapFromScene(view.scene_pos_of(track_id)))
    QTest.mouseClick(top.windowHandle(), Qt.MouseButton.LeftButton, pos=QPoint(at))


def test_a_point_under_the_computing_message_can_be_clicked(qtbot):
    view, _tools = shown_map(qtbot, 500, 400)
    xy = np.array([[0, 0], [10, 0], [5, 10], [5, 5]], np.float32)
    view.set_points(np.arange(1, 5), xy, list("abcd"), Colouring(np.zeros(4, np.int64), ["x"]))
    view.set_message("Computing the map…")
    qtbot.wait(20)
    at = view.plot.mapTo(view, view.plot.mapFromScene(view.scene_pos_of(4)))
    assert view.message.isVisible() and view.message.geometry().contains(at), \
        "the point lies under the message"
    clicked = []
    view.track_clicked.connect(clicked.append)
    click_at(view, 4)
    qtbot.wait(20)
    assert clicked == [4]
    assert view.message.isVisible(), "the message stays until the new map is shown"
