"""Models evaluated by an earlier protocol (before version 3, ties counted for the model): their
HR@10 and MRR were listed beside today's models' as if they measured the same. They are marked
now, in ``models``, its JSON and the label the window's menus show."""

from __future__ import annotations

import json

from models_support import model_with_metrics

from musicsage import cli
from musicsage.graph.split import PROTOCOL_VERSION
from musicsage.usecases.models import list_graph_models

NOW = {"graph": {"hr@10": 0.435, "mrr": 0.236}, "pairs": 3000,
       "protocol": {"version": PROTOCOL_VERSION, "seed": 0}}
#: what versions before protocol 3 saved: no "protocol" at all
BEFORE = {"graph": {"hr@10": 0.912, "mrr": 0.61}, "pairs": 3000}


def _models(ctx, capsys, *more: str) -> str:
    assert cli.main(["--data-dir", str(ctx.data_dir), "models", *more]) == 0
    return capsys.readouterr().out


def test_figures_of_an_older_protocol_are_marked_as_not_comparable(ctx, capsys):
    old = model_with_metrics(ctx, BEFORE)
    two = model_with_metrics(ctx, dict(NOW, protocol={"version": 2}))
    now = model_with_metrics(ctx, NOW)
    unmeasured = model_with_metrics(ctx, {})  # --holdout 0: no figures, nothing to mark
    lines = _models(ctx, capsys).splitlines()
    row = {int(line[1:6]): line for line in lines[1:5]}
    assert "0.912† 0.610†" in row[old] and "0.435† 0.236†" in row[two]
    assert "†" not in row[now] + row[unmeasured] and "0.435  0.236" in row[now]
    assert lines[-1] == "† older evaluation protocol, not comparable: retrain to re-evaluate"
    listed = json.loads(_models(ctx, capsys, "--json"))["models"]
    assert [m["older_protocol"] for m in listed] == [True, True, False, False]
    labels = {r.id: r.label() for r in list_graph_models(ctx)}
    assert labels[old].endswith(" · spectral · HR@10 0.912 by an older evaluation")
    assert labels[now].endswith(" · spectral · HR@10 0.435")


def test_no_footnote_when_every_model_is_of_this_protocol(ctx, capsys):
    model_with_metrics(ctx, NOW)
    out = _models(ctx, capsys)
    assert "†" not in out and "older evaluation" not in out
