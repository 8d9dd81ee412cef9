"""The training dock's validation plot reads as what it is.

Its "Validation HR@10" curve ended at 0.315 beside the table's HR@10 0.628: nothing said the
curve scores the trainer's own validation split (for early stopping) and the table the
evaluation's held-out pairs. Two validation points joined by a line read as a trend; the
"kept" label sat on the best point it marks; the last step's tick ("200") was hidden at the
plot's right edge in a 1024-px window."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage, QPainter

from musicsage.graph.curves import TrainingCurves

CURVES = TrainingCurves([(float(s), 6.0 - s / 50) for s in range(10, 201, 10)],
                        [(100.0, 0.265), (200.0, 0.315)], 200)


def _panel(qtbot, width: int):
    from musicsage.gui.training_dock import TrainingPanel

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.resize(width, 260)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_curves(CURVES)
    qtbot.wait(30)
    return panel


def _tick_texts(plot) -> list[str]:
    axis = plot.getAxis("bottom")
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [text for *_rest, text in specs[2]]


def test_the_validation_plot_says_it_is_the_trainers_split(qtbot):
    panel = _panel(qtbot, 1400)
    title = panel.val_plot.plotItem.titleLabel.text
    assert "early" in title.lower(), title
    tip = panel.val_plot.toolTip()
    assert "early stopping" in tip and "held-out pairs" in tip


def test_two_validation_points_are_markers_not_a_slope(qtbot):
    from PySide6.QtCore import Qt

    panel = _panel(qtbot, 1400)
    curve = panel.val_curve
    assert curve.opts["symbol"] == "o" and curve.opts["symbolSize"] >= 7
    assert curve.opts["pen"] is None or curve.opts["pen"].style() == Qt.PenStyle.NoPen
    panel.plots.show_saved(TrainingCurves(CURVES.loss, [(50.0, 0.2), (100.0, 0.265),
                                                        (200.0, 0.315)], 200))
    assert curve.opts["pen"].style() != Qt.PenStyle.NoPen, "three points: a line joins them"


def test_the_kept_label_keeps_off_the_best_point(qtbot):
    panel = _panel(qtbot, 1400)
    plot, line = panel.val_plot, panel.best_lines[1]
    vb = plot.getViewBox()
    from PySide6.QtCore import QPointF

    best = vb.mapViewToScene(QPointF(200.0, 0.315))
    label = line.label.sceneBoundingRect()
    assert not label.adjusted(-4, -4, 4, 4).contains(best), (label, best)


@pytest.mark.parametrize("width", [1024, 1400])
def test_the_last_step_tick_shows(qtbot, width):
    panel = _panel(qtbot, width)
    for plot in panel.plots.plots:
        assert "200" in _tick_texts(plot), (width, _tick_texts(plot))
