"""The dock's finished run after another model became current, and a failed run's curves.

After a Retrain, Analyse ▸ Graph model ▸ Model 1 (or a terminal's ``train``) left "Training
finished: the new model is in use …" and the run's curves beside model 1's table; a failed
run's half-drawn curves stayed for good, after a reload too, beside the old model's table.
"""

from __future__ import annotations

from musicsage.graph.curves import TrainingCurves
from musicsage.progress import Progress

METRICS = {"graph": {"hr@10": 0.4}}
SEEN = " — has seen every track in training."
MODEL_1 = TrainingCurves([(100.0, 1.5), (200.0, 1.2)], [(200.0, 0.4)], 200)
MODEL_2 = TrainingCurves([(300.0, 1.4)], [(300.0, 0.3)], 300)


def _trained(qtbot):
    """A panel whose run (steps 10, 20) ran while model 2 was in use."""
    from musicsage.gui.training_dock import TrainingPanel

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.show_model("Model 2 on spectral" + SEEN, METRICS, running=False, curves=MODEL_2)
    panel.start()
    panel.show_model("Model 2 on spectral" + SEEN, METRICS, running=True, curves=MODEL_2)
    panel.add_progress([Progress("train", s, 3000, "", {"step": s, "loss": 2.0, "val_hr10": 0.3})
                        for s in (10, 20)])
    return panel


def test_another_model_made_current_after_a_run_shows_its_own_curves(qtbot):
    panel = _trained(qtbot)
    done = "Training finished: the new model is in use (20 steps, 2 s)."
    panel.finish("succeeded", METRICS, done, best_step=10)
    panel.show_model("Model 2 on spectral" + SEEN, METRICS, running=False, curves=MODEL_2)
    panel.show_model("Model 3 on spectral" + SEEN, METRICS, running=False, curves=None)
    assert panel.steps == [10, 20] and panel.status.text() == done, "the run's own model"
    panel.show_model("Model 3 on spectral — 2 tracks added or changed since training; …",
                     METRICS, running=False)  # a scan: still the run's model
    assert panel.status.text() == done

    panel.show_model("Model 1 on spectral" + SEEN, METRICS, running=False, curves=MODEL_1)
    assert panel.steps == [100, 200] and panel.val_steps == [200]
    assert panel.status.text().startswith("Press Retrain"), "model 1 is not the new model"
    assert panel.kept_line.isHidden() and panel.runs_line.isHidden()


def test_a_failed_runs_curves_give_way_to_the_model_in_use(qtbot):
    panel = _trained(qtbot)
    panel.finish("failed", message="cannot save a new graph model in /m/graph_models (Not a "
                 "directory); model 2 stays current (nothing of this run was saved)")
    assert panel.steps == [300] and panel.val_steps == [300], "model 2's, beside its table"
    failed = panel.status.text()
    assert failed.startswith("Training failed: cannot save")
    panel.show_model("Model 2 on spectral", METRICS, running=False, curves=MODEL_2)
    panel.show_model("Model 2 on spectral" + SEEN, METRICS, running=False, curves=MODEL_2)
    assert panel.steps == [300] and panel.status.text() == failed, "a reload keeps both"
    panel.show_model("Model 1 on spectral" + SEEN, METRICS, running=False, curves=MODEL_1)
    assert panel.steps == [100, 200] and panel.status.text().startswith("Press Retrain")
