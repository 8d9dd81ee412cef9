"""Training: beats audio-only on a graph with a hidden taste; never touches held-out memberships."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from musicsage.errors import Cancelled
from musicsage.graph import sampler as sampler_mod
from musicsage.graph.build import build_context_graph
from musicsage.graph.config import LoopConfig
from musicsage.graph.evaluate import evaluate
from musicsage.graph.objectives import Objective
from musicsage.graph.sampler import FoldSampler, WalkParams
from musicsage.graph.split import protocol_split
from musicsage.graph.synthetic import hidden_factor_data
from musicsage.graph.train import TrainConfig, train
from musicsage.graph.trainer import Trainer
from musicsage.progress import CancelToken

FAST = TrainConfig().with_(max_steps=150, batch_size=128, eval_every=50, dim=32, hidden=32,
                           folds=5, val_fraction=0.1, warmup=20, threads=1, num_walks=10,
                           num_neighbors=5)


@pytest.fixture(scope="module")
def data():
    return hidden_factor_data()


@pytest.mark.parametrize("contexts", [("playlist", "album", "artist"), ("playlist",)])
def test_trained_model_beats_audio_only_clearly(data, contexts):
    split = protocol_split(data.memberships, data.n_tracks, seed=0, fraction=0.2)
    seen = []
    result = train(data, split.train_memberships, contexts=contexts, config=FAST,
                   progress=seen.append)
    out = evaluate(result.embed(data), data.features, split, data.n_tracks, data.n_playlists)
    assert out["graph"]["hr@10"] >= 3 * out["audio"]["hr@10"]
    assert out["graph"]["mrr"] >= 2 * out["audio"]["mrr"]
    assert out["graph"]["hr@10"] - out["audio"]["hr@10"] >= 0.15
    # progress: step, loss, validation HR@10 and the collapse watch
    evals = [p.extra for p in seen if "val_hr10" in p.extra]
    assert evals and {"step", "loss", "val_hr10", "mean_cos"} <= set(evals[-1])
    assert evals[-1]["mean_cos"] < 0.9  # no collapse (8 hidden styles: some clustering is right)
    assert result.best_step in [e["step"] for e in evals]


def test_training_is_a_function_of_training_memberships_only(data):
    """Leakage guard (end to end): hiding the held-out rows from ``data`` itself changes
    nothing, so no code path reads them; and the run is reproducible."""
    split = protocol_split(data.memberships, data.n_tracks, seed=1)
    cfg = FAST.with_(max_steps=30, eval_every=15)
    a = train(data, split.train_memberships, config=cfg).embed(data)
    only_train = dataclasses.replace(data, memberships=split.train_memberships)
    b = train(only_train, split.train_memberships, config=cfg).embed(only_train)
    assert np.array_equal(a, b)


def test_held_out_memberships_never_reach_graphs_walks_or_positives(data, monkeypatch):
    split = protocol_split(data.memberships, data.n_tracks, seed=2)
    held = {tuple(x) for x in split.heldout_memberships.tolist()}
    walked_graphs = []
    real = sampler_mod.sample_neighbourhoods

    def spy(graph, params, dgl_graph=None):
        walked_graphs.append(graph)
        return real(graph, params, dgl_graph)

    monkeypatch.setattr(sampler_mod, "sample_neighbourhoods", spy)
    graph = build_context_graph(data, split.train_memberships)
    fs = FoldSampler(graph, split.train_memberships, data.n_playlists, folds=4, layers=2,
                     walk=WalkParams(num_walks=5, num_neighbors=4), refresh_every=1,
                     playlist_contexts=True, rng=np.random.default_rng(0))
    n_pl = data.n_playlists
    for _ in range(12):
        batch = fs.sample(64)
        hidden_edges = {(t, p) for t, p in batch.graph.edges.tolist() if p < n_pl}
        for h, t, p in zip(batch.heads, batch.tails, batch.playlists):
            assert (t, p) not in held  # positives come from training memberships only
            assert (t, p) not in hidden_edges  # ... and the positive's membership is hidden
            assert (h, p) in hidden_edges  # the head keeps it, like an evaluation query
        # the query->positive edges are cut from the sampled blocks
        for block in batch.blocks:
            dst = block.src_ids[: block.n_dst]
            for i, row in enumerate(block.nbr):
                nbrs = set(block.src_ids[row[block.weight[i] > 0]].tolist())
                for h, t in zip(batch.heads, batch.tails):
                    if dst[i] == h:
                        assert t not in nbrs
    assert walked_graphs
    for g in walked_graphs + [graph]:
        playlist_edges = {(t, p) for t, p in g.edges.tolist() if p < n_pl}
        assert not playlist_edges & held


def test_cancel_stops_training(data):
    token = CancelToken()

    def cancel_soon(p):
        if p.extra.get("step", 0) >= 10:
            token.cancel()

    split = protocol_split(data.memberships, data.n_tracks, seed=0)
    with pytest.raises(Cancelled):
        train(data, split.train_memberships, config=FAST, progress=cancel_soon, cancel=token)


def test_every_objective_trains(data):
    from musicsage.graph.train import objective_names

    split = protocol_split(data.memberships, data.n_tracks, seed=0)
    assert {"infonce", "hinge"} <= set(objective_names())
    r = train(data, split.train_memberships, config=FAST.with_(objective="hinge", max_steps=20,
                                                                eval_every=10))
    assert np.isfinite(r.embed(data)).all()


def test_a_tiny_library_still_trains_and_embeds_every_track():
    data = hidden_factor_data(n_tracks=40, n_styles=2, n_playlists=3, playlist_size=(6, 9),
                              seed=3)
    split = protocol_split(data.memberships, data.n_tracks, seed=0)
    result = train(data, split.train_memberships, config=FAST.with_(max_steps=20))
    emb = result.embed(data)
    assert emb.shape == (40, 32) and np.isfinite(emb).all()
    assert 1 <= result.best_step <= 20


def test_a_library_smaller_than_the_embedding_width_trains():
    """30 tracks with 128-d audio features and a 64-d model: fewer principal directions than
    output dimensions must not stop a new user's first Retrain."""
    small = hidden_factor_data(n_tracks=30, n_playlists=6, playlist_size=(5, 9), artist_size=3,
                               feature_dim=128, seed=3)
    cfg = TrainConfig().with_(max_steps=20, batch_size=32, eval_every=10, threads=1)
    assert small.n_tracks < cfg.encoder.dim < small.feature_dim
    result = train(small, small.memberships, config=cfg)
    emb = result.embed(small)
    assert emb.shape == (30, cfg.encoder.dim) and np.isfinite(emb).all()
    assert np.allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-4)


