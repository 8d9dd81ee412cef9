"""A running task's line on the status bar leaves a warning room beside it (task s73 window).
The label of an embed ends with the file being listened to; the bar's label asked for its
whole width as its least, so with a long file name it took the whole bar, from 2 px in: a
warning meanwhile (a file left out, a folder that cannot be read) had no room at all, in an
800- and a 1024-px window alike, and the line itself was cut at the label's edge, mid-letter
and unmarked. (The window did not grow: its least width stayed 771 px.) Now the label gives
way, the file's name cut first, marked "…"."""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QLabel

from gui_support import settle

pytestmark = pytest.mark.usefixtures("shared_helper")

NAME = "07 - Pink Floyd - Shine On You Crazy Diamond (Parts I-V) [2011 Remaster].flac"
TEXT = f"Listening to the tracks (1,047 of 12,391, about 1 h 20 min left): {NAME}"


@pytest.mark.parametrize("width", [800, 1024])
def test_a_long_task_label_leaves_a_warning_room(qtbot, make_window, library, tmp_path,
                                                  width):
    w = make_window(library)
    w.resize(width, 600)
    settle(qtbot, w)
    line = w.status_line
    line.task.setText(TEXT)
    for widget in (line.task, line.progress, line.cancel):
        widget.show()
    qtbot.wait(100)  # laid out again
    drawn = QLabel.text(line.task)  # (QLabel's text: the one drawn)
    fm = line.task.fontMetrics()
    assert fm.horizontalAdvance(drawn) <= line.task.contentsRect().width(), (
        "cut at the label's edge", drawn)
    assert drawn == TEXT or drawn.endswith("…"), ("cut unmarked", drawn)
    w.app.notify("Scan finished: 1 unreadable (music: cannot list folder: Permission denied)",
                 "warning")
    qtbot.wait(50)
    room = line.task.x() - 2 - 6  # the bar's message: from 6 px in to the task's label
    assert room >= width // 10, ("no room for a warning meanwhile", room)
    shots = os.environ.get("MUSICSAGE_TEST_SHOTS", str(tmp_path))  # to look at
    w.grab().save(os.path.join(shots, f"task_label_{width}.png"))
