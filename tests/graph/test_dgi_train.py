"""DGI through the playlist loop's entry point: ``train(..., TrainConfig(objective='dgi'))``
and ``TrainConfig(pretrain='dgi')`` — same encoder, same result type, no held-out leakage."""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.errors import Cancelled, MusicsageError
from musicsage.graph.evaluate import evaluate
from musicsage.graph.split import protocol_split
from musicsage.graph.synthetic import hidden_factor_data
from musicsage.graph.config import TrainConfig
from musicsage.graph.train import TrainResult, train
from musicsage.progress import CancelToken

torch = pytest.importorskip("torch")
pytest.importorskip("dgl")

# one thread: tiny tensors on a shared, busy CPU are much slower with two
FAST = TrainConfig().with_(max_steps=60, batch_size=128, eval_every=20, dim=32, hidden=32,
                           folds=5, val_fraction=0.1, warmup=10, patience=100, threads=1,
                           num_walks=10, num_neighbors=5)


@pytest.fixture(scope="module")
def data():
    return hidden_factor_data(n_tracks=300, n_playlists=30)


@pytest.fixture(scope="module")
def split(data):
    return protocol_split(data.memberships, data.n_tracks, seed=0, fraction=0.2)


def _edges(graph) -> set[tuple[int, int]]:
    return {tuple(e) for e in graph.edges.tolist()}


def test_objective_dgi_trains_the_encoder_through_train(data, split):
    seen = []
    config = FAST.with_(objective="dgi", max_steps=140, dropout=0.0)
    result = train(data, split.train_memberships, contexts=("playlist",), config=config,
                   progress=seen.append)
    assert isinstance(result, TrainResult) and result.config.objective == "dgi"
    assert result.steps == config.loop.max_steps  # patience 100: no early stop
    # DGI learned something: the loss leaves chance (2·ln 2 ≈ 1.39; it sits there for the
    # first ~60 steps while the skip gate opens from 0), and the state kept (best validation
    # HR@10, possibly an early one) has the graph layers switched on
    losses = [h["loss"] for h in result.history]
    assert losses[-1] < 1.1 and float(result.model.gate) > 0
    # validation HR@10 is measured and picks the state kept, as for the playlist objectives
    evals = [p.extra for p in seen if "val_hr10" in p.extra]
    assert evals and result.best_step in [h["step"] for h in result.history]
    assert result.best_val_hr10 == max(h["val_hr10"] for h in result.history)
    # the graph it embeds on holds training memberships only
    held = {tuple(x) for x in split.heldout_memberships.tolist()}
    assert not (_edges(result.graph) & held)
    emb = result.embed(data)
    assert emb.shape == (data.n_tracks, 32) and np.allclose(np.linalg.norm(emb, axis=1), 1,
                                                            atol=1e-5)
    out = evaluate(emb, data.features, split, data.n_tracks, data.n_playlists)
    assert np.isfinite(out["graph"]["mrr"]) and out["pairs"] > 0


def test_pretrain_dgi_runs_before_the_playlist_objective_on_the_training_graph(
        data, split, monkeypatch):
    """--pretrain dgi: DGI steps (stage 'pretrain') on the playlist loop's training graph
    (validation memberships out, held-out never in), then the playlist objective."""
    from musicsage.graph.dgi import DGIObjective

    graphs = []
    real_prepare = DGIObjective.prepare

    def spy(self, setup):
        graphs.append(setup.graph)
        return real_prepare(self, setup)

    monkeypatch.setattr(DGIObjective, "prepare", spy)
    seen = []
    config = FAST.with_(pretrain="dgi", max_steps=40)
    result = train(data, split.train_memberships, contexts=("playlist", "artist"), config=config,
                   progress=seen.append)
    stages = [p.stage for p in seen]
    assert "pretrain" in stages and "train" in stages
    assert max(i for i, s in enumerate(stages) if s == "pretrain") < stages.index("train")
    pre = [p.extra for p in seen if p.stage == "pretrain" and "loss" in p.extra]
    assert pre and pre[-1]["step"] == config.loop.max_steps  # min(PRETRAIN_STEPS, max_steps)
    assert len(graphs) == 1
    held = {tuple(x) for x in split.heldout_memberships.tolist()}
    train_edges = _edges(result.graph)
    assert not (_edges(graphs[0]) & held)
    assert _edges(graphs[0]) < train_edges  # the validation memberships are out as well
    assert result.config.pretrain == "dgi" and result.steps > 0
    assert [h["step"] for h in result.pretrain_history][-1] == config.loop.max_steps
    # the playlist objective trained the context vectors afterwards (DGI leaves them at zero)
    assert float(result.model.project.contexts.weight.abs().max()) > 0


def test_pretrain_changes_the_starting_point_of_the_playlist_objective(data, split):
    """Same seed, same playlist steps: with DGI pre-training the result differs (the weights
    it starts from are the pre-trained ones, not a fresh init)."""
    cfg = FAST.with_(max_steps=20, eval_every=10)
    plain = train(data, split.train_memberships, contexts=("playlist",), config=cfg)
    pre = train(data, split.train_memberships, contexts=("playlist",),
                config=cfg.with_(pretrain="dgi"))
    assert not torch.equal(plain.model.convs[0].Q.weight, pre.model.convs[0].Q.weight)


def test_unknown_pretraining_is_a_clear_error(data, split):
    with pytest.raises(MusicsageError, match="unknown pre-training"):
        train(data, split.train_memberships, config=FAST.with_(pretrain="gmi"))


def test_dgi_objective_can_be_cancelled(data, split):
    token = CancelToken()

    def cancel_at_step_5(p):
        if p.extra.get("step", 0) >= 5:
            token.cancel()

    with pytest.raises(Cancelled):
        train(data, split.train_memberships, config=FAST.with_(objective="dgi", max_steps=500),
              progress=cancel_at_step_5, cancel=token)
