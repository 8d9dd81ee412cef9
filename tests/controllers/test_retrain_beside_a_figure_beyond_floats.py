"""Retrain in a library whose current model's saved HR@10 is a whole number of 401 digits (a
hand-edited row; JSON reads it back as an int beyond floats). The window opened and showed the
figure as missing, but Retrain read it with ``float()`` and raised OverflowError: the run never
started. Every reader of a saved graph figure now asks one helper (``graph_figure``)."""

from __future__ import annotations

from models_support import model_with_metrics

from musicsage.graph.saved_numbers import graph_figure

HUGE = 10 ** 400


def test_retrain_starts_beside_a_saved_figure_beyond_floats(library, make_app):
    model_with_metrics(library, {"graph": {"hr@10": HUGE, "mrr": 0.25}, "pairs": 3000,
                                 "protocol": {"version": 3}})
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    assert app.library.snapshot is not None and app.library.snapshot.stats.graph_model
    task = app.training.start()  # raised OverflowError before the run began
    assert task is not None and app.training.running
    assert app.training._replaced_hr10 is None, "no figure to compare a new model with"
    app.training.cancel()
    runner.drain()


def test_one_reader_of_a_saved_graph_figure():
    for odd in (None, [], {"graph": None}, {"graph": {"hr@10": HUGE}},
                {"graph": {"hr@10": "0.5"}}, {"graph": {"hr@10": float("nan")}}):
        assert graph_figure(odd, "hr@10") is None
    assert graph_figure({"graph": {"hr@10": 0.5, "mrr": 1}}, "mrr") == 1.0
