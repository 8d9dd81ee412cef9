"""A Retrain's plots start from their default ranges, not the curves they showed before.

Between runs the dock shows the model in use's curves; a Retrain empties them, but the plots
kept those curves' ranges: until the new run's first validation, its validation plot was an
empty axis from 0.27 to 0.31, and the loss plot's scale was the old run's."""

from __future__ import annotations

from musicsage.graph.curves import TrainingCurves
from musicsage.progress import Progress
from training_panel_support import shown_training_panel

SAVED = TrainingCurves([(float(s), 6.0 - s / 50) for s in range(10, 201, 10)],
                       [(100.0, 0.265), (200.0, 0.315)], 200)


def _panel(qtbot):
    return shown_training_panel(qtbot)


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
    panel.add_progress([Progress("train", s, 400, "", {"step": s, "loss": 30.0 - s / 20})
                        for s in range(10, 301, 10)])  # a linear axis: 29.5 down to 15
    panel.add_progress([Progress("train", 300, 400, "", {"step": 300, "loss": 15.0,
                                                         "val_hr10": 0.42})])
    qtbot.wait(30)
    x, y = _ranges(panel.loss_plot)
    assert x[0] <= 10 and x[1] >= 300 and y[1] >= 29, (x, y)
    low, high = _ranges(panel.val_plot)[1]
    assert low <= 0.42 <= high, (low, high)


def test_a_new_run_says_it_waits_for_its_first_step(qtbot):
    """Until its first step, a Retrain's plots were numbered 0–1 axes with nothing on them."""
    from musicsage.gui.training_plots import NO_CURVE, WAITING

    panel = _panel(qtbot)
    panel.show_curves(SAVED)
    panel.start()
    panel.add_progress([Progress("train", 0, 0, "Building the graph…", {})])  # no step yet
    panel.grab()  # painted: a note places itself as it paints
    for plot, note in zip(panel.plots.plots, panel.empty_notes):
        assert note.isVisible() and note.toPlainText() == WAITING
        assert plot.getViewBox().sceneBoundingRect().contains(note.sceneBoundingRect())
    panel.add_progress([Progress("train", 1, 200, "", {"step": 1, "loss": 5.0})])
    assert not any(note.isVisible() for note in panel.empty_notes), \
        "the first point clears it (and no validation is missed yet)"
    panel.start()
    panel.finish("cancelled", None, "Training cancelled")  # before its first step; no model
    assert all(n.isVisible() and n.toPlainText() == NO_CURVE for n in panel.empty_notes)
