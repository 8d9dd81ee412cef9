"""The validation plot's "kept" label is not drawn over its curve: beside the kept point at
its height, it sat on the line running on from that point wherever the curve was flat (HR@10
the same at every step: "kept" struck through). Now it goes just above the curve there, or
below it where above has no room."""

from __future__ import annotations

import os

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from gui_support import shown_training_panel
from musicsage.progress import Progress


def _finished(qtbot, hr10: list[float], best: int, width: int = 1024):
    panel = shown_training_panel(qtbot, width, 200)
    panel.add_progress([Progress("train", 100 * (i + 1), 400, "",
                                 {"step": 100 * (i + 1), "loss": 3 - i / 10, "val_hr10": v})
                        for i, v in enumerate(hr10)])
    panel.finish("succeeded", None, "", best_step=best)
    qtbot.wait(20)
    return panel


def _ink(label):
    """The label's text in the scene: its box less the (blank) margins of its document."""
    pad = label.textItem.document().documentMargin()
    return label.sceneBoundingRect().adjusted(pad, pad, -pad, -pad)


def _curve_y_under_label(panel) -> list[float]:
    """The scene heights of the validation curve where the label spans it (its points there,
    and the curve at the label's two ends)."""
    plot, line = panel.plots.val_plot, panel.best_lines[1]
    vb, run = plot.getViewBox(), panel.plots.runs[0]
    text = _ink(line.label)
    x0, x1 = (vb.mapSceneToView(QPointF(x, 0)).x() for x in (text.left(), text.right()))
    ys = [float(np.interp(x, run.val_steps, run.val_hr10)) for x in (x0, x1)]
    ys += [y for x, y in zip(run.val_steps, run.val_hr10) if x0 <= x <= x1]
    return [vb.mapViewToScene(QPointF(x0, y)).y() for y in ys]


@pytest.mark.parametrize("hr10, best", [([0.4737] * 4, 100), ([0.4737] * 4, 300),
                                        ([0.3, 0.5, 0.5, 0.5], 200),
                                        ([0.2, 0.3, 0.6, 0.6], 300)])
def test_the_kept_label_is_off_a_flat_validation_curve(qtbot, hr10, best):
    panel = _finished(qtbot, hr10, best)
    plot, label = panel.plots.val_plot, panel.best_lines[1].label
    rect, box = _ink(label), plot.getViewBox().sceneBoundingRect()
    if os.environ.get("MUSICSAGE_TEST_SHOTS"):
        plot.grab().save(os.path.join(os.environ["MUSICSAGE_TEST_SHOTS"],
                                      f"kept_{best}_{hr10[-1]}.png"))
    for y in _curve_y_under_label(panel):
        assert not rect.top() <= y <= rect.bottom(), ("over the curve", rect, y)
    assert box.contains(label.sceneBoundingRect()), "inside its plot"
