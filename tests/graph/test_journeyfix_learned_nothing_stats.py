"""A graph model that learned nothing (loss 0 at every step: it kept its untrained weights)
is said to have learned nothing by ``stats``, as ``train`` says it: ``stats`` showed it as
``graph model 1 on …, HR@10 1.000 (1 pair: too few to mean much)``, a model that works."""

from __future__ import annotations

import numpy as np
import pytest

from musicsage import cli
from musicsage.usecases.library import import_dataset
from musicsage.usecases.model_metrics import learned_nothing_saved
from musicsage.usecases.training import current_graph_model, train_graph

from dataset_files import write_dataset
from musicsage.context import library_option

#: 15 tracks in 4 playlists that overlap (25 memberships): every candidate of every step
#: shares a playlist with its head, so the loss is 0 at every step
OVERLAPPING = ([("chill", f"t{i}") for i in range(6)] + [("work", f"t{i}") for i in range(4, 10)]
               + [("party", f"t{i}") for i in range(8, 14)]
               + [("mix", f"t{i}") for i in (0, 1, 4, 5, 8, 9, 14)])
QUICK = {"comember": False, "two_hop": False, "threads": 1}


def _graph_line(capsys, ctx) -> str:
    capsys.readouterr()
    assert cli.main(["stats", "--data-dir", str(ctx.data_dir)]) == 0
    return next(line for line in capsys.readouterr().out.splitlines()
                if line.startswith("graph "))


@pytest.mark.parametrize("holdout", [None, 0.0])
def test_stats_says_a_model_that_learned_nothing_learned_nothing(ctx, tmp_path, capsys,
                                                                 holdout):
    rng = np.random.default_rng(0)
    import_dataset(ctx, write_dataset(tmp_path / "ds", rng.normal(size=(15, 8)), OVERLAPPING))
    rep = train_graph(ctx, max_steps=30, holdout=holdout, options=QUICK)
    assert not rep.learned and learned_nothing_saved(current_graph_model(ctx))
    line = _graph_line(capsys, ctx)
    assert line.startswith(f"graph      model {rep.model_id} on ")
    assert (" learned nothing: it kept its untrained weights (loss 0 at every step); add "
            "playlists, and tracks to them, then train again (`musicsage "
            f"{library_option(ctx.data_dir)}train`)") in line
    assert "HR@10" not in line, line  # measured on the untrained weights: it means nothing


def test_stats_of_a_model_that_learned_still_shows_its_hr10(ctx, tmp_path, capsys):
    rng = np.random.default_rng(0)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < 60:
        pairs.add((int(rng.integers(18)), int(rng.integers(6))))
    import_dataset(ctx, write_dataset(tmp_path / "ds", rng.normal(size=(18, 8)),
                                      [(f"p{p}", f"t{t}") for t, p in sorted(pairs)]))
    rep = train_graph(ctx, max_steps=30, options=QUICK)
    assert rep.learned
    line = _graph_line(capsys, ctx)
    assert ", HR@10 " in line and "learned nothing" not in line, line
