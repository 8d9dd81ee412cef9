"""The training dock of an 800-px window: its validation plot's step axis read "0 100" for a
run of 200 steps — the last label, "200", was dropped for touching "100" — and where both were
kept they could sit a pixel apart, reading "100200". The last step's label is kept first now,
and labels keep a gap."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage, QPainter

from musicsage.graph.curves import TrainingCurves

CURVES = TrainingCurves([(float(s), 6.0 - s / 50) for s in range(10, 201, 10)],
                        [(100.0, 0.265), (200.0, 0.315)], 200)


def _drawn(plot) -> list[tuple[str, float, float]]:
    """The step labels the axis draws: (text, left, right)."""
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = plot.getAxis("bottom").generateDrawSpecs(painter)
    finally:
        painter.end()
    return [(text, rect.left(), rect.right()) for rect, _flags, text in specs[2]]


@pytest.mark.parametrize("width", [760, 775, 790])  # the dock's panel in an 800-px window
def test_the_last_step_is_labelled_on_both_plots_and_labels_keep_apart(qtbot, width):
    from musicsage.gui.plot_axes import LABEL_GAP
    from musicsage.gui.training_dock import TrainingPanel

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.resize(width, 260)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_curves(CURVES)
    qtbot.wait(30)
    for plot in panel.plots.plots:
        drawn = _drawn(plot)
        texts = [text for text, _l, _r in drawn]
        assert texts[0] == "0" and texts[-1] == "200", (width, drawn)
        for (_a, _al, right), (_b, left, _br) in zip(drawn, drawn[1:]):
            assert left >= right + LABEL_GAP, (width, drawn)
