"""A split whose memberships to fit on hold no two tracks of one playlist is refused before
any step, in the words the run said only after its last step ("nothing to train on: …"):
``eval --seeds 3`` on such a library trained seed 0 to its end, then refused seed 1's split
and lost seed 0's run. With several seeds the refusal names the seed whose split failed:
``train`` and ``eval --seeds 1`` work on that library, so a bare line read as wrong."""

from __future__ import annotations

import numpy as np
import pytest
from dataset_files import last_error_line, write_dataset

import musicsage.graph.jobs as jobs
from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.graph.config import TrainConfig
from musicsage.graph.data import GraphData
from musicsage.graph.train import train, validation_split

CONFIG = TrainConfig().with_(max_steps=3, threads=1, comember=False, two_hop=False)


def _library() -> tuple[np.ndarray, list[tuple[str, str]]]:
    """(features, memberships) of 20 tracks in 35 memberships over 23 playlists, drawn at
    random (seed 1628): seed 0's split keeps playlists of two tracks to fit on, seed 1's
    keeps none (checked below, so the test cannot pass by a change of the split)."""
    rng = np.random.default_rng(1628)
    n_t, n_p = int(rng.integers(20, 60)), int(rng.integers(8, 30))
    pairs: set[tuple[int, int]] = set()
    m = int(rng.integers(20, 40))
    while len(pairs) < m:
        pairs.add((int(rng.integers(n_t)), int(rng.integers(n_p))))
    return rng.normal(size=(n_t, 8)), [(f"p{p}", f"t{t}") for t, p in sorted(pairs)]


def _data() -> GraphData:
    features, memberships = _library()
    return GraphData.build([f"t{i}" for i in range(len(features))], features, memberships)


def _fit(data: GraphData, seed: int) -> np.ndarray:
    """The memberships seed ``seed``'s run fits on, as ``train`` carves them."""
    config = CONFIG.with_(seed=seed)
    _, train_memberships = jobs.checked_split(data, config.with_(objective="dgi"), 0.1)
    val = validation_split(train_memberships, data.n_tracks, config)
    return val.train_memberships if val is not None else train_memberships


def _playlists_of_two(fit: np.ndarray) -> int:
    return sum(len(set(fit[fit[:, 1] == p, 0])) >= 2 for p in np.unique(fit[:, 1]))


def _no_training(monkeypatch) -> list[int]:
    trained: list[int] = []

    def no_training(data, memberships, *, config, **_):
        trained.append(config.seed)
        raise AssertionError(f"seed {config.seed} trained before the refusal")

    monkeypatch.setattr(jobs, "train", no_training)
    return trained


def test_eval_refuses_a_later_seed_with_no_pair_before_any_seed_trains(monkeypatch):
    data = _data()
    assert _playlists_of_two(_fit(data, 0)) > 0 and _playlists_of_two(_fit(data, 1)) == 0
    n_fit = len(_fit(data, 1))
    trained = _no_training(monkeypatch)
    with pytest.raises(MusicsageError) as caught:
        jobs.evaluate_seeds(data, seeds=3, config=CONFIG)
    assert trained == []
    assert str(caught.value).startswith(
        f"seed 1's split: nothing to train on: no two tracks share a playlist among the "
        f"{n_fit} training memberships")


def test_the_refusal_before_training_is_the_one_after_it(monkeypatch):
    """``train`` of seed 1 alone is refused before any step, in the very line the run
    says after its steps (kept as a safety net), without a seed named: one run, its seed."""
    data = _data()
    _, train_memberships = jobs.checked_split(data, CONFIG.with_(seed=1, objective="dgi"), 0.1)
    with pytest.raises(MusicsageError) as after:
        train(data, train_memberships, config=CONFIG.with_(seed=1))
    assert str(after.value).startswith("nothing to train on: ")
    _no_training(monkeypatch)
    with pytest.raises(MusicsageError) as before:
        jobs.train_and_evaluate(data, config=CONFIG.with_(seed=1), holdout=0.1)
    assert str(before.value) == str(after.value)


def test_eval_of_a_dataset_dir_says_which_seeds_split_has_no_pair(tmp_path, capsys):
    features, memberships = _library()
    ds = write_dataset(tmp_path / "ds", features, memberships)
    assert cli.main(["eval", "--dataset", str(ds), "--seeds", "3", "--max-steps", "2",
                     "--json"]) == 1
    assert last_error_line(capsys).startswith(
        "musicsage eval: seed 1's split: nothing to train on: no two tracks share a playlist")


def test_a_single_seed_keeps_the_bare_line_and_dgi_needs_no_pair():
    data = _data()
    with pytest.raises(MusicsageError) as caught:
        jobs.evaluate_seeds(data, seeds=1, config=CONFIG.with_(seed=1))
    assert str(caught.value).startswith("nothing to train on: ")
    jobs.checked_split(data, CONFIG.with_(seed=1, objective="dgi"), 0.1)  # not refused


def test_one_playlist_of_two_tracks_is_not_refused_before_training():
    """One pair is enough to train (a run that learned nothing, said so): only none is
    refused before training."""
    rng = np.random.default_rng(0)
    data = GraphData.build([f"t{i}" for i in range(22)], rng.normal(size=(22, 8)),
                           [(f"p{i}", f"t{i}") for i in range(22)]
                           + [("pair", "t0"), ("pair", "t1")])
    config = CONFIG.with_(val_fraction=0.0)
    jobs.checked_split(data, config, None)
    alone = GraphData.build([f"t{i}" for i in range(22)], rng.normal(size=(22, 8)),
                            [(f"p{i}", f"t{i}") for i in range(22)])
    with pytest.raises(MusicsageError, match="^nothing to train on: no two tracks share a "
                                             "playlist among the 22 training memberships"):
        jobs.checked_split(alone, config, None)
