"""The validation plot's "kept" label marks the point kept, and its title is one at any size.

In a 1024×700 window the label sat at the foot of the "kept" line, ~20 px from the step-100
point, which was not kept (the kept one, step 200, was at the top); and the title read
"Early-stopping HR@10" at 1400 px but "Early stopping" at 1024."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QPointF

from gui_support import shown_training_panel
from musicsage.progress import Progress


def _panel(qtbot, width: int, hr: list[float], best: int):
    """A training panel ``width`` px wide after one run validated ``hr`` at steps 100, 200…
    and kept step ``best``."""
    panel = shown_training_panel(qtbot, width, 220)
    panel.add_progress([Progress("train", 100 * (i + 1), 3000, "",
                                 {"step": 100 * (i + 1), "loss": 3 - i / 10, "val_hr10": v})
                        for i, v in enumerate(hr)])
    panel.finish("succeeded", None, "", best_step=best)
    qtbot.wait(20)
    return panel


def _distance(rect, point) -> float:
    dx = max(rect.left() - point.x(), 0.0, point.x() - rect.right())
    dy = max(rect.top() - point.y(), 0.0, point.y() - rect.bottom())
    return math.hypot(dx, dy)


@pytest.mark.parametrize("width", [560, 760, 1024, 1400])
@pytest.mark.parametrize("hr, best", [([0.263, 0.315], 200), ([0.25, 0.31, 0.30, 0.28], 200),
                                      ([0.30, 0.26, 0.22], 100)])
def test_the_kept_label_is_nearest_the_kept_point(qtbot, width, hr, best):
    panel = _panel(qtbot, width, hr, best)
    plot, line = panel.plots.val_plot, panel.best_lines[1]
    box = line.label.sceneBoundingRect()
    view = plot.getViewBox()
    points = {100 * (i + 1): view.mapViewToScene(QPointF(100 * (i + 1), v))
              for i, v in enumerate(hr)}
    kept = _distance(box, points.pop(best))
    assert all(kept < _distance(box, p) for p in points.values()), (width, box, kept, points)
    assert plot.getViewBox().sceneBoundingRect().contains(box), "inside its plot"


def test_the_validation_title_is_one_at_both_window_sizes(qtbot):
    titles = {_panel(qtbot, w, [0.263, 0.315], 200).plots.val_plot.plotItem.titleLabel.text
              for w in (1024, 1400)}
    assert len(titles) == 1, titles
