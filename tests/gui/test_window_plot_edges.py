"""The training dock's plots at their edges (task "window"): HR@10 points at exactly 0 or 1 had
their markers cut in half by the plot's edge; a loss curve flat at 0 got an axis from -0.5 to
0.5; a single loss of 1e12 got ticks that all read "1e+12"; a one-step run had no step tick."""

from __future__ import annotations

from PySide6.QtCore import QPointF

from musicsage.progress import Progress


def _panel(qtbot):
    from musicsage.gui.training_dock import TrainingPanel

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.resize(1100, 300)
    panel.show()
    qtbot.waitExposed(panel)
    panel.start()
    return panel


def _step(step: int, loss: float, val: float | None = None) -> Progress:
    extra = {"step": step, "loss": loss} | ({} if val is None else {"val_hr10": val})
    return Progress("train", step, 200, f"loss {loss}", extra)


def _settle(qtbot, panel) -> None:
    for plot in panel.plots.plots:
        plot.getViewBox().updateAutoRange()
    qtbot.wait(50)


def _labels(plot, axis: str) -> list[str]:
    """The tick labels the axis would draw for the plot's current view."""
    item = plot.getAxis(axis)
    low, high = plot.getViewBox().viewRange()[1 if axis == "left" else 0]
    size = item.height() if axis == "left" else item.width()
    out: list[str] = []
    for spacing, values in item.tickValues(low, high, size)[:1]:  # the labelled level
        out += item.tickStrings(values, 1.0, spacing)
    return out


def test_hr10_points_at_0_and_1_are_drawn_whole(qtbot):
    from musicsage.gui.training_plots import VAL_SYMBOL

    panel = _panel(qtbot)
    panel.add_progress([_step(10, 3.0, 0.0), _step(20, 2.0, 0.5), _step(30, 1.0, 1.0)])
    _settle(qtbot, panel)
    box = panel.val_plot.getViewBox()
    rect = box.sceneBoundingRect()
    for value in (0.0, 1.0):
        y = box.mapViewToScene(QPointF(10, value)).y()
        assert rect.top() + VAL_SYMBOL / 2 <= y <= rect.bottom() - VAL_SYMBOL / 2, (value, y, rect)
    labels = _labels(panel.val_plot, "left")
    assert not any(label.startswith("-") for label in labels), labels
    assert all(float(label) <= 1.0 for label in labels), labels


def _drawn(plot, axis: str) -> list[str]:
    """The tick labels the axis draws (pyqtgraph leaves out one it has no room for)."""
    from PySide6.QtGui import QImage, QPainter

    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = plot.getAxis(axis).generateDrawSpecs(painter)
    finally:
        painter.end()
    return [] if specs is None else [text for _rect, _flags, text in specs[2]]


def test_hr10_labels_0_and_1_are_drawn_on_the_lowest_dock(qtbot):
    """At the dock's least height the view's room past 0 and 1 is a few pixels: the labels
    "0" and "1.0" were left out, the axis reading from 0.2 to 0.8."""
    panel = _panel(qtbot)
    panel.resize(1100, panel.minimumSizeHint().height())
    panel.add_progress([_step(10, 3.0, 0.0), _step(20, 2.0, 0.5), _step(30, 1.0, 1.0)])
    _settle(qtbot, panel)
    assert panel.val_plot.getAxis("left").height() < 120  # (the case: a low plot)
    drawn = _drawn(panel.val_plot, "left")
    assert drawn[0] == "0" and drawn[-1] == "1.0", drawn


def test_a_loss_flat_at_zero_has_no_negative_axis(qtbot):
    panel = _panel(qtbot)
    panel.add_progress([_step(10, 0.0), _step(20, 0.0), _step(30, 0.0)])
    _settle(qtbot, panel)
    low, high = panel.loss_plot.getViewBox().viewRange()[1]
    assert -0.1 <= low <= 0.0 < high, (low, high)
    labels = _labels(panel.loss_plot, "left")
    assert "0" in labels and not any(label.startswith("-") for label in labels), labels
    # a step that is not flat gives the plot its own range again
    panel.add_progress([_step(40, 2.0)])
    _settle(qtbot, panel)
    assert panel.loss_plot.getViewBox().viewRange()[1][1] > 1.9


def test_a_single_huge_loss_has_readable_ticks(qtbot):
    panel = _panel(qtbot)
    panel.add_progress([_step(10, 1e12)])
    _settle(qtbot, panel)
    labels = _labels(panel.loss_plot, "left")
    assert len(labels) >= 2 and len(set(labels)) == len(labels), labels
    low, high = panel.loss_plot.getViewBox().viewRange()[1]
    assert low < 1e12 < high


def test_a_one_step_run_has_its_step_ticked(qtbot):
    panel = _panel(qtbot)
    panel.add_progress([_step(10, 0.5, 0.2)])
    _settle(qtbot, panel)
    assert "10" in _labels(panel.loss_plot, "bottom"), _labels(panel.loss_plot, "bottom")
