"""The training dock with a run of one step, and with losses or scores that are not numbers.

One step drew a loss curve of one point, which a line does not show: the plot read empty.
A NaN validation score was plotted and put "validation HR@10 nan" in the status; a NaN loss
(a run diverging) left the status quoting the last finite loss as the current step's, and then
said nothing of it while the curve just stopped."""

from __future__ import annotations

from PySide6.QtGui import QColor

from musicsage.progress import Progress


def _panel(qtbot):
    from musicsage.gui.training_dock import TrainingPanel

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.resize(1100, 260)
    panel.show()
    qtbot.waitExposed(panel)
    panel.start()
    return panel


def _step(step: int, loss: float, val: float | None = None, total: int = 200) -> Progress:
    extra = {"step": step, "loss": loss} | ({} if val is None else {"val_hr10": val})
    return Progress("train", step, total, f"loss {loss:.3f}", extra)


def _pixels_of(widget, colour: QColor) -> int:
    image = widget.grab().toImage()
    return sum(1 for y in range(image.height()) for x in range(image.width())
               if QColor(image.pixel(x, y)).rgb() == colour.rgb())


def test_a_one_step_run_shows_its_loss_point(qtbot):
    panel = _panel(qtbot)
    panel.add_progress([_step(1, 0.8, total=1)])
    panel.finish("succeeded", None, "Training finished", best_step=1)
    qtbot.waitUntil(lambda: panel.loss_plot.isVisible())
    colour = panel.plots.colours.series["loss"]
    qtbot.waitUntil(lambda: _pixels_of(panel.loss_plot, colour) > 0, timeout=10_000)
    with_point = _pixels_of(panel.loss_plot, colour)
    # the same render without the point's symbol: what the plot drew before, empty of it
    panel.plots.run_of("train").loss_curve.setSymbol(None)
    qtbot.waitUntil(lambda: _pixels_of(panel.loss_plot, colour) < with_point, timeout=10_000)


def test_a_nan_validation_score_is_not_a_point(qtbot):
    panel = _panel(qtbot)
    panel.add_progress([_step(10, 3.0, 0.2), _step(20, 2.5, float("nan"))])
    assert panel.val_steps == [10] and panel.val_hr10 == [0.2]
    assert "nan" not in panel.status.text().lower()


def test_a_nan_loss_is_not_quoted_as_the_last_finite_one(qtbot):
    panel = _panel(qtbot)
    panel.add_progress([_step(10, 3.0)])
    assert "loss 3.0000" in panel.status.text()
    panel.add_progress([_step(20, float("nan"))])
    assert panel.status.text().startswith("step 20"), panel.status.text()
    assert "loss 3.0000" not in panel.status.text()


def test_a_diverging_run_says_its_loss_is_not_a_number(qtbot):
    """The curve just stopped and the status said nothing of why."""
    panel = _panel(qtbot)
    panel.add_progress([_step(10, 3.0, 0.2), _step(20, float("nan"))])
    text = panel.status.text()
    assert "loss is not a finite number (training diverged?)" in text, text
    assert text.endswith(", validation HR@10 0.200"), text
    panel.add_progress([_step(30, float("inf"))])
    assert "loss is not a finite number" in panel.status.text()
    panel.add_progress([_step(40, 2.0)])
    assert "not a finite number" not in panel.status.text()
    assert "loss 2.0000" in panel.status.text()
