"""Figures of an older evaluation protocol (ties counted for the model: inflated) are marked
wherever the window shows them — the library panel's "HR@10 …", the Graph model menu's
tooltip, the training dock's table — as the menu's label marks them ("… by an older
evaluation"); and a Retrain never says its model scored "below" such a figure."""

from __future__ import annotations

import json

from musicsage.controllers.evaluation import OLDER_NOTE, evaluation_table
from musicsage.controllers.models import model_tip
from musicsage.library.db import connect
from musicsage.usecases.models import GraphModelRow

OLD = {"graph": {"hr@10": 0.912, "mrr": 0.61}, "audio": {"hr@10": 0.2, "mrr": 0.1},
       "pairs": 3000}
"""An evaluation as versions before protocol 3 saved it: no ``protocol`` version."""
NOW = dict(OLD, protocol={"version": 3, "seed": 0})


def _row(older: bool) -> GraphModelRow:
    return GraphModelRow(id=3, created_at="2026-12-02T12:08:00", audio_model="spectral",
                         contexts=(), hr10=0.912, mrr=0.61, tracks=240, is_current=False,
                         problem=None, dir="/m/3", older_protocol=older)


def test_the_tooltip_says_the_scores_are_by_an_older_evaluation():
    assert model_tip(_row(True)) == (
        "Graph model 3, trained on spectral with 240 tracks; HR@10 0.912, MRR 0.610 on "
        "held-out playlist pairs by an older evaluation, not comparable with newer models' "
        "scores. Choose to use it for the map and the lists.")
    assert "older" not in model_tip(_row(False))


def test_the_docks_table_says_its_figures_are_by_an_older_evaluation():
    table = evaluation_table(OLD)
    assert table.rows[0].cells[0] == "0.912"
    assert table.notes.splitlines() == [OLDER_NOTE]
    assert "older evaluation" in OLDER_NOTE and "not comparable" in OLDER_NOTE
    with_note = evaluation_table(dict(OLD, notes=["only 3 pairs held out"]))
    assert with_note.notes.splitlines() == [OLDER_NOTE, "Note: only 3 pairs held out."]
    assert evaluation_table(NOW).notes == "" and evaluation_table(None).notes == ""


def _make_current_old(ctx, hr10: float) -> None:
    """The model in use's figures as a version before protocol 3 saved them."""
    conn = connect(ctx)
    with conn:
        conn.execute("UPDATE graph_models SET metrics = ? WHERE is_current = 1",
                     (json.dumps(dict(OLD, graph={"hr@10": hr10, "mrr": 0.61})),))


def test_the_library_panel_and_the_retrain_line_treat_an_older_figure_apart(
        trainable_library, make_app, recorder):
    app, runner = make_app(trainable_library, train_options={"max_steps": 20})
    finished = recorder(app.training.finished)
    app.training.start()
    runner.drain()
    _outcome, metrics, _message, _best = finished.last
    assert evaluation_table(metrics).notes.count(OLDER_NOTE) == 0, "today's run is not older"
    shown = app.library.snapshot.graph_notes
    assert shown[0].startswith(f"HR@10 {metrics['graph']['hr@10']:.3f}")
    assert "older" not in shown[0]
    _make_current_old(trainable_library, 1.0)  # inflated: the new run scores below it
    app.library.reload()
    runner.drain()
    assert app.library.snapshot.graph_notes == ["HR@10 1.000 by an older evaluation"]
    assert app.library.snapshot.graph_label.endswith("(HR@10 1.000 by an older evaluation)")
    app.training.start()
    runner.drain()
    outcome, _metrics, message, _best = finished.last
    assert outcome == "succeeded" and message.startswith("Training finished")
    assert "below" not in message and "1.000" not in message, message
