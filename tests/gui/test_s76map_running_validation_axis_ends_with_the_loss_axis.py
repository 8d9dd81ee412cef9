"""A run still going in the training dock: it has reached step 200 and validated at step 100
only. The validation plot follows the loss plot's steps, but its step axis took the run's end
from its own points (100): it read "0 100" beside the loss plot's "0 100 200" — the run's
last step, what the axis is read for, kept on one plot and dropped on the other. Both axes
take the run's end from the steps they share now."""

from __future__ import annotations

from musicsage.progress import Progress


def _running(qtbot, width: int, last: int):
    from musicsage.gui.training_dock import TrainingPanel

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.resize(width, 260)
    panel.show()
    qtbot.waitExposed(panel)
    panel.start()
    panel.add_progress([Progress("train", s, 1000, extra={
        "step": s, "loss": 6.0 - s / 50, "val_hr10": 0.25 if s == 100 else None})
        for s in range(10, last + 1, 10)])
    qtbot.wait(30)
    return panel


def test_both_step_axes_know_the_run_s_end_while_it_runs(qtbot):
    panel = _running(qtbot, 775, 200)
    assert [plot.getAxis("bottom").run_end() for plot in panel.plots.plots] == ["200", "200"]


def test_the_validation_axis_keeps_the_last_step_the_loss_axis_keeps(qtbot):
    from PySide6.QtGui import QImage, QPainter

    panel = _running(qtbot, 775, 200)
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        last = [plot.getAxis("bottom").generateDrawSpecs(painter)[2][-1][2]
                for plot in panel.plots.plots]
    finally:
        painter.end()
    assert last == ["200", "200"], last
