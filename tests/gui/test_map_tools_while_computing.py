"""The map's Lasso and Rectangle stayed on while a map was computed (another space, Map ▸
Recompute map): a region drawn over the points about to be replaced selected tracks that had
moved. They are greyed now, their tooltips saying why, as the window greys its other controls
while a library is read; a mode left on Lasso goes back to Pan (pytest-qt, offscreen)."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt

from musicsage.controllers.map_tools import COMPUTING_TIP

SHOTS = os.environ.get("MUSICSAGE_TEST_SHOTS")
"""A folder to save the window in, greyed, to look at (unset: nothing saved)."""


def test_lasso_and_rectangle_are_greyed_while_the_map_is_computed(qtbot, make_window, library):
    w = make_window(library)
    w.resize(1024, 640)
    qtbot.waitUntil(lambda: w.map.xy is not None and len(w.map.xy) == 12)
    tools = w.map_tools
    buttons = tools.mode_buttons
    qtbot.waitUntil(lambda: buttons["lasso"].isEnabled())
    qtbot.mouseClick(buttons["lasso"], Qt.MouseButton.LeftButton)
    assert tools.mode == "lasso"

    w.app.map.refresh(relayout=True)  # Map ▸ Recompute map
    assert not buttons["lasso"].isEnabled() and not buttons["rect"].isEnabled()
    assert buttons["pan"].isEnabled() and tools.mode == "pan"
    assert buttons["lasso"].toolTip() == f"Lasso: {COMPUTING_TIP}"
    assert buttons["rect"].toolTip() == f"Rectangle: {COMPUTING_TIP}"
    if SHOTS:
        w.grab().save(os.path.join(SHOTS, "map_tools_while_computing.png"))

    qtbot.waitUntil(lambda: buttons["lasso"].isEnabled() and buttons["rect"].isEnabled())
    assert buttons["lasso"].toolTip() == "Lasso: drag around tracks to select a region"
    qtbot.mouseClick(buttons["rect"], Qt.MouseButton.LeftButton)
    assert tools.mode == "rect"
