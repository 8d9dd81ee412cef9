"""The running task's label on the status bar reads whole in a wide window, and hovering it
where it is elided shows it whole (task fix_window). Capped at 420 px in any window, so that a
warning meanwhile had room in an 800-px one, it cut "(the demo library, not the one shown)" —
whose library the task works on — and "(up to a minute)" in a 1920-px window with half the bar
empty; hovering the cut line showed the status message's tooltip, not the line."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QLabel, QToolTip

from gui_support import settle
from musicsage.controllers.wording import FIRST_MAP
from musicsage.gui.status_bar import TASK_MOST_WIDTH

pytestmark = pytest.mark.usefixtures("shared_helper")

TEXTS = [FIRST_MAP,
         "Reading again the tags an older version misread (the demo library, not the one shown)…"]
LONG = ("Listening to the tracks (1,047 of 12,391, about 1 h 20 min left): 07 - Pink Floyd - "
        "Shine On You Crazy Diamond (Parts I-V) [2011 Remaster].flac")


@pytest.mark.parametrize("text", TEXTS, ids=["first-map", "not-the-one-shown"])
def test_a_task_label_reads_whole_in_a_wide_window(qtbot, make_window, library, text):
    w = make_window(library)
    w.resize(1920, 1000)
    settle(qtbot, w)
    line = w.status_line
    assert line.task.fontMetrics().horizontalAdvance(text) > TASK_MOST_WIDTH, "a long line"
    w.app.tasks.progressed.emit(text, 0, None)  # as LongTasks says a task's line
    qtbot.wait(100)  # laid out again
    assert QLabel.text(line.task) == text, "drawn whole (QLabel's text: the one drawn)"
    room = line.task.x() - 2 - 6  # the bar's message: from 6 px in to the task's label
    assert room >= w.width() // 4, ("a warning meanwhile still has room", room)


def _hovered_tip(qtbot, widget) -> str:
    """The tooltip shown on hovering ``widget``'s middle."""
    pos = QPoint(widget.width() // 2, widget.height() // 2)
    QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, pos, widget.mapToGlobal(pos)))
    qtbot.wait(50)
    shown = QToolTip.text() if QToolTip.isVisible() else ""
    QToolTip.hideText()
    return shown


@pytest.mark.parametrize("width", [800, 1024])
def test_hovering_the_elided_task_label_shows_it_whole(qtbot, make_window, library, width):
    w = make_window(library)
    w.resize(width, 600)
    settle(qtbot, w)
    line, bar = w.status_line, w.statusBar()
    w.app.tasks.progressed.emit(LONG, 1047, 12391)
    bar.showMessage("Scan finished: 1 unreadable (music: cannot list folder: Permission denied)")
    qtbot.wait(100)
    assert QLabel.text(line.task) != LONG and QLabel.text(line.task).endswith("…"), "elided"
    assert _hovered_tip(qtbot, line.task) == LONG
