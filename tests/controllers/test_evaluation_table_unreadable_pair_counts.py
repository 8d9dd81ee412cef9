"""The training dock's table reads the evaluation stored with the model in use on every library
read. A pair count of ``NaN`` or ``Infinity`` in that JSON (a hand-edited or damaged row) raised
out of the read: the window printed a traceback and its dock kept the table and line of the
model before. Such a count is now shown as none (no brackets), the figures beside it as they are."""

from __future__ import annotations

import json

from musicsage.controllers.evaluation import MISSING, evaluation_table


def _stored(metrics: dict) -> dict:
    """The metrics as the database hands them back: through JSON, as a row holds them."""
    return json.loads(json.dumps(metrics))


def test_non_finite_pair_counts_show_no_count_and_keep_the_figures():
    metrics = _stored({"graph": {"hr@10": 0.5, "mrr": 0.2},
                       "audio": {"hr@10": 0.25, "mrr": 0.1}, "pairs": float("nan"),
                       "warm": {"graph": {"hr@10": 0.75}, "pairs": float("inf")},
                       "cold": {"pairs": 0}})
    overall, warm, cold, _new = evaluation_table(metrics).rows
    assert (overall.label, overall.pairs) == ("Overall", None)
    assert overall.cells == ("0.500", "0.250", "0.200", "0.100")
    assert (warm.label, warm.pairs, warm.cells[0]) == ("Warm", None, "0.750")
    assert (cold.label, cold.cells) == ("Cold (0)", (MISSING,) * 4)


def test_whole_numbers_beyond_floats_show_as_missing():
    """A pair count or a figure of 401 digits (a hand-edited row) made ``math.isfinite``
    raise OverflowError out of the table, and so out of the window's library read."""
    huge = 10 ** 400
    metrics = _stored({"graph": {"hr@10": 0.5, "mrr": 0.2},
                       "audio": {"hr@10": huge, "mrr": 0.1}, "pairs": huge,
                       "warm": {"graph": {"hr@10": huge, "mrr": 0.3},
                                "audio": {"hr@10": 0.25, "mrr": 0.1}, "pairs": 7}})
    overall, warm, _cold, _new = evaluation_table(metrics).rows
    assert (overall.label, overall.pairs) == ("Overall", None)
    assert overall.cells == ("0.500", MISSING, "0.200", "0.100")
    assert overall.better == (False, False, True, False)
    assert (warm.label, warm.cells) == ("Warm (7)", (MISSING, "0.250", "0.300", "0.100"))
    assert warm.better == (False, False, True, False)
