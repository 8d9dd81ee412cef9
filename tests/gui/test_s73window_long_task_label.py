"""A running task's line on the status bar does not widen the window (task s73 window). The
label of an embed ends with the file being listened to; the bar's label asked for its whole
width as its least, so a long file name made the window wider than the screen while it ran —
an 800- or 1024-px window became 1,300 px or more wide, its right part (the lists, Cancel)
off the screen. Now the label gives way, the file name cut first ("…"), and says it whole
when asked (:meth:`text`)."""

from __future__ import annotations

import os

import pytest

from gui_support import settle

pytestmark = pytest.mark.usefixtures("shared_helper")

NAME = "07 - Pink Floyd - Shine On You Crazy Diamond (Parts I-V) [2011 Remaster].flac"
TEXT = f"Listening to the tracks (1,047 of 12,391, about 1 h 20 min left): {NAME}"


@pytest.mark.parametrize("width", [800, 1024])
def test_a_long_task_label_keeps_the_window_its_width(qtbot, make_window, library, tmp_path,
                                                     width):
    w = make_window(library)
    w.resize(width, 600)
    settle(qtbot, w)
    line = w.status_line
    line.task.setText(TEXT)
    for widget in (line.task, line.progress, line.cancel):
        widget.show()
    qtbot.wait(100)  # laid out again
    assert w.minimumSizeHint().width() <= width, "the window's least width grew"
    assert w.width() == width
    bar = w.statusBar()
    assert line.cancel.geometry().right() <= bar.width(), "Cancel within the window"
    assert line.task.text() == TEXT, "the whole line when asked"
    shown = line.task.fontMetrics().horizontalAdvance
    if shown(TEXT) > line.task.contentsRect().width():  # cut: the file's name first, marked
        assert line.task.accessibleName() == TEXT
    w.app.notify("Scan finished: 1 unreadable (music: cannot list folder: Permission denied)",
                 "warning")
    qtbot.wait(50)
    room = line.task.x() - 2 - 6  # the bar's message: from 6 px in to the task's label
    print("room", room)
    assert room >= width // 10, ("no room for a warning meanwhile", room)
    shots = os.environ.get("MUSICSAGE_TEST_SHOTS", str(tmp_path))  # to look at
    w.grab().save(os.path.join(shots, f"task_label_{width}.png"))
