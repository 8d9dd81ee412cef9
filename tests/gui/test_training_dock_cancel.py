"""The training dock through a cancelled or failed Retrain.

"Cancelling…" went back to "Training the graph model…" with the run's next report; a
cancelled run's curves stayed beside the table of the model still in use, with nothing to
say they were another run's; a failure's traceback filled the dock line after line.
"""

from __future__ import annotations

from musicsage.graph.curves import TrainingCurves
from musicsage.progress import Progress


def _panel(qtbot):
    from musicsage.gui.training_dock import TrainingPanel

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.start()
    return panel


def _step(step: int, loss: float) -> Progress:
    return Progress("train", step, 3000, f"loss {loss:.3f}", {"step": step, "loss": loss})


def test_cancelling_stays_until_the_run_stopped(qtbot):
    panel = _panel(qtbot)
    panel.add_progress([_step(10, 3.0)])
    panel.status.setText("Cancelling…")  # the window's wiring, on the controller's event
    panel.add_progress([_step(20, 2.9)])
    assert panel.status.text() == "Cancelling…"
    assert panel.steps == [10, 20], "its points are drawn still"
    panel.finish("cancelled", message="Training cancelled: model 2 is still in use")
    assert panel.status.text() == "Training cancelled: model 2 is still in use."
    panel.start()  # the next run says what it does again
    panel.add_progress([_step(10, 3.0)])
    assert panel.status.text().startswith("step 10")


def test_a_cancelled_runs_curves_give_way_to_the_model_in_use(qtbot):
    panel = _panel(qtbot)
    panel.show_model("Model 2 on spectral", None, running=True)  # a load during the run
    panel.add_progress([_step(10, 3.0), _step(20, 2.5)])
    panel.finish("cancelled", message="Training cancelled: model 2 is still in use")
    assert panel.steps == [], "beside model 2's table, read as model 2's curves"
    saved = TrainingCurves([(100.0, 1.5), (200.0, 1.2)], [(200.0, 0.4)], 200)
    panel.show_model("Model 2 on spectral", {"graph": {"hr@10": 0.4}}, running=False,
                     curves=saved)
    assert panel.steps == [100, 200] and panel.model_line.text() == "Model 2 on spectral"
    assert panel.status.text() == "Training cancelled: model 2 is still in use."


def test_a_cancelled_runs_outcome_goes_with_the_model_it_names(qtbot):
    """Model 1 made current after the cancel (Analyse ▸ Graph model, a terminal's train): the
    dock still said "model 2 is still in use" until the next run."""
    panel = _panel(qtbot)
    panel.show_model("Model 2 on spectral", None, running=True)
    panel.finish("cancelled", message="Training cancelled: model 2 is still in use")
    metrics = {"graph": {"hr@10": 0.4}}
    panel.show_model("Model 1 on spectral", metrics, running=False)
    assert "model 2" not in panel.status.text() and panel.status.text().startswith("Press")
    panel.show_model("Model 2 on spectral", metrics, running=False)  # back: said once only
    assert panel.status.text().startswith("Press")


def test_a_failure_shows_its_first_line(qtbot):
    panel = _panel(qtbot)
    message = "RuntimeError: CUDA out of memory\nTraceback (most recent call last):\n  …"
    panel.finish("failed", message=message)
    assert panel.status.text() == "Training failed: RuntimeError: CUDA out of memory"
    assert "Traceback" in panel.status.toolTip()
    panel.start()
    panel.finish("failed", message="no audio embeddings yet")
    assert panel.status.text() == "Training failed: no audio embeddings yet"
    assert panel.status.toolTip() == "no audio embeddings yet"  # whole, however it is cut
