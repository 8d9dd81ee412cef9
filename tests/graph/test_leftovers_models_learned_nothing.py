"""``models`` of a model that learned nothing (loss 0 at every step: it kept its untrained
weights) says so, as ``stats`` and the window's summary do: its row showed "1.000?" as its
HR@10 and "ok", a model that works, under a footnote about too few pairs. The row now shows
"-" for its figures and "learned nothing" beside its files' state, a footnote says what to do,
and ``models --json`` carries ``learned``; the menus' label says it too."""

from __future__ import annotations

import json

import numpy as np
import pytest
from models_support import model_with_metrics

from musicsage import cli
from musicsage.usecases.library import import_dataset
from musicsage.usecases.models import list_graph_models
from musicsage.usecases.training import train_graph

from dataset_files import write_dataset
from musicsage.context import library_option

#: 15 tracks in 4 overlapping playlists: every candidate of every step shares a playlist
#: with its head, so the loss is 0 at every step (as tests/graph/test_journeyfix_…)
OVERLAPPING = ([("chill", f"t{i}") for i in range(6)] + [("work", f"t{i}") for i in range(4, 10)]
               + [("party", f"t{i}") for i in range(8, 14)]
               + [("mix", f"t{i}") for i in (0, 1, 4, 5, 8, 9, 14)])
QUICK = {"comember": False, "two_hop": False, "threads": 1}
LEARNED = {"graph": {"hr@10": 0.435, "mrr": 0.236}, "pairs": 3000,
           "protocol": {"version": 3, "seed": 0}}


def _models(ctx, capsys, *more: str) -> str:
    capsys.readouterr()
    assert cli.main(["--data-dir", str(ctx.data_dir), "models", *more]) == 0
    return capsys.readouterr().out


@pytest.fixture
def two_models(ctx, tmp_path):
    """(id of a trained model that learned nothing, id of one that learned)."""
    rng = np.random.default_rng(0)
    import_dataset(ctx, write_dataset(tmp_path / "ds", rng.normal(size=(15, 8)), OVERLAPPING))
    rep = train_graph(ctx, max_steps=30, options=QUICK)
    assert not rep.learned and rep.metrics  # measured, on the untrained weights
    return rep.model_id, model_with_metrics(ctx, LEARNED)


def test_the_table_says_a_model_learned_nothing_without_its_figures(ctx, capsys, two_models):
    nothing, learned = two_models
    lines = _models(ctx, capsys).splitlines()
    row = {int(line[1:6]): line for line in lines[1:3]}

    assert row[nothing].endswith("ok; learned nothing"), row[nothing]
    columns = row[nothing].split()
    assert columns[-6:-3] == ["-", "-", "15"], "HR@10 and MRR of its untrained weights: -"
    assert "1.000" not in row[nothing] and "?" not in row[nothing]
    assert "0.435  0.236" in row[learned] and row[learned].endswith("  ok")
    assert (f"learned nothing: model {nothing} kept its untrained weights (loss 0 at every "
            "step), so it has no HR@10 or MRR; add playlists, and tracks to them, then train "
            f"again (`musicsage {library_option(ctx.data_dir)}train`)") in lines
    assert not any(line.startswith("? too few") for line in lines), "its pairs: moot"


def test_the_json_and_the_label_say_so(ctx, capsys, two_models):
    nothing, learned = two_models
    listed = {m["id"]: m for m in json.loads(_models(ctx, capsys, "--json"))["models"]}

    assert listed[nothing]["learned"] is False and listed[learned]["learned"] is True
    labels = {r.id: r.label() for r in list_graph_models(ctx)}
    assert labels[nothing].endswith(" · learned nothing"), labels[nothing]
    assert labels[learned].endswith(" · HR@10 0.435")


def test_the_current_models_learned_flag_for_stats_json(ctx, tmp_path):
    """What ``stats --json`` is to carry as ``graph_model.learned`` (the stats use case's
    owner wires it): False for a current model that learned nothing, None without one."""
    from musicsage.graph.store import set_current
    from musicsage.library.db import connect
    from musicsage.usecases.models import current_model_learned

    assert current_model_learned(ctx) is None
    rng = np.random.default_rng(0)
    import_dataset(ctx, write_dataset(tmp_path / "ds", rng.normal(size=(15, 8)), OVERLAPPING))
    nothing = train_graph(ctx, max_steps=30, options=QUICK).model_id
    assert current_model_learned(ctx) is False
    model_with_metrics(ctx, LEARNED)
    assert current_model_learned(ctx) is True
    set_current(connect(ctx), ctx, nothing)
    assert current_model_learned(ctx) is False


def test_stats_json_says_the_current_model_learned_nothing(ctx, capsys, tmp_path):
    """``stats --json`` gave the untrained weights' "hr@10" 1.0 with nothing beside it."""
    rng = np.random.default_rng(0)
    import_dataset(ctx, write_dataset(tmp_path / "ds", rng.normal(size=(15, 8)), OVERLAPPING))
    rep = train_graph(ctx, max_steps=30, options=QUICK)
    assert not rep.learned
    capsys.readouterr()
    assert cli.main(["--data-dir", str(ctx.data_dir), "stats", "--json"]) == 0
    graph = json.loads(capsys.readouterr().out)["graph_model"]
    assert graph["id"] == rep.model_id and graph["learned"] is False
