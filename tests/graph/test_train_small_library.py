"""`train` on a small library: the co-member view trains as long as its data is worth, a
second training of a library waits for the first, a refusal counts from what the user
sees (``stats``), then says where the memberships went, and a run that learned nothing
says so."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import numpy as np
import pytest

from musicsage.errors import MusicsageError
from musicsage.graph.comember import comember_steps
from musicsage.graph.config import TrainConfig
from musicsage.graph.data import GraphData
from musicsage.graph.jobs import NOTHING_LEARNED, train_and_evaluate, train_report
from musicsage.usecases.library import import_dataset
from musicsage.usecases.training import current_graph_model, train_graph

from dataset_files import write_dataset

WAITING = "another training of this library is running (process "


def _pairs(n_tracks: int, n_memberships: int, seed: int) -> list[tuple[str, str]]:
    """``n_memberships`` distinct (playlist, track) pairs over 6 playlists, drawn at random."""
    rng = np.random.default_rng(seed)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < n_memberships:
        pairs.add((int(rng.integers(n_tracks)), int(rng.integers(6))))
    return [(f"p{p}", f"t{t}") for t, p in sorted(pairs)]


def _tiny_library(ctx, tmp_path, n_tracks: int, pairs: list[tuple[str, str]]):
    rng = np.random.default_rng(0)
    import_dataset(ctx, write_dataset(tmp_path / "ds", rng.normal(size=(n_tracks, 8)), pairs))
    return ctx


def test_the_comember_view_trains_for_at_most_500_passes_over_its_memberships():
    assert comember_steps(9, 3000) == 9  # 500 passes of 9 memberships, 512 drawn per step
    assert comember_steps(340, 3000) == 333  # about the demo's
    assert comember_steps(3000, 3000) == 2930
    # every benchmark split trains it on 4,676 memberships or more (CiteSeer, tuning
    # seeds; spotify_songs 12,340): the full 3,000 steps, as before
    for n in (3072, 4676, 5225, 12340):
        assert comember_steps(n, 3000) == 3000
    assert comember_steps(4676, 200) == 200  # max_steps still caps it
    assert comember_steps(0, 3000) == 1


def test_a_tiny_librarys_comember_view_stops_after_a_few_steps():
    """18 tracks in 6 playlists: the view ran 3,000 steps on a flat loss (28 s) before its
    weight came out 0."""
    rng = np.random.default_rng(0)
    pairs = _pairs(18, 60, seed=0)
    data = GraphData.build([f"t{i}" for i in range(18)], rng.normal(size=(18, 8)),
                           [(p, t) for p, t in pairs])
    config = TrainConfig().with_(eval_every=5, patience=1, dim=16, hidden=16, threads=1,
                                 num_walks=5, two_hop=False)
    reports = []
    train_and_evaluate(data, config=config, progress=reports.append)
    view = [p for p in reports if p.stage == "co-member"]
    assert view, "the co-member view did not train"
    assert view[-1].done == view[-1].total < 100


#: the audit's library: 15 tracks in 4 playlists that overlap (25 memberships)
OVERLAPPING = ([("chill", f"t{i}") for i in range(6)] + [("work", f"t{i}") for i in range(4, 10)]
               + [("party", f"t{i}") for i in range(8, 14)]
               + [("mix", f"t{i}") for i in (0, 1, 4, 5, 8, 9, 14)])


def test_a_run_that_learned_nothing_says_so_first():
    """15 tracks, 25 memberships: every candidate of every step shares a playlist with its
    head, so InfoNCE had nothing to push away — loss 0.0000 at every step, the weights never
    moved — and the run "succeeded", its one held-out pair scored 1.000 everywhere."""
    rng = np.random.default_rng(0)
    config = TrainConfig().with_(max_steps=30, threads=1)
    data = GraphData.build([f"t{i}" for i in range(15)], rng.normal(size=(15, 8)), OVERLAPPING)
    result, metrics, _ = train_and_evaluate(data, config=config)
    assert [h["loss"] for h in result.history] == [0.0]
    assert metrics["notes"][0] == NOTHING_LEARNED  # before the small split's own notes
    assert any(note.startswith("only 1 evaluation pair") for note in metrics["notes"])
    report = train_report(result, metrics, data)
    assert not report.learned and report.notes == (NOTHING_LEARNED,)
    assert NOTHING_LEARNED.startswith("the playlists are too few, or one holds nearly every "
                                      "track, for the graph model to learn from")

    # a small library that does learn has no such note, and its model moved
    data = GraphData.build([f"t{i}" for i in range(18)], rng.normal(size=(18, 8)),
                           _pairs(18, 60, seed=0))
    result, metrics, _ = train_and_evaluate(data, config=config)
    assert result.history[-1]["loss"] > 0 and NOTHING_LEARNED not in metrics.get("notes", [])
    report = train_report(result, metrics, data)
    assert report.learned and report.notes == ()


def test_too_few_memberships_left_by_the_evaluation_are_counted_from_the_total(ctx, tmp_path):
    """24 memberships: train said "(9; at least 10 are needed)", a count nowhere to be seen."""
    _tiny_library(ctx, tmp_path, 12, _pairs(12, 24, seed=5))
    with pytest.raises(MusicsageError) as caught:
        train_graph(ctx, max_steps=5)
    message = str(caught.value)
    assert message.startswith("the graph model needs more playlists: 24 playlist memberships, ")
    assert " left for training after the evaluation held out " in message
    assert " out of playlists; at least 10 are needed — put more tracks in playlists" in message
    left = int(message.split(", ")[1].split()[0])
    assert left < 10


def test_memberships_of_tracks_without_embeddings_are_counted_apart():
    """The library's 24 memberships, 16 of them of tracks with vectors: it said "only 16"."""
    rng = np.random.default_rng(0)
    pairs = _pairs(12, 16, seed=1)
    data = replace(GraphData.build([f"t{i}" for i in range(12)], rng.normal(size=(12, 4)),
                                   pairs, audio_model="musicnn"), library_memberships=24)
    with pytest.raises(MusicsageError) as caught:
        train_and_evaluate(data, config=TrainConfig().with_(max_steps=5))
    assert str(caught.value) == (
        "the graph model needs more playlists: 24 playlist memberships, 16 of them of tracks "
        "with 'musicnn' embeddings; at least 20 are needed — put more tracks in playlists, "
        "or compute the other tracks' embeddings (embed)")