class _Drift(torch.nn.Module):
    """A one-weight 'encoder' (the trainer reads ``gate``) whose loss pulls ``w`` to 5."""

    def __init__(self) -> None:
        super().__init__()
        self.w = torch.nn.Parameter(torch.zeros(3))
        self.gate = torch.nn.Parameter(torch.zeros(()))


class _PullToFive(Objective):
    def __init__(self, model) -> None:
        self.model = model

    def prepare(self, setup) -> None:  # pragma: no cover - not used by Trainer.fit
        pass

    def loss(self):
        return ((self.model.w - 5.0) ** 2).sum() + self.model.gate ** 2


@pytest.mark.parametrize("ema", [0.0, 0.9])
def test_weight_averaging_keeps_the_moving_average_of_the_weights(ema):
    model = _Drift()
    seen = []
    trainer = Trainer(LoopConfig(lr=0.1, warmup=1, max_steps=20, eval_every=20, ema=ema,
                                 select="loss", threads=1),
                      on_step=lambda step, obj: seen.append(model.w.detach().clone()))
    trainer.fit(model, _PullToFive(model))
    average = torch.zeros(3)
    for w in seen:
        average = average + (1 - ema) * (w - average) if ema else w
    # without averaging the kept state is the last step's; with it, the running average
    assert torch.allclose(model.w.detach(), average, atol=1e-6)
    assert ema == 0 or not torch.allclose(model.w.detach(), seen[-1], atol=1e-3)


class _Scripted(Objective):
    """Step s's loss is ``values[s - 1]`` (through a weight, so the step runs)."""

    def __init__(self, model, values) -> None:
        self.model, self.values, self.step = model, values, 0

    def prepare(self, setup) -> None:  # pragma: no cover - not used by Trainer.fit
        pass

    def loss(self):
        self.step += 1
        return self.model.w.sum() * 0 + self.values[self.step - 1]


