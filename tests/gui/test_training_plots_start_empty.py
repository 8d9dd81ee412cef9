"""A Retrain's plots start from their default ranges, not the curves they showed before.

Between runs the dock shows the model in use's curves; a Retrain empties them, but the plots
kept those curves' ranges: until the new run's first validation, its validation plot was an
empty axis from 0.27 to 0.31, and the loss plot's scale was the old run's."""

from __future__ import annotations

from musicsage.graph.curves import TrainingCurves
from musicsage.progress import Progress

SAVED = TrainingCurves([(float(s), 6.0 - s / 50) for s in range(10, 201, 10)],
                       [(100.0, 0.265), (200.0, 0.315)], 200)


def _panel(qtbot):
    from musicsage.gui.training_dock import TrainingPanel

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.resize(1100, 260)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def _ranges(plot) -> tuple[list[float], list[float]]:
    return plot.getViewBox().viewRange()


def test_a_new_run_does_not_show_the_old_curves_ranges(qtbot):
    panel = _panel(qtbot)
    panel.show_curves(SAVED)
    qtbot.wait(30)
    assert _ranges(panel.val_plot)[1][1] < 0.5  # the saved curve's close-up
    panel.start()
    qtbot.wait(30)
    x, y = _ranges(panel.loss_plot)
    assert x[1] < 10 and y[1] < 2, (x, y)  # not steps to 200, loss to 6
    low, high = _ranges(panel.val_plot)[1]
    assert low <= 0.0 and high >= 1.0, (low, high)


def test_the_run_s_own_points_set_the_ranges_again(qtbot):
    panel = _panel(qtbot)
    panel.show_curves(SAVED)
    panel.start()
    panel.add_progress([Progress("train", s, 400, "", {"step": s, "loss": 30.0 - s / 10})
                        for s in range(10, 301, 10)])
    panel.add_progress([Progress("train", 300, 400, "", {"step": 300, "loss": 0.1,
                                                         "val_hr10": 0.42})])
    qtbot.wait(30)
    x, y = _ranges(panel.loss_plot)
    assert x[0] <= 10 and x[1] >= 300 and y[1] >= 29, (x, y)
    low, high = _ranges(panel.val_plot)[1]
    assert low <= 0.42 <= high, (low, high)
