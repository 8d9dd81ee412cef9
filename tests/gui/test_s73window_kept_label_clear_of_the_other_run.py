"""The validation plot's "kept" label is not drawn over the points of the run NOT kept either
(task s73 window). After a Retrain of two runs, the faded run's dots are still drawn and still
read as scores; only the kept run's points were kept clear, so "run 2" (or "kept: run 1") was
drawn across the other run's validation points where they sat beside the kept point."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QPointF

from training_panel_support import two_runs_kept


CASES = {  # (first run, second run, the run kept)
    "other-beside": ([0.5, 0.6, 0.62, 0.6, 0.61], [0.3, 0.55, 0.5, 0.45, 0.5], 1),
    "other-above": ([0.3, 0.4, 0.42, 0.41, 0.4], [0.45, 0.5, 0.5, 0.48, 0.5], 0),
    "other-close": ([0.6, 0.7, 0.7, 0.7, 0.7], [0.55, 0.66, 0.74, 0.73, 0.72], 0),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("best", [200, 300, 400])
@pytest.mark.parametrize("width", [800, 1024, 1400])
def test_the_kept_label_is_clear_of_both_runs_points(qtbot, width, best, case):
    first, second, kept = CASES[case]
    panel, view, label, ink = two_runs_kept(qtbot, width, 200, first, second, kept, best)
    over = []
    for index, run in enumerate(panel.plots.runs):
        for x, y in zip(run.val_steps, run.val_hr10):
            if index == kept and x == best:
                continue  # the kept point itself: the label sits beside it
            p = view.mapViewToScene(QPointF(x, y))
            # within half a marker (VAL_SYMBOL 8) of the text, less a pixel: the label is
            # placed by its share of the line's length, a fraction of a pixel off its search
            if ink.adjusted(-3, -3, 3, 3).contains(p):
                over.append((index, x, y))
    if os.environ.get("MUSICSAGE_TEST_SHOTS"):  # to look at
        panel.plots.val_plot.grab().save(os.path.join(os.environ["MUSICSAGE_TEST_SHOTS"],
                                      f"kept_other_{width}_{best}_{case}.png"))
    assert not over, (label.toPlainText(), ink, over)
    assert view.sceneBoundingRect().contains(label.sceneBoundingRect()), "inside its plot"