def test_every_progress_report_carries_the_mean_of_its_last_ten_losses():
    """The loss curve took the last step's loss every 10 steps, but at each check (every
    100) the mean since the last check: at step 100 that mean still held the first steps'
    high losses, and the curve showed a spike no step had (the window drew it on every
    Retrain; it read as unstable training)."""
    from musicsage.progress import Progress

    values = [10.0 / (1 + s) for s in range(300)]  # falling, as training does
    reports: list[Progress] = []
    model = _Drift()
    Trainer(LoopConfig(lr=0.1, warmup=1, max_steps=300, eval_every=100, patience=5,
                       select="loss", threads=1),
            progress=reports.append).fit(model, _Scripted(model, values))
    shown = {p.extra["step"]: p.extra["loss"] for p in reports
             if p.extra.get("loss") is not None}
    assert sorted(shown) == list(range(10, 301, 10))
    for step, loss in shown.items():
        assert loss == pytest.approx(sum(values[step - 10:step]) / 10), step
    curve = [shown[s] for s in sorted(shown)]
    assert all(a > b for a, b in zip(curve, curve[1:])), "falling losses draw a falling curve"


@pytest.mark.parametrize("keep_start", [False, True])
def test_keep_start_keeps_the_untrained_state_when_training_only_makes_validation_worse(
        keep_start):
    """``keep_start``: a run whose every step moves away from what validation rewards ends
    with the weights it started from (step 0), not with its least bad trained state."""
    model = _Drift()

    def validation(m):  # rewards w near its start, 0; the loss pulls it to 5
        score = -float(m.w.detach().abs().sum())
        return {"val_hr10": score, "val_mrr": score}

    result = Trainer(LoopConfig(lr=0.1, warmup=1, max_steps=40, eval_every=10, patience=2,
                                keep_start=keep_start, threads=1)
                     ).fit(model, _PullToFive(model), validation)
    assert [h["step"] for h in result.history][:2] == ([0, 10] if keep_start else [10, 20])
    if keep_start:
        assert result.best_step == 0 and torch.equal(model.w.detach(), torch.zeros(3))
    else:
        assert result.best_step == 10 and float(model.w.detach().abs().sum()) > 0.1


@pytest.mark.parametrize("cores, option, expected", [(4, None, 2), (2, None, 1), (1, None, 1),
                                                     (4, 3, 3)])
def test_training_keeps_half_the_cores_by_default(dataset, monkeypatch, cores, option,
                                                  expected):
    """With torch's default (every core) a training ran 6x slower beside two busy processes on
    2 cores (bench/graph_threads.py): by default it takes half the cores this process may
    use, at least one, for the whole run; ``--set threads=N`` still chooses."""
    from musicsage.audio import threads as audio_threads
    from musicsage.graph.data import GraphData
    from musicsage.graph.jobs import make_config

    monkeypatch.setattr(audio_threads, "cpu_cores", lambda: cores)
    data = GraphData.from_dataset_dir(dataset)
    options = {} if option is None else {"threads": option}
    config = make_config(seed=0, max_steps=3, options={**options, "comember": False})
    seen = []
    torch.set_num_threads(4)  # the conftest fixture restores it
    train(data, data.memberships, contexts=("playlist",), config=config,
          on_step=lambda step, objective: seen.append(torch.get_num_threads()))
    assert seen and set(seen) == {expected}
    assert torch.get_num_threads() == 4  # restored after the run



def test_a_pipelines_pinned_threads_are_the_trainings_too(monkeypatch):
    """The demo pins one torch thread for its train stage (22 s against 235 s under
    contention); training now sets its own count (half the cores), which replaced the pin on
    a machine with more than two cores. A pin is the training's count unless its options
    name one."""
    import musicsage.usecases.training as training
    from musicsage.audio import threads as audio_threads
    from musicsage.graph.jobs import make_config
    from musicsage.usecases import pipeline

    monkeypatch.setattr(audio_threads, "cpu_cores", lambda: 8)
    threads = []

    def train_graph(ctx, *, progress=None, cancel=None, options=None, **kwargs):
        threads.append(make_config(options=options or {}).loop.torch_threads)

    monkeypatch.setattr(training, "train_graph", train_graph)
    pipeline.train(object(), torch_threads=1, max_steps=5)
    pipeline.train(object(), torch_threads=1, options={"threads": 3})
    pipeline.train(object())
    assert threads == [1, 3, 4]
