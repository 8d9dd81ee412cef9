"""The training plots' step axis names whole steps only.

A run of three steps (a tiny library, or ``max_steps 3``) had ticks "1.5" and "2.5" under its
curves: steps that never were, and its labels read "1.0", "2.0" besides."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage, QPainter

from musicsage.progress import Progress
from training_panel_support import shown_training_panel


def _tick_texts(plot) -> list[str]:
    axis = plot.getAxis("bottom")
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [text for *_rest, text in specs[2]]


@pytest.mark.parametrize("steps", [2, 3, 5])
def test_a_short_run_has_a_tick_for_each_step_and_none_between(qtbot, steps):
    panel = shown_training_panel(qtbot, started=True, size=(1400, 260))
    panel.add_progress([Progress("train", s, steps, "", {"step": s, "loss": 1.0 - s / 10,
                                                         "val_hr10": 0.1 * s})
                        for s in range(1, steps + 1)])
    qtbot.wait(30)
    for plot in panel.plots.plots:
        texts = _tick_texts(plot)
        assert texts, "the step axis shows its steps"
        assert all(t.isdigit() for t in texts), texts
        assert str(steps) in texts and "1" in texts, texts
