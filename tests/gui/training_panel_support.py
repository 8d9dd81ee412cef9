"""A training dock's panel on screen, for the tests of its plots."""

from __future__ import annotations


def shown_training_panel(qtbot, *, started: bool = False, size: tuple[int, int] = (1100, 260)):
    """A :class:`~musicsage.gui.training_dock.TrainingPanel` shown at ``size`` (plots wide
    enough for their titles and ticks); ``started``: a Retrain has begun (empty plots)."""
    from musicsage.gui.training_dock import TrainingPanel

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.resize(*size)
    panel.show()
    qtbot.waitExposed(panel)
    if started:
        panel.start()
    return panel
