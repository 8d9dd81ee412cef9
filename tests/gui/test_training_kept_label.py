"""The training dock's "kept" texts stay readable in a narrow dock.

The plots' "kept: run 2" label (on the line at the step kept) went on the right of a line left
of the middle, whatever the room there: cut at the plot's right edge by 2 px in a 1024-px
window, and by up to 37 px ("kept: r") in an 800-px one. The dock's "Kept: run 2 (playlists
only) — scored … on validation" line beside the plots wraps in its column."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from gui_support import shown_training_panel
from musicsage.controllers.training import RESULT_STAGE
from musicsage.progress import Progress

KEPT = "Kept: run 2 (playlists only) — scored 0.729 vs 0.587 on validation"


def _steps(stage: str, n: int) -> list[Progress]:
    return [Progress(stage, 100 * (i + 1), 3000, "", {"step": 100 * (i + 1),
                                                      "loss": 3 - i / 10, "val_hr10": 0.5 + i / 40})
            for i in range(n)]


def _finished_panel(qtbot, width: int, best: int, steps: int = 12):
    """A training panel ``width`` px wide after a Retrain of two runs that kept run 2's
    step ``best``."""
    panel = shown_training_panel(qtbot, width, 200)
    panel.add_progress(_steps("train", steps - 2))
    panel.add_progress(_steps("train-playlists", steps)
                       + [Progress(RESULT_STAGE, 1, 1, KEPT, {"kept_run": 1, "kept_tip": "why"})])
    panel.finish("succeeded", None, "", best_step=best)
    qtbot.wait(20)
    return panel


@pytest.mark.parametrize("width", [1024, 800])
@pytest.mark.parametrize("best", [100, 500, 600, 700, 1200])
def test_the_kept_label_stays_inside_its_plot(qtbot, width, best):
    panel = _finished_panel(qtbot, width, best)
    for plot, line in zip(panel.plots.plots, panel.best_lines):
        box = plot.getViewBox().sceneBoundingRect()
        label = line.label.sceneBoundingRect()
        assert box.left() <= label.left() and label.right() <= box.right(), \
            (line.label.toPlainText(), label, box)
        assert line.label.toolTip() == "kept: run 2"
        assert line.label.toPlainText() in ("kept: run 2", "run 2")
    if width == 1024:
        assert panel.best_lines[0].label.toPlainText() == "kept: run 2", "in full where it fits"


def test_a_shortened_kept_label_says_it_in_full_on_hover(qtbot):
    panel = _finished_panel(qtbot, 800, 600)
    plot, line = panel.plots.plots[0], panel.best_lines[0]
    assert line.label.toPlainText() == "run 2", "an 800-px window's plot is narrower"
    at = plot.mapFromScene(line.label.sceneBoundingRect().center())
    QApplication.sendEvent(plot.viewport(), QHelpEvent(QEvent.Type.ToolTip, at,
                                                       plot.viewport().mapToGlobal(at)))
    assert QToolTip.text() == "kept: run 2"


def test_the_docks_kept_line_wraps_in_its_column(qtbot):
    """(It did: a guard.) Beside the plots at 1024 px, the line is as wide as its column at
    most and as high as its wrapped lines."""
    panel = _finished_panel(qtbot, 1024, 300)
    line = panel.kept_line
    assert line.text() == KEPT and line.isVisible()
    assert line.fontMetrics().horizontalAdvance(KEPT) > line.width(), "it wraps"
    assert line.width() <= panel.side_scroll.viewport().width()
    assert line.height() >= line.heightForWidth(line.width())
