"""Every validation scored 0.000 (a tiny library), yet the dock said "Kept the weights of
step 100, the best on validation": no step was better than another."""

from __future__ import annotations

from musicsage.controllers.summaries import describe_training
from musicsage.graph.reports import TrainReport


def _report(scores: list[float], metric: str = "hr@10") -> TrainReport:
    key = "val_mrr" if metric == "mrr" else "val_hr10"
    history = [{"step": 100 * (i + 1), "loss": 1.0, key: s, "val_hr10": s}
               for i, s in enumerate(scores)]
    return TrainReport(metrics=None, steps=400, best_step=100, best_val_hr10=max(scores),
                       seconds=11.0, contexts=("playlist",), objective="infonce",
                       history=history, val_metric=metric)


def test_tied_validation_is_said_to_have_told_nothing():
    assert describe_training(_report([0.0, 0.0, 0.0, 0.0])) == (
        "Training finished: the new model is in use (400 steps, 11 s). Kept the weights of "
        "step 100, the first validated: validation could not tell the steps apart (each "
        "scored HR@10 0.000).")
    assert describe_training(_report([0.5, 0.2, 0.1, 0.1])).endswith(
        "Kept the weights of step 100, the best on validation.")
    assert describe_training(_report([0.5])).endswith("the best on validation.")  # one only
    assert describe_training(_report([0.25, 0.25], metric="mrr")).endswith(
        "(each scored MRR 0.250).")
