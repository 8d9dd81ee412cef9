"""The training dock while a run goes, and what the window offers meanwhile.

- A library load during a run (a scan landing, a terminal's train ending a wait) left the
  evaluation table at the figures it had, beside a model line naming another model.
- The empty plots' note ran out of its plot at both ends in a 1000- or 1400-px window.
- The status line's Cancel stopped the training without the dock saying "Cancelling…".
- Compute embeddings during a training or embedding run started a second run that waited
  for the first: it is off meanwhile, as Retrain is while one trains.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QWidget

from gui_support import settle


def _metrics(hr: float) -> dict:
    return {"graph": {"hr@10": hr, "mrr": hr / 2}, "audio": {"hr@10": 0.1, "mrr": 0.05},
            "pairs": 40}


def test_a_load_during_a_run_shows_the_model_in_use_in_the_table(qtbot):
    from musicsage.gui.training_dock import TrainingPanel
    from musicsage.progress import Progress

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.show_model("Model 1 on spectral", _metrics(0.4), running=False)
    assert panel.table.item(0, 0).text() == "0.400"
    panel.start()
    panel.add_progress([Progress("train", 10, 500, "loss 2.0", {"step": 10, "loss": 2.0})])
    # a terminal's train made model 2 current while this run waited for it
    panel.show_model("Model 2 on spectral", _metrics(0.7), running=True)
    assert panel.model_line.text() == "Model 2 on spectral"
    assert panel.table.item(0, 0).text() == "0.700", "model 1's figures beside model 2's line"
    assert panel.steps == [10], "the run's own curve stays"
    assert panel.status.text().startswith("step 10")
    panel.show_model("Model 2 on spectral", None, running=True)  # e.g. a model with no eval
    assert panel.table.item(0, 0).text() == "–"
    panel.finish("succeeded", _metrics(0.8), "Training finished: the new model is in use.")
    assert panel.table.item(0, 0).text() == "0.800"


@pytest.mark.parametrize("width", [1000, 1400, 1920])
def test_the_empty_plots_note_shows_whole_in_its_plot(qtbot, width):
    from musicsage.gui.training_dock import NO_CURVE, TrainingDock

    window = QMainWindow()
    window.setCentralWidget(QWidget())
    qtbot.addWidget(window)
    dock = TrainingDock(window)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    dock.panel.show_model("No graph model yet", None, running=False, curves=None)
    window.resize(width, 700)
    window.show()
    qtbot.waitExposed(window)
    window.grab()  # painted: a note places itself as it paints (it ignores the view's scale)
    plots = dock.panel.plots
    for plot, note in zip(plots.plots, plots.empty_notes):
        assert note.isVisible() and note.toPlainText() == NO_CURVE
        box, text = plot.getViewBox().sceneBoundingRect(), note.sceneBoundingRect()
        assert box.left() <= text.left() and text.right() <= box.right(), (width, box, text)


def test_the_status_lines_cancel_says_cancelling_in_the_dock(qtbot, make_window, library,
                                                             slow_runs):
    w = make_window(library)
    line, panel = w.status_line, w.training.panel
    w.app.training.start()
    w.training.hide()  # the status line draws the run's Cancel then
    qtbot.waitUntil(line.cancel.isVisible)
    qtbot.mouseClick(line.cancel, Qt.MouseButton.LeftButton)
    assert panel.status.text() == "Cancelling…", "as the dock's own Cancel says"
    with qtbot.waitSignal(w.training_finished, timeout=30_000) as done:
        pass
    assert done.args == ["cancelled"]
    assert panel.status.text().startswith("Training cancelled")


def test_compute_embeddings_is_off_while_a_run_goes(qtbot, make_window, library, slow_runs):
    w = make_window(library)
    embed = w.actions_.embed
    assert embed.isEnabled()
    w.app.training.start()
    assert not embed.isEnabled() and not w.actions_.retrain.isEnabled()
    assert "run is going" in embed.toolTip()
    with qtbot.waitSignal(w.training_finished, timeout=30_000):
        w.app.training.cancel()
    settle(qtbot, w)
    assert embed.isEnabled() and "run is going" not in embed.toolTip()

    w.app.library.embed(None)  # an embedding run: no second one beside it
    assert not embed.isEnabled()
    w.app.tasks.cancel()
    qtbot.waitUntil(lambda: not w.app.library.embedding, timeout=30_000)
    settle(qtbot, w)
    assert embed.isEnabled()
