"""Training inputs out of range or odd: step sizes and sizes past what float32 and memory
hold, seeds, empty or unknown names — each a one-line refusal before any data is read, never
a crash (exit 70) nor non-finite vectors. And what a run that learned nothing, or a library
whose playlists name none of its tracks, leaves and says."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from musicsage.errors import MusicsageError
from musicsage.graph.config import TrainConfig, parse_options


@pytest.mark.parametrize("option, message", [
    ("lr=1e308", "--set lr must be a number, 0 or more and at most 10, got 1e+308"),  # exit 70
    ("lr=1e39", "--set lr must be a number, 0 or more and at most 10"),  # non-finite vectors
    ("context_lr=1e308", "--set context_lr must be a number, 0 or more and at most 10"),
    ("gate_lr=11", "--set gate_lr must be a number, 0 or more and at most 10"),
    ("weight_decay=1e39", "--set weight_decay must be 0 or more and at most 1, got 1e+39"),
    ("tau=1e-300", "--set tau must be between 0.02 and 100"),  # non-finite, tau unnamed
    ("tau=1000", "--set tau must be between 0.02 and 100"),
    ("dim=99999999999", "--set dim must be at most 4,096, got 99,999,999,999"),  # 301 TB
    ("hidden=5000", "--set hidden must be at most 4,096, got 5,000"),
    ("num_walks=100000000", "--set num_walks must be at most 10,000"),  # crash in the sampler
    ("batch_size=100000000", "--set batch_size must be at most 4,096"),  # ran for minutes
    ("layers=1000", "--set layers must be at most 16"),
    ("seed=-1", "--set seed: give --seed -1 instead"),  # --seed -1 was refused, this trained
    ("seed=5", "--set seed: give --seed 5 instead"),  # ignored: --seed (0) seeded the run
    ("aggregator=foo", "--set aggregator must be one of sage, mean, got 'foo'"),
    ("input_scaling=x", "--set input_scaling must be one of zscore, global, none, got 'x'"),
    ("pretrain=foo", "--set pretrain must be one of dgi or none, got 'foo'"),
])
def test_values_out_of_range_are_refused_before_any_data_is_read(option, message):
    with pytest.raises(MusicsageError) as err:
        parse_options([option])
    assert str(err.value).startswith(message)


def test_the_limits_themselves_are_accepted():
    assert parse_options(["lr=10", "context_lr=0", "weight_decay=1", "tau=0.02", "dim=4096",
                          "num_walks=10000", "batch_size=4096",
                          "pretrain=dgi"])["dim"] == 4096
    assert parse_options(["pretrain=none"]) == {"pretrain": None}


def test_a_thread_count_past_the_cores_is_capped_to_them():
    """threads=1000 on 2 cores ran on for minutes, each thread waiting for the others."""
    from musicsage.graph.config import usable_cores

    assert TrainConfig().with_(threads=1000).loop.torch_threads == usable_cores()
    assert TrainConfig().with_(threads=1).loop.torch_threads == 1
    assert TrainConfig().with_(threads=0).loop.torch_threads is None


def test_an_empty_context_list_says_it_is_empty():
    from musicsage.graph.build import parse_contexts

    with pytest.raises(MusicsageError) as err:
        parse_contexts("")
    assert str(err.value) == ("the list of contexts is empty: name one or more of "
                              "playlist,album,artist")  # said "unknown contexts []"


def test_retrain_says_when_the_playlists_name_no_track_of_the_library():
    """An imported m3u whose entries all missed: the window said "Import your playlists"."""
    from musicsage.controllers.training import NO_PLAYLISTS, NO_RESOLVED, TrainingController

    said: list = []
    imported, empty = SimpleNamespace(unresolved=3), SimpleNamespace(unresolved=0)
    for playlists in ([imported, empty], [], [empty]):
        snap = SimpleNamespace(empty=False, memberships=[], playlists=playlists)
        app = SimpleNamespace(library=SimpleNamespace(snapshot=snap),
                              notify=lambda text, level: said.append(text))
        assert TrainingController(app).start() is None
    assert said == [NO_RESOLVED, NO_PLAYLISTS, NO_PLAYLISTS]  # empty ones: nothing to rescan
    assert "name tracks of the library" in NO_RESOLVED and "Import" not in NO_RESOLVED


def _library(ctx, tmp_path):
    from dataset_files import write_dataset
    from musicsage.usecases.library import import_dataset

    rng = np.random.default_rng(0)
    pairs = set()
    while len(pairs) < 60:
        pairs.add((f"p{int(rng.integers(6))}", f"t{int(rng.integers(24))}"))
    import_dataset(ctx, write_dataset(tmp_path / "ds", rng.normal(size=(24, 8)), sorted(pairs)))


def test_audio_model_names_empty_or_unknown_are_refused(ctx, tmp_path):
    from musicsage.usecases.training import _graph_audio_model

    _library(ctx, tmp_path)
    with pytest.raises(MusicsageError, match="--audio-model is empty"):
        _graph_audio_model(ctx, "")  # was the default, silently
    with pytest.raises(MusicsageError) as err:
        _graph_audio_model(ctx, "nope")  # said "compute them first"
    assert str(err.value).startswith("unknown audio model 'nope': the library has vectors of ")
    known = _graph_audio_model(ctx, None)
    assert _graph_audio_model(ctx, known) == known


def test_a_run_that_learned_nothing_leaves_the_model_before_it_current(ctx, tmp_path,
                                                                       monkeypatch):
    """A tiny library's untrained model replaced one that had learned: the side panel then
    said "trained (model 3 …)" of a list equal to audio's. Stored, listed, not current. The
    models record the contexts they used: 'playlist,album,artist' was listed for tracks with
    neither albums nor artists."""
    import musicsage.graph.jobs as jobs
    from musicsage.controllers.summaries import describe_training
    from musicsage.usecases.models import list_graph_models
    from musicsage.usecases.training import current_graph_model, train_graph

    _library(ctx, tmp_path)
    quick = {"comember": False, "two_hop": False, "choose_contexts": False}
    first = train_graph(ctx, max_steps=3, options=quick)
    assert first.kept_current is None and current_graph_model(ctx).id == first.model_id
    assert current_graph_model(ctx).params["contexts"] == ["playlist"]
    monkeypatch.setattr(jobs, "learned_nothing", lambda result: True)
    second = train_graph(ctx, max_steps=3, options=quick)
    assert second.kept_current == first.model_id
    assert current_graph_model(ctx).id == first.model_id
    rows = {row.id: row for row in list_graph_models(ctx)}
    assert second.model_id in rows and rows[first.model_id].contexts == ("playlist",)
    text = describe_training(second)
    assert text.startswith(f"Training finished (3 steps, ") and (
        f"kept model {first.model_id} current: this run learned nothing (see the note); "
        f"`musicsage models --use {second.model_id}` makes it current anyway") in text
    assert "the new model is in use" not in text


def test_train_says_when_no_playlist_entry_names_a_track_of_the_library(ctx, tmp_path):
    """The CLI said "0 playlist memberships … put more tracks in playlists" of a library
    whose imported playlist's entries all missed."""
    from musicsage.library.db import connect, transaction
    from musicsage.usecases.training import train_graph

    _library(ctx, tmp_path)
    conn = connect(ctx)
    with transaction(conn):  # as if every entry's path had missed
        conn.execute("UPDATE playlist_entries SET track_id = NULL")
    with pytest.raises(MusicsageError) as err:
        train_graph(ctx, max_steps=3)
    assert str(err.value).startswith("the graph model needs playlists that name tracks of the "
                                     "library: the 60 entries of your 6 playlists match none")


