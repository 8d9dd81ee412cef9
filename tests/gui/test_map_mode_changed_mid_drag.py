"""A drag begun in Pan whose mode changes to Lasso before the mouse is released (Space on
the focused Lasso button, the mouse still down) pans on to its end: the map's drag hook
looked for the shape's last corner, which no press had begun, and raised IndexError on every
move of the mouse. A drag begun afterwards draws its lasso as before. The other way round, a
lasso half drawn when the mode goes back to Pan is dropped: it stayed on the map, and Esc,
waiting for it to end, no longer cancelled the running task."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt

from gui_support import shown_map


class Drag:
    """A left-button drag step as pyqtgraph hands it to the view (scene = view coordinates
    here: what matters is that the pointer moved)."""

    def __init__(self, at: QPointF, last: QPointF, *, start=False, finish=False) -> None:
        self.at, self.last, self.start, self.finish = at, last, start, finish

    def button(self):
        return Qt.MouseButton.LeftButton

    def isStart(self):  # noqa: N802 - pyqtgraph API
        return self.start

    def isFinish(self):  # noqa: N802 - pyqtgraph API
        return self.finish

    def pos(self):
        return pg.Point(self.at)

    def lastPos(self):  # noqa: N802 - pyqtgraph API
        return pg.Point(self.last)

    def scenePos(self):  # noqa: N802 - pyqtgraph API
        return self.at

    def buttonDownScenePos(self):  # noqa: N802 - pyqtgraph API
        return self.last

    def buttonDownPos(self):  # noqa: N802 - pyqtgraph API
        return pg.Point(self.last)

    def modifiers(self):
        return Qt.KeyboardModifier.NoModifier

    def accept(self):
        pass

    def ignore(self):
        pass


def test_a_pan_drag_goes_on_panning_when_the_mode_changes_under_it(qtbot):
    view, tools = shown_map(qtbot, 500, 400)
    view.set_points(np.arange(4), np.random.default_rng(0).random((4, 2)), list("abcd"))
    drawn = []
    tools.polygon_drawn.connect(drawn.append)
    vb = view.view
    vb.mouseDragEvent(Drag(QPointF(200, 200), QPointF(190, 200), start=True))  # Pan
    tools.mode_buttons["lasso"].click()
    before = vb.viewRange()
    vb.mouseDragEvent(Drag(QPointF(220, 210), QPointF(200, 200)))
    vb.mouseDragEvent(Drag(QPointF(240, 220), QPointF(220, 210), finish=True))
    assert vb.viewRange() != before, "the drag went on panning"
    assert drawn == [] and not tools.drawing()
    corners = [QPointF(100, 100), QPointF(300, 100), QPointF(300, 300), QPointF(100, 300)]
    for i, corner in enumerate(corners):  # the next drag draws a lasso
        vb.mouseDragEvent(Drag(corner, corners[i - 1] if i else corner, start=i == 0,
                               finish=i == len(corners) - 1))
    assert len(drawn) == 1 and len(drawn[0]) >= 3


def test_a_half_drawn_lasso_is_dropped_when_the_mode_goes_back_to_pan(qtbot):
    view, tools = shown_map(qtbot, 500, 400)
    view.set_points(np.arange(4), np.random.default_rng(0).random((4, 2)), list("abcd"))
    drawn = []
    tools.polygon_drawn.connect(drawn.append)
    vb = view.view
    tools.mode_buttons["lasso"].click()
    vb.mouseDragEvent(Drag(QPointF(300, 100), QPointF(100, 100), start=True))
    vb.mouseDragEvent(Drag(QPointF(300, 300), QPointF(300, 100)))
    assert tools.drawing()
    tools.mode_buttons["pan"].click()  # Tab to Pan and Space, the mouse still down
    assert not tools.drawing(), "Esc cancels the running task again"
    outline = tools._outline.getData()[0]
    assert outline is None or len(outline) == 0, "no half-drawn lasso left on the map"
    before = vb.viewRange()
    vb.mouseDragEvent(Drag(QPointF(100, 300), QPointF(300, 300), finish=True))
    assert drawn == [] and not tools.drawing()
    assert vb.viewRange() != before, "the rest of the drag pans"
