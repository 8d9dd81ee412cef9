"""Training options in their documented range that still failed: a validation share that left
nothing to fit on (exit 70), a hinge margin that blamed the playlists or wrote ``Infinity``
into metrics.json, extra negatives past memory — and ``eval`` on a library whose playlists
name none of its tracks, which gave the wrong reason."""

from __future__ import annotations

import json

import numpy as np
import pytest

from musicsage.errors import MusicsageError
from musicsage.graph.config import TrainConfig, parse_options


@pytest.mark.parametrize("option, message", [
    ("val_fraction=0.97", "--set val_fraction must be at most 0.5"),  # crashed: empty fold
    ("margin=0", "--set margin must be above 0 and at most 2"),
    ("margin=-1", "--set margin must be above 0 and at most 2"),  # "learned nothing"
    ("margin=1e37", "--set margin must be above 0 and at most 2"),  # Infinity in metrics.json
    ("negatives=1000000", "--set negatives must be at most 10,000, got 1,000,000"),  # 30 GiB
])
def test_values_that_failed_in_range_are_refused_before_any_data_is_read(option, message):
    with pytest.raises(MusicsageError) as err:
        parse_options([option])
    assert str(err.value).startswith(message) and "\n" not in str(err.value)


def test_the_limits_hold_for_the_window_too_but_a_stored_model_still_loads():
    """The window's options go through make_config, not --set; a model trained before the
    limits were tightened keeps loading (its config is read, not run)."""
    from musicsage.graph.jobs import make_config

    with pytest.raises(MusicsageError, match="val_fraction must be at most 0.5"):
        make_config(options={"val_fraction": 0.9})
    old = TrainConfig().with_(margin=5.0, negatives=20_000, val_fraction=0.8).to_dict()
    assert TrainConfig.from_dict(old).margin == 5.0
    assert parse_options(["val_fraction=0.5", "margin=2", "negatives=10000"])


def _dataset(tmp_path, n_tracks=40, n_playlists=8, size=5):
    from dataset_files import write_dataset

    rng = np.random.default_rng(0)
    pairs = [(f"p{p}", f"t{int(t)}") for p in range(n_playlists)
             for t in rng.choice(n_tracks, size=size, replace=False)]
    return write_dataset(tmp_path / "ds", rng.normal(size=(n_tracks, 8)), pairs)


def test_a_validation_share_leaving_too_few_to_fit_on_is_one_line_not_a_crash(tmp_path):
    """val_fraction 0.5 is in range, but on 20 memberships (all trained on: --holdout 0) it
    leaves 9 to fit on: refused in one line naming the option, before training (0.97 on 280
    left 8 and crashed: `ValueError: high <= 0`, exit 70)."""
    from musicsage.graph.jobs import make_config, train_dataset

    config = make_config(max_steps=2, options={"val_fraction": 0.5})
    with pytest.raises(MusicsageError) as err:
        train_dataset(_dataset(tmp_path, n_tracks=24, n_playlists=4), tmp_path / "out",
                      config=config, holdout=0)
    text = str(err.value)
    assert text.startswith("the graph model needs more memberships to fit on: validation "
                           "(val_fraction 0.5) took ")
    assert "lower val_fraction (default 0.05)" in text and "\n" not in text
    assert not (tmp_path / "out" / "metrics.json").exists()


def test_more_folds_than_memberships_to_fit_on_trains(tmp_path):
    """folds=50 on fewer fit memberships left empty folds: the step that drew one crashed."""
    from musicsage.graph.jobs import make_config, train_dataset

    config = make_config(max_steps=60, options={
        "folds": 50, "batch_size": 8, "eval_every": 1000, "comember": False,
        "two_hop": False, "choose_contexts": False})
    report = train_dataset(_dataset(tmp_path), tmp_path / "out", config=config)
    assert report.steps == 60


def _strict(text: str):
    def refuse(name):
        raise ValueError(f"not JSON: {name}")
    return json.loads(text, parse_constant=refuse)


def test_metrics_json_is_strict_json_when_a_loss_is_not_finite(tmp_path, monkeypatch):
    """An infinite loss was written as `Infinity` (margin=1e37): no strict reader takes it."""
    import musicsage.graph.jobs as jobs
    from musicsage.graph.jobs import make_config, train_dataset

    real_train = jobs.train

    def infinite_loss(*args, **kwargs):
        result = real_train(*args, **kwargs)
        for row in result.history:
            row["loss"] = float("inf")
        return result

    monkeypatch.setattr(jobs, "train", infinite_loss)
    config = make_config(max_steps=2, options={"comember": False, "two_hop": False,
                                               "choose_contexts": False})
    train_dataset(_dataset(tmp_path, n_tracks=60, n_playlists=12, size=6), tmp_path / "out",
                  config=config)
    body = _strict((tmp_path / "out" / "metrics.json").read_text())
    assert body["history"] and all(row["loss"] is None for row in body["history"])
    assert jobs.json_safe({"a": [np.float32("nan"), 1.5, (2, float("-inf"))]}) == \
        {"a": [None, 1.5, (2, None)]}


def test_eval_says_when_no_playlist_entry_names_a_track_of_the_library(ctx, tmp_path):
    """`eval` said "0 playlist memberships … put more tracks in playlists" where `train` said
    the entries matched none of the library's tracks."""
    from dataset_files import write_dataset
    from musicsage.library.db import connect, transaction
    from musicsage.usecases.library import import_dataset
    from musicsage.usecases.training import evaluate_graph

    rng = np.random.default_rng(0)
    pairs = sorted({(f"p{int(rng.integers(6))}", f"t{int(rng.integers(24))}")
                    for _ in range(80)})[:60]
    import_dataset(ctx, write_dataset(tmp_path / "ds", rng.normal(size=(24, 8)), pairs))
    conn = connect(ctx)
    with transaction(conn):  # as if every entry's path had missed
        conn.execute("UPDATE playlist_entries SET track_id = NULL")
    with pytest.raises(MusicsageError) as err:
        evaluate_graph(ctx, seeds=1, max_steps=2)
    assert str(err.value).startswith("the graph model needs playlists that name tracks of the "
                                     "library: the ")
    assert "match none of its tracks" in str(err.value)
