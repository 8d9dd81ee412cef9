"""A saved model's figures and pair count as a hand-edited row may hold them: a whole number of
401 digits (JSON reads it back as an int beyond floats), NaN, ``true``, ``"3"``. The 401-digit
one made ``musicsage stats`` and ``models`` end in "unexpected error … this is a bug" and the
window say "This library cannot be opened — OverflowError": each is now shown as missing, and
every reader agrees what such a value is (one :func:`finite_number`)."""

from __future__ import annotations

import json

import pytest

from models_support import model_with_metrics

from musicsage import cli
from musicsage.controllers.evaluation import MISSING, evaluation_table
from musicsage.controllers.wording import format_metric
from musicsage.graph.curves import TrainingCurves
from musicsage.graph.saved_numbers import finite_number, saved_count
from musicsage.usecases.models import few_pairs, list_graph_models
from musicsage.usecases.snapshot import load_snapshot

HUGE = 10 ** 400


def _run(ctx, capsys, *args: str) -> str:
    assert cli.main(["--data-dir", str(ctx.data_dir), *args]) == 0
    captured = capsys.readouterr()
    assert "unexpected error" not in captured.err and "Traceback" not in captured.err
    return captured.out


@pytest.mark.parametrize("where", ["hr@10", "pairs"])
def test_stats_and_models_show_a_number_beyond_floats_as_missing(ctx, capsys, where):
    metrics = {"graph": {"hr@10": 0.5, "mrr": 0.25}, "pairs": 3000}
    metrics["pairs" if where == "pairs" else "graph"] = (
        HUGE if where == "pairs" else {"hr@10": HUGE, "mrr": 0.25})
    model = model_with_metrics(ctx, metrics)
    graph_line = next(line for line in _run(ctx, capsys, "stats").splitlines()
                      if line.startswith("graph "))
    assert graph_line.startswith(f"graph      model {model} on spectral")
    assert ("HR@10" not in graph_line) == (where == "hr@10")
    assert "e+400" not in graph_line and "pairs" not in graph_line
    row = next(line for line in _run(ctx, capsys, "models").splitlines()
               if line[1:6].strip() == str(model))
    assert ("0.500" in row) == (where == "pairs") and "0.250" in row


def test_the_windows_library_read_shows_the_figure_missing(ctx):
    model_with_metrics(ctx, {"graph": {"hr@10": HUGE, "mrr": HUGE},
                             "audio": {"hr@10": 0.25, "mrr": 0.1}, "pairs": HUGE})
    snapshot = load_snapshot(ctx)
    assert snapshot.graph_notes == [] and snapshot.graph_label == "pinsage-spectral"
    overall = evaluation_table(snapshot.graph_model.metrics).rows[0]
    assert (overall.label, overall.pairs) == ("Overall", None)
    assert overall.cells == (MISSING, "0.250", MISSING, "0.100")
    assert list_graph_models(ctx)[0].label().endswith(" · spectral · HR@10 –")


def test_one_test_of_a_saved_number_everywhere():
    for odd in (True, "3", None, [1], float("nan"), float("inf"), HUGE, -HUGE):
        assert finite_number(odd) is None and format_metric(odd) == "–"
    assert finite_number(3) == 3.0 and finite_number(0.25) == 0.25
    assert format_metric(0.7291) == "0.729"


def test_a_fractional_pair_count_is_rounded_alike_in_the_dock_and_on_the_command_line():
    metrics = {"graph": {"hr@10": 0.5}, "pairs": 3.7}
    assert evaluation_table(metrics).rows[0].pairs == 4 == few_pairs(metrics) == saved_count(3.7)


@pytest.mark.parametrize("step", [True, "3", [3], 2.5, float("inf"), HUGE])
def test_only_a_whole_real_step_is_the_kept_one(step):
    saved = {"loss": [[0, 1.0], [3, 0.5]], "val_hr10": [], "best_step": step}
    curves = TrainingCurves.from_params({"curves": json.loads(json.dumps(saved))})
    assert curves is not None and curves.best_step is None
    kept = TrainingCurves.from_params({"curves": dict(saved, best_step=3)})
    assert kept is not None and kept.best_step == 3
