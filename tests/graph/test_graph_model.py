"""The encoder before training (skip connection = audio-only) and checkpoints."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from musicsage.errors import MusicsageError
from musicsage.graph.build import build_context_graph
from musicsage.graph.checkpoint import (align_contexts, load_checkpoint, load_comember,
                                        load_two_hop, save_checkpoint)
from musicsage.graph.evaluate import filtered_ranks, membership_matrix
from musicsage.graph.inference import embed_tracks
from musicsage.graph.model import EncoderConfig, PinSageEncoder
from musicsage.graph.split import protocol_split
from musicsage.graph.synthetic import hidden_factor_data
from musicsage.graph.config import TrainConfig
from musicsage.graph.train import train
from musicsage.vectors import unit_rows, zscore

SMALL = TrainConfig().with_(max_steps=30, batch_size=64, eval_every=15, dim=16, hidden=16,
                            folds=4, val_fraction=0.1, warmup=5, threads=1, num_walks=8,
                            num_neighbors=5)


@pytest.fixture(scope="module")
def data():
    return hidden_factor_data(n_tracks=300, n_playlists=30)


def test_untrained_model_ranks_exactly_like_audio_only(data):
    split = protocol_split(data.memberships, data.n_tracks, seed=0, fraction=0.2)
    graph = build_context_graph(data, split.train_memberships)
    model = PinSageEncoder(EncoderConfig(in_dim=data.feature_dim, n_contexts=graph.n_contexts,
                                         dim=16, hidden=16))
    model.fit_inputs(data.features)
    emb = embed_tracks(model, data, graph, SMALL.walk)
    audio = unit_rows(zscore(data.features))
    # same cosines (to float precision), hence the same filtered ranks
    assert np.allclose(emb @ emb.T, audio @ audio.T, atol=1e-5)
    m = membership_matrix(split.train_memberships, data.n_tracks, data.n_playlists)
    assert (filtered_ranks(emb, split.pairs, m) == filtered_ranks(audio, split.pairs, m)).all()


def test_wide_features_start_from_their_principal_directions():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(500, 40)).astype(np.float32) @ rng.normal(size=(40, 40)).astype(np.float32)
    model = PinSageEncoder(EncoderConfig(in_dim=40, n_contexts=1, dim=8, hidden=8))
    model.fit_inputs(x)
    w = model.project.linear.weight.detach().numpy()
    assert np.allclose(w @ w.T, np.eye(8), atol=1e-4)  # orthonormal projection


def _served(model, meta: dict, data, result) -> np.ndarray:
    """The vectors a loaded checkpoint serves on ``result``'s training graph: the encoder's,
    mixed with its co-member view and joined with its two-hop part when it has them."""
    raw = embed_tracks(model, data, result.graph, result.config.walk,
                       seed=result.config.seed + 1)
    view = load_comember(meta)
    if view is not None:
        raw = view.apply(raw, data.features, result.graph)
    two_hop = load_two_hop(meta)
    return raw if two_hop is None else two_hop.apply(raw, result.graph)


def test_checkpoint_round_trip_and_refusal(tmp_path, data):
    split = protocol_split(data.memberships, data.n_tracks, seed=0)
    result = train(data, split.train_memberships, config=SMALL)
    path = tmp_path / "model.pt"
    save_checkpoint(path, result, data)
    # a plain state-dict + metadata file: loadable with weights_only=True
    payload = torch.load(path, weights_only=True)
    assert payload["audio_model"] == data.audio_model and payload["feature_dim"] == 8
    assert payload["contexts"] == ["playlist", "album", "artist"]
    assert payload["fingerprint"] == data.fingerprint()
    model, meta = load_checkpoint(path, audio_model=data.audio_model,
                                  feature_dim=data.feature_dim)
    before = result.embed(data)
    after = _served(model, meta, data, result)
    assert np.allclose(before, after, atol=1e-6)
    with pytest.raises(MusicsageError, match="trained on 'features' features, not 'openl3"):
        load_checkpoint(path, audio_model="openl3-mel256-music-512")
    with pytest.raises(MusicsageError, match="expects 8-d"):
        load_checkpoint(path, feature_dim=512)
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(MusicsageError, match="not a readable graph model"):
        load_checkpoint(tmp_path / "junk.pt")


def test_align_contexts_maps_vectors_by_key(data):
    graph = build_context_graph(data, data.memberships)
    model = PinSageEncoder(EncoderConfig(in_dim=data.feature_dim, n_contexts=graph.n_contexts))
    with torch.no_grad():
        model.project.contexts.weight.normal_()
    old = model.project.contexts.weight.detach().clone()
    keys = [str(k) for k in graph.context_keys]
    smaller = build_context_graph(data, data.memberships, ("artist",))
    align_contexts(model, keys, smaller)
    new = model.project.contexts.weight.detach()
    first = keys.index(str(smaller.context_keys[0]))
    assert new.shape[0] == smaller.n_contexts
    assert torch.equal(new[0], old[first])


def test_mean_layer_averages_the_node_with_its_weighted_neighbours():
    """The GCN-style layer: (own·h_i + Σ w_j h_j) / (own + Σ w_j), own = mean neighbour weight
    (at least 1), then its linear map; padding (weight 0) counts for nothing."""
    from musicsage.graph.layers import WeightedMeanConv

    conv = WeightedMeanConv(2, dropout=0.0, activation=False, normalize=False)
    with torch.no_grad():
        conv.W.weight.copy_(torch.eye(2))
        conv.W.bias.zero_()
    h = torch.tensor([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0], [9.0, 9.0]])
    nbr = torch.tensor([[1, 2, 3], [0, 0, 0]])
    weight = torch.tensor([[3.0, 1.0, 0.0], [0.0, 0.0, 0.0]])
    out = conv(h, nbr, weight)
    own = 2.0  # (3 + 1) / 2 neighbours
    expected0 = (own * h[0] + 3 * h[1] + 1 * h[2]) / (own + 4)
    assert torch.allclose(out[0], expected0)
    assert torch.allclose(out[1], h[1])  # no neighbours: the node itself


def test_mean_aggregator_checkpoints_round_trip(tmp_path, data):
    split = protocol_split(data.memberships, data.n_tracks, seed=0)
    result = train(data, split.train_memberships, config=SMALL.with_(aggregator="mean"))
    save_checkpoint(tmp_path / "model.pt", result, data)
    model, meta = load_checkpoint(tmp_path / "model.pt")
    assert model.config.aggregator == "mean"
    assert np.allclose(result.embed(data), _served(model, meta, data, result), atol=1e-6)
    # a checkpoint written before the field existed loads with the PinSage layer
    payload = torch.load(tmp_path / "model.pt", weights_only=True)
    assert EncoderConfig(**{k: v for k, v in payload["encoder"].items()
                            if k != "aggregator"}).aggregator == "sage"
