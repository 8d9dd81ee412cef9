"""The evaluation table's bold (the graph model does better than audio only) follows the
figures it shows: a bold "0.066" beside audio's "0.066" read as a win where the user saw a
tie."""

from __future__ import annotations

from musicsage.controllers.evaluation import evaluation_table


def _row(metrics: dict, key: str):
    return next(row for row in evaluation_table(metrics).rows if row.key == key)


def test_figures_that_show_alike_are_not_bold():
    metrics = {"graph": {"hr@10": 0.26087, "mrr": 0.06612}, "pairs": 23,
               "audio": {"hr@10": 0.26087, "mrr": 0.06591}}
    overall = _row(metrics, "overall")
    assert overall.cells == ("0.261", "0.261", "0.066", "0.066")
    assert overall.better == (False, False, False, False)


def test_a_graph_figure_above_audio_as_shown_is_bold():
    metrics = {"graph": {"hr@10": 0.30435, "mrr": 0.0676}, "pairs": 23,
               "audio": {"hr@10": 0.26087, "mrr": 0.0664}}
    assert _row(metrics, "overall").better == (True, False, True, False)
