"""A model's saved curves (``graph_models.params["curves"]``) are read on every library read of
the window. A kept step of ``Infinity``, or a step too large for a float, in that JSON (a
hand-edited or damaged row) raised OverflowError out of the read: the window printed a
traceback and its training dock showed neither the curves nor the table of the model in use.
The curves now read without the kept step, or not at all, as other malformed curves do."""

from __future__ import annotations

import json

from musicsage.graph.curves import TrainingCurves


def _params(loss, best) -> dict:
    """The params as the database hands them back: through JSON, as a row holds them."""
    return json.loads(json.dumps({"curves": {"loss": loss, "val_hr10": [[1, 0.5]],
                                             "best_step": best}}))


def test_an_infinite_kept_step_leaves_the_curves_without_a_kept_line():
    curves = TrainingCurves.from_params(_params([[1, 2.0], [2, 1.5]], float("inf")))
    assert curves is not None
    assert curves.loss == [(1.0, 2.0), (2.0, 1.5)] and curves.best_step is None


def test_a_step_beyond_floats_reads_as_no_curves():
    assert TrainingCurves.from_params(_params([[10 ** 400, 2.0]], 1)) is None


def test_a_whole_kept_step_is_still_read():
    assert TrainingCurves.from_params(_params([[1, 2.0]], 1)).best_step == 1


def test_a_whole_kept_step_beyond_floats_leaves_the_curves_without_a_kept_line():
    """``1`` and 400 zeros is a whole number, but the window draws the kept step at a float:
    pyqtgraph's line raised OverflowError there, so it is no kept step."""
    curves = TrainingCurves.from_params(_params([[1, 2.0]], 10 ** 400))
    assert curves is not None and curves.loss == [(1.0, 2.0)] and curves.best_step is None


def test_a_kept_step_that_is_not_whole_is_no_kept_step():
    assert TrainingCurves.from_params(_params([[1, 2.0]], 2.7)).best_step is None
    assert TrainingCurves.from_params(_params([[1, 2.0]], 3.0)).best_step == 3
