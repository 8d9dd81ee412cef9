"""Context vectors started from co-membership (``context_init='svd'``)."""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.graph.build import ContextGraph, build_context_graph
from musicsage.graph.context_init import bag_matrix, cooccurrence_context_vectors
from musicsage.graph.evaluate import evaluate
from musicsage.graph.split import protocol_split
from musicsage.graph.synthetic import hidden_factor_data
from musicsage.graph.train import TrainConfig, train


def _context_part(graph: ContextGraph, vectors: np.ndarray) -> np.ndarray:
    """Each track's sum of its (bag-weighted) context vectors, as the encoder forms it."""
    return bag_matrix(graph) @ vectors


def _two_communities() -> ContextGraph:
    """Tracks 0–9 in playlists 0–2, tracks 10–19 in playlists 3–5, each in two of them."""
    edges = []
    for t in range(20):
        base = 0 if t < 10 else 3
        edges += [(t, base + t % 3), (t, base + (t + 1) % 3)]
    return ContextGraph.from_edges(20, np.zeros(6), [f"playlist:{i}" for i in range(6)], edges)


def test_tracks_that_share_contexts_start_close_and_others_apart():
    graph = _two_communities()
    part = _context_part(graph, cooccurrence_context_vectors(graph, 8))
    unit = part / np.linalg.norm(part, axis=1, keepdims=True)
    cos = unit @ unit.T
    community = np.arange(20) < 10
    across = community[:, None] != community[None, :]
    same = ~across
    np.fill_diagonal(same, False)
    assert cos[same].mean() > 0.5
    assert np.abs(cos[across]).max() < 0.1
    # on the scale of the standardised audio part: the mean track's context part has length 1
    assert np.linalg.norm(part, axis=1).mean() == pytest.approx(1.0, rel=1e-5)


def test_a_graph_too_small_to_factorise_starts_at_zero():
    one = ContextGraph.from_edges(3, np.zeros(1), ["playlist:a"], [(0, 0), (1, 0)])
    vectors = cooccurrence_context_vectors(one, 4)
    assert vectors.shape == (1, 4) and not vectors.any()
    empty = ContextGraph.from_edges(3, np.zeros(2), ["playlist:a", "playlist:b"],
                                    np.zeros((0, 2)))
    assert not cooccurrence_context_vectors(empty, 4).any()


def test_training_starts_from_the_cooccurrence_vectors(monkeypatch):
    """The encoder's context vectors start as the ones computed from the graph it trains
    on (here no validation split: every training membership); a zero step size on the
    context vectors leaves them there."""
    import musicsage.graph.train as train_mod

    data = hidden_factor_data(n_tracks=200, n_playlists=24)
    split = protocol_split(data.memberships, data.n_tracks, seed=0, fraction=0.2)
    computed = []

    def recording(graph, dim, *, seed=0, basis=None):
        computed.append((graph, cooccurrence_context_vectors(graph, dim, seed=seed,
                                                             basis=basis)))
        return computed[-1][1]

    monkeypatch.setattr(train_mod, "cooccurrence_context_vectors", recording)
    config = TrainConfig().with_(context_init="svd", context_lr=0.0, max_steps=3, dim=16,
                                 hidden=16, batch_size=64, warmup=1, threads=1, num_walks=5,
                                 num_neighbors=3, val_fraction=0.0)
    result = train(data, split.train_memberships, config=config)
    (graph, vectors), = computed
    expected = build_context_graph(data, split.train_memberships)
    assert np.array_equal(graph.edges, expected.edges)
    assert np.abs(vectors).max() > 0
    assert np.allclose(result.model.project.contexts.weight.detach().numpy(), vectors)
    # the default starts them at zero
    zero = train(data, split.train_memberships, config=config.with_(context_init="zero"))
    assert not zero.model.project.contexts.weight.detach().numpy().any()
