"""``eval`` on a small library refuses a seed whose split leaves too few memberships to train
on before ANY seed trains (docs/cli.md: "before any training … (`eval` likewise)"): it trained
seed 0 for minutes, then refused seed 1 and threw seed 0's result away."""

from __future__ import annotations

import numpy as np
import pytest

import musicsage.graph.jobs as jobs
from musicsage.errors import MusicsageError
from musicsage.graph.config import TrainConfig
from musicsage.graph.data import GraphData
from musicsage.graph.split import protocol_split
from musicsage.graph.train import MIN_MEMBERSHIPS


def _small_library() -> GraphData:
    """12 tracks, 24 memberships over 6 playlists: seed 0's split leaves enough to train on,
    seed 1's does not (checked below, so the test cannot pass by a change of the split)."""
    rng = np.random.default_rng(0)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < 24:
        pairs.add((int(rng.integers(12)), int(rng.integers(6))))
    return GraphData.build([f"t{i}" for i in range(12)], rng.normal(size=(12, 8)),
                           [(f"p{p}", f"t{t}") for t, p in sorted(pairs)])


def test_eval_refuses_a_later_seeds_split_before_the_first_seed_trains(monkeypatch):
    data = _small_library()
    left = [int(protocol_split(data.memberships, data.n_tracks, seed=s).train.sum())
            for s in (0, 1)]
    assert left[0] >= MIN_MEMBERSHIPS > left[1]  # seed 0 trains, seed 1 is refused
    trained: list[int] = []

    def no_training(data, memberships, *, config, **_):
        trained.append(config.seed)
        raise AssertionError(f"seed {config.seed} trained before the refusal")

    monkeypatch.setattr(jobs, "train", no_training)
    stages: list[str] = []
    with pytest.raises(MusicsageError) as caught:
        jobs.evaluate_seeds(data, seeds=3, config=TrainConfig().with_(max_steps=3),
                            progress=lambda p: stages.append(p.stage))
    assert trained == []
    assert str(caught.value).startswith(  # the seed named: seed 0's split (train's) passes
        f"seed 1's split: the graph model needs more playlists: 24 playlist memberships, "
        f"{left[1]} left for training after the evaluation held out ")
    assert str(caught.value).endswith(f"at least {MIN_MEMBERSHIPS} are needed — put more "
                                      "tracks in playlists")
    assert "train" not in stages and "embed" not in stages


def _bigger_library() -> GraphData:
    """40 tracks, 120 memberships over 8 playlists: every seed's split leaves plenty."""
    rng = np.random.default_rng(0)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < 120:
        pairs.add((int(rng.integers(40)), int(rng.integers(8))))
    return GraphData.build([f"t{i}" for i in range(40)], rng.normal(size=(40, 8)),
                           [(f"p{p}", f"t{t}") for t, p in sorted(pairs)])


def test_eval_whose_every_split_is_big_enough_still_trains_each_seed(monkeypatch):
    """The check ahead changes nothing for a library big enough: each seed trains once."""
    data = _bigger_library()
    config = TrainConfig().with_(max_steps=2, threads=1, comember=False, two_hop=False)
    for seed in (0, 1, 2):  # every split passes the check: none can stop the run
        jobs.checked_split(data, config.with_(seed=seed), 0.1)
    seen: list[int] = []
    real_train = jobs.train

    def counted_train(data, memberships, *, config, **kwargs):
        seen.append(config.seed)
        return real_train(data, memberships, config=config, **kwargs)

    monkeypatch.setattr(jobs, "train", counted_train)
    out = jobs.evaluate_seeds(data, seeds=3, config=config)
    assert seen == [0, 1, 2] and [r["seed"] for r in out["per_seed"]] == [0, 1, 2]