def test_train_json_lists_the_contexts_the_model_used():
    from musicsage.commands.graph import _train_summary, _used_contexts

    rep = SimpleNamespace(contexts=("playlist", "album", "artist"),
                          empty_contexts=("album", "artist"), model_id=1, out_dir="d",
                          audio_model="spectral", objective="infonce", steps=3, best_step=3,
                          seconds=1.0, device="cpu", two_hop_gamma=0.0, comember_weight=0.0,
                          context_scores={}, dropped_contexts=(), notes=(), metrics=None)
    assert _used_contexts(rep) == ["playlist"]
    assert _train_summary(rep)["contexts"] == ["playlist"]  # was all three
    assert _train_summary(rep)["kept_current"] is None  # a dataset dir's run: no such field


def test_train_json_says_which_model_stayed_current():
    """A run that learned nothing left model 4 current: the JSON's ``model_id`` (5) alone
    read as the current model to a script."""
    from musicsage.commands.graph import _train_summary

    rep = SimpleNamespace(contexts=("playlist",), empty_contexts=(), model_id=5, out_dir="d",
                          audio_model="spectral", objective="infonce", steps=3, best_step=3,
                          seconds=1.0, device="cpu", two_hop_gamma=0.0, comember_weight=0.0,
                          context_scores={}, dropped_contexts=(), notes=(), metrics=None,
                          no_audio_vector=0, kept_current=4)
    assert _train_summary(rep)["kept_current"] == 4


def test_a_current_model_that_learned_nothing_either_is_replaced(monkeypatch):
    import musicsage.graph.jobs as jobs
    import musicsage.graph.store as store
    import musicsage.usecases.models as models
    from musicsage.usecases.training import _kept_current

    monkeypatch.setattr(jobs, "learned_nothing", lambda result: True)
    monkeypatch.setattr(models, "files_problem", lambda info: None)  # its files whole
    for notes, kept in (([jobs.NOTHING_LEARNED], None), ([], 9)):
        previous = SimpleNamespace(id=9, metrics={"notes": notes})
        monkeypatch.setattr(store, "current_model", lambda conn, ctx: previous)
        assert _kept_current(None, None, None).kept == kept
    monkeypatch.setattr(store, "current_model", lambda conn, ctx: None)
    assert _kept_current(None, None, None).kept is None  # the only model: current
