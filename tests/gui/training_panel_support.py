"""A training dock's panel on screen, for the tests of its plots."""

from __future__ import annotations

from musicsage.progress import Progress


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


def validation_steps(stage: str, hr10: list[float]) -> list[Progress]:
    """A run's progress of ``stage``: a step every 100, a falling loss, ``hr10`` as its
    validation scores."""
    return [Progress(stage, 100 * (i + 1), 3000, "", {"step": 100 * (i + 1),
                                                      "loss": 3 - i / 10, "val_hr10": v})
            for i, v in enumerate(hr10)]


def settled(qtbot, label) -> None:
    """Wait until ``label`` stays put between two reads (it is placed again at each change
    of its plot's range or size)."""
    seen = []

    def still() -> bool:
        seen.append(label.sceneBoundingRect())
        return len(seen) > 1 and seen[-1] == seen[-2]

    qtbot.waitUntil(still, timeout=5_000)


def two_runs_kept(qtbot, width: int, height: int, first: list[float], second: list[float],
                  kept: int, best: int):
    """A finished Retrain of two runs (validation HR@10 ``first`` and ``second``) in a panel
    of ``width`` × ``height``, run ``kept`` kept at step ``best``, its "kept" label settled:
    (the panel, the validation plot's view, the label, the label's text as inked)."""
    from gui_support import shown_training_panel as panel_of_size

    from musicsage.controllers.training import RESULT_STAGE

    panel = panel_of_size(qtbot, width, height)
    panel.add_progress(validation_steps("train", first))
    panel.add_progress(validation_steps("train-playlists", second)
                       + [Progress(RESULT_STAGE, 1, 1, f"Kept: run {kept + 1}",
                                   {"kept_run": kept})])
    panel.finish("succeeded", None, "", best_step=best)
    label = panel.best_lines[1].label
    settled(qtbot, label)
    pad = label.textItem.document().documentMargin()
    ink = label.sceneBoundingRect().adjusted(pad, pad, -pad, -pad)  # the text, not its margins
    return panel, panel.plots.val_plot.getViewBox(), label, ink