def test_a_second_training_of_a_library_waits_for_the_first(ctx, tmp_path):
    """Two at once each ran at half speed and the last to end replaced the other's model."""
    _tiny_library(ctx, tmp_path, 24, _pairs(24, 60, seed=2))
    first_steps, release = threading.Event(), threading.Event()
    second: list = []
    results: dict = {}

    def first_progress(p) -> None:
        if p.stage == "train" and p.extra.get("step"):
            first_steps.set()
            release.wait(60)  # the first run holds the library until the test lets it go

    def run(name: str, progress) -> None:
        try:
            results[name] = train_graph(ctx, max_steps=3, progress=progress,
                                        options={"comember": False, "two_hop": False})
        except BaseException as exc:  # noqa: BLE001 - reported by the asserts below
            results[name] = exc

    threads = [threading.Thread(target=run, args=("first", first_progress))]
    try:
        threads[0].start()
        assert first_steps.wait(60)
        threads.append(threading.Thread(target=run, args=("second", second.append)))
        threads[1].start()
        deadline = time.monotonic() + 60  # a condition: generous on a loaded machine
        while time.monotonic() < deadline and not any(WAITING in p.message for p in second):
            time.sleep(0.05)
        waited = any(WAITING in p.message for p in second)
        stepped_meanwhile = any(p.extra.get("step") for p in second)
    finally:
        release.set()
        for t in threads:
            t.join(120)
    assert waited and not stepped_meanwhile
    first, later = results["first"], results["second"]
    assert later.model_id > first.model_id  # it trained after the first, on its own
    assert current_graph_model(ctx).id == later.model_id
