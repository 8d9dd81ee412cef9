"""A running task's long line (an embed's, ending in a long file name) beside the status bar's
message: the window keeps the width the user gave it. With the bar that elides its message in
the middle, the task's label asked for its whole width and an 800-px window grew to 1,042 px,
past a small screen, its message drawn empty."""

from __future__ import annotations

import pytest

from gui_support import settle

pytestmark = pytest.mark.usefixtures("shared_helper")

NAME = "07 - Pink Floyd - Shine On You Crazy Diamond (Parts I-V) [2011 Remaster].flac"
LINE = f"Listening to the tracks (1,047 of 12,391, about 1 h 20 min left): {NAME}"


@pytest.mark.parametrize("width", [800, 1024])
def test_a_long_task_line_does_not_widen_the_window(qtbot, make_window, library, width):
    w = make_window(library)
    w.resize(width, 700)
    settle(qtbot, w)
    line = w.status_line
    line.task.setText(LINE)
    for widget in (line.task, line.progress, line.cancel):
        widget.show()
    qtbot.wait(100)

    assert w.minimumSizeHint().width() <= width
    assert w.width() == width
    assert line.cancel.geometry().right() <= w.statusBar().width()  # Cancel on screen
