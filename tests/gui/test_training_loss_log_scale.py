"""The training dock's loss curve stays readable when the loss spans orders of magnitude.

A loss falling from 10,000 to 0.01 (or one step jumping a thousandfold) was drawn on a linear
axis: every step after the first few lay flat on the axis' foot, so whether the run still
learned at its end could not be seen. From a factor of 100 the axis is logarithmic and named
so; a loss of ordinary range keeps its linear axis, and a new run starts linear again."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF

from musicsage.graph.curves import TrainingCurves
from musicsage.progress import Progress
from training_panel_support import shown_training_panel


def _panel(qtbot):
    return shown_training_panel(qtbot, started=True)


def _step(step: int, loss: float) -> Progress:
    return Progress("train", step, 200, f"loss {loss:.3f}", {"step": step, "loss": loss})


def _scene_y(panel, step: float, loss: float) -> float:
    """Where the loss point of ``step`` is drawn (px, in the plot's scene)."""
    vb = panel.loss_plot.getViewBox()
    y = math.log10(loss) if panel.loss_plot.getAxis("left").logMode else loss
    return vb.mapViewToScene(QPointF(step, y)).y()


def _height_between(panel, a: tuple[float, float], b: tuple[float, float]) -> float:
    panel.loss_plot.getViewBox().autoRange()
    return abs(_scene_y(panel, *a) - _scene_y(panel, *b))


def test_a_loss_over_orders_of_magnitude_shows_the_end_of_the_run(qtbot):
    panel = _panel(qtbot)
    losses = {s: 1e4 * math.exp(-s / 14) for s in range(1, 201)}
    panel.add_progress([_step(s, v) for s, v in losses.items()])
    # the last 100 steps (0.08 down to 0.0008): a visible slope, not a line on the foot
    assert _height_between(panel, (100, losses[100]), (200, losses[200])) > 20
    label = panel.loss_plot.getAxis("left").labelText
    assert "log" in label and "0 drawn" not in label, label


def test_one_step_that_jumps_does_not_flatten_the_rest(qtbot):
    panel = _panel(qtbot)
    losses = {s: (5e4 if s == 50 else 1.0 - s / 400) for s in range(1, 201)}
    panel.add_progress([_step(s, v) for s, v in losses.items()])
    assert _height_between(panel, (10, losses[10]), (200, losses[200])) > 5


def test_an_ordinary_loss_keeps_a_linear_axis_and_a_new_run_starts_linear(qtbot):
    panel = _panel(qtbot)
    panel.add_progress([_step(s, 6.0 - s / 50) for s in range(1, 201)])
    axis = panel.loss_plot.getAxis("left")
    assert not axis.logMode and axis.labelText == "loss"
    panel.start()
    panel.add_progress([_step(s, 1e3 * math.exp(-s / 20)) for s in range(1, 201)])
    assert axis.logMode
    panel.start()
    assert not axis.logMode and axis.labelText == "loss"


def test_a_loss_that_reaches_zero_keeps_the_log_axis_and_says_so(qtbot):
    """The hinge, max(0, …), reaches 0: a single 0 turned the axis linear, and the run's end
    lay flat on its foot again. On the log axis a 0 is drawn at a floor the axis' name gives."""
    panel = _panel(qtbot)
    losses = {s: (0.2 * math.exp(-s / 20) if s < 190 else 0.0) for s in range(1, 201)}
    panel.add_progress([_step(s, v) for s, v in losses.items()])
    axis = panel.loss_plot.getAxis("left")
    assert axis.logMode
    assert "0 drawn at" in axis.labelText, axis.labelText
    # 0.0014 down to 0.00001: a visible slope, not a line on the foot
    assert _height_between(panel, (100, losses[100]), (189, losses[189])) > 20
    panel.start()
    panel.add_progress([_step(s, 1e3 * math.exp(-s / 20)) for s in range(1, 201)])
    assert axis.logMode and "0 drawn" not in axis.labelText, "no 0 in this run"


def test_a_loss_below_zero_stays_linear(qtbot):
    """A log axis has no place for it: such points would be dropped from the curve."""
    panel = _panel(qtbot)
    panel.add_progress([_step(s, 1e3 - 5 * s) for s in range(1, 202)])  # ends at -5
    assert not panel.loss_plot.getAxis("left").logMode


def test_a_saved_models_curves_take_the_scale_they_need(qtbot):
    panel = _panel(qtbot)
    steep = TrainingCurves([(float(s), 1e3 * math.exp(-s / 20)) for s in range(10, 201, 10)],
                           [(100.0, 0.2), (200.0, 0.3)], 100)
    panel.show_curves(steep)
    assert panel.loss_plot.getAxis("left").logMode
    # the "kept" label stays inside the loss plot on the log axis
    qtbot.wait(30)
    label = panel.best_lines[0].label.sceneBoundingRect()
    assert panel.loss_plot.getViewBox().sceneBoundingRect().contains(label.center())
    panel.show_curves(TrainingCurves([(10.0, 3.0), (20.0, 2.0)], [], 20))
    assert not panel.loss_plot.getAxis("left").logMode
