"""``stats``' graph line of a model evaluated by an earlier protocol (before version 3, ties
counted for the model: a collapsed model scored high): it printed "HR@10 0.912" as if it were
today's figure, while ``models``, its JSON and the window's menu and summary all mark such a
figure as by an older evaluation."""

from __future__ import annotations

from models_support import model_with_metrics

from musicsage import cli
from musicsage.graph.split import PROTOCOL_VERSION

NOW = {"graph": {"hr@10": 0.435, "mrr": 0.236}, "pairs": 3000,
       "protocol": {"version": PROTOCOL_VERSION, "seed": 0}}
#: what versions before protocol 3 saved: no "protocol" at all
BEFORE = {"graph": {"hr@10": 0.912, "mrr": 0.61}, "pairs": 3000}


def _graph_line(ctx, capsys) -> str:
    assert cli.main(["--data-dir", str(ctx.data_dir), "stats"]) == 0
    return next(line for line in capsys.readouterr().out.splitlines()
                if line.startswith("graph "))


def test_stats_marks_an_hr10_of_an_older_evaluation(ctx, capsys):
    model_with_metrics(ctx, BEFORE)
    line = _graph_line(ctx, capsys)
    assert "HR@10 0.912 by an older evaluation, not comparable: retrain to re-evaluate" in line


def test_stats_leaves_a_figure_of_this_protocol_unmarked(ctx, capsys):
    model_with_metrics(ctx, NOW)
    line = _graph_line(ctx, capsys)
    assert "HR@10 0.435" in line and "older evaluation" not in line


def test_the_older_evaluation_mark_stands_beside_the_figure_before_few_pairs(ctx, capsys):
    """Both marks: the older evaluation's right after the figure it marks; after "(2 pairs:
    too few to mean much)" it read as said of the pairs."""
    model_with_metrics(ctx, {**BEFORE, "pairs": 2})
    line = _graph_line(ctx, capsys)
    assert ("HR@10 0.912 by an older evaluation, not comparable: retrain to re-evaluate "
            "(2 pairs: too few to mean much)") in line
