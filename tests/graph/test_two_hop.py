"""Item-kNN's two-hop part (graph/two_hop.py): its geometry, its fold-in for tracks the SVD
never saw, the choice of its weight on validation, and the checkpoint that carries it."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from musicsage.graph.build import ContextGraph, build_context_graph
from musicsage.graph.checkpoint import VERSION, load_two_hop, save_checkpoint
from musicsage.graph.config import TrainConfig
from musicsage.graph.serve import SavedModel
from musicsage.graph.split import protocol_split
from musicsage.graph.synthetic import hidden_factor_data
from musicsage.graph.train import train
from musicsage.graph.two_hop import TwoHop, choose_gamma, join
from musicsage.vectors import unit_rows

from graph_support import (TWO_HOP, assert_switched_off_and_dgi_runs_have_none,
                           assert_validation_joins_it_and_held_out_pairs_agree)

#: a short run on data whose features are pure noise: the model has learned little after 10
#: steps, and the playlists (one style each) say everything (a seeded, checked case)
QUICK = TrainConfig().with_(max_steps=10, dim=16, hidden=16, batch_size=64, warmup=1,
                            threads=1, num_walks=5, num_neighbors=3, eval_every=5,
                            comember=False)


def _graph(n_tracks: int, keys: list[str], edges: list[tuple[int, int]]) -> ContextGraph:
    return ContextGraph.from_edges(n_tracks, np.zeros(len(keys), np.int8), keys,
                                   np.array(sorted(edges), np.int64).reshape(-1, 2))


@pytest.fixture(scope="module")
def noise_data():
    return hidden_factor_data(n_tracks=300, n_playlists=40, signal=0.0, purity=1.0, seed=1)


@pytest.fixture(scope="module")
def trained(noise_data):
    split = protocol_split(noise_data.memberships, noise_data.n_tracks, seed=0)
    return split, train(noise_data, split.train_memberships, config=QUICK)


def test_the_part_is_the_truncated_svds_u_s_squared():
    """Each track's part points where its row of U·S² does (the IDF-weighted, row-normalised
    incidence, truncated): compared through the cosines, which do not depend on the SVD's
    signs."""
    rng = np.random.default_rng(0)
    n, c = 30, 8
    edges = {(t, int(k)) for t in range(n) for k in rng.choice(c, size=2, replace=False)}
    graph = _graph(n, [f"c{i}" for i in range(c)], list(edges))
    part = TwoHop.fit(graph, rank=5).part(graph)

    a = np.zeros((n, c))
    for t, k in edges:
        a[t, k] = 1.0
    idf = np.log((1.0 + n) / (1.0 + a.sum(0)))
    m = unit_rows(a * idf).astype(np.float64)
    u, s, _ = np.linalg.svd(m, full_matrices=False)
    expected = unit_rows(u[:, :5] * s[:5] ** 2)
    assert part.shape == (n, 5)
    assert np.allclose(part @ part.T, expected @ expected.T, atol=1e-4)


def test_a_track_the_basis_never_saw_gets_the_part_of_its_known_contexts():
    """Fold-in: a new track's part is the unit sum of its known contexts' rows; a context
    the basis does not know (a playlist made since training) adds nothing; a track in no
    known context gets no part at all."""
    keys = ["a", "b", "c"]
    two_hop = TwoHop(keys, np.array([[1, 0], [0, 2], [3, 3]], np.float32), gamma=1.0)
    later = _graph(3, ["new", "b", "a"], [(0, 1), (0, 2), (1, 0), (1, 2), (2, 0)])
    part = two_hop.part(later)
    assert np.allclose(part[0], unit_rows([[1, 2]])[0])  # a + b
    assert np.allclose(part[1], [1, 0])  # a, and the unknown playlist: nothing
    assert np.allclose(part[2], [0, 0])  # only the unknown playlist


def test_join_adds_gamma_times_the_part_cosine_and_leaves_gamma_zero_alone():
    rng = np.random.default_rng(1)
    emb, part = rng.normal(size=(5, 4)).astype(np.float32), unit_rows(rng.normal(size=(5, 3)))
    assert join(emb, part, 0.0) is emb
    joined = join(emb, part, 2.0)
    assert joined.shape == (5, 7) and np.allclose(np.linalg.norm(joined, axis=1), 1, atol=1e-6)
    g, p = unit_rows(emb), part
    # both rows have a part: (cos_model + γ cos_part) / (1 + γ)
    assert np.isclose(joined[0] @ joined[1], (g[0] @ g[1] + 2.0 * p[0] @ p[1]) / 3.0, atol=1e-6)


def test_choose_gamma_takes_the_best_score_and_the_smaller_gamma_on_ties():
    emb = np.eye(3, dtype=np.float32)
    part = np.eye(3, dtype=np.float32)[::-1].copy()
    scores = iter([0.2, 0.5, 0.5, 0.4])
    gamma, seen = choose_gamma(emb, part, lambda _: next(scores), gammas=(0, 0.5, 1, 2))
    assert gamma == 0.5 and seen == {0.0: 0.2, 0.5: 0.5, 1.0: 0.5, 2.0: 0.4}
    flat = choose_gamma(emb, part, lambda _: 0.3, gammas=(0, 1, 2))[0]
    assert flat == 0.0  # a part that does not help stays off


def test_validation_turns_the_part_on_where_the_playlists_know_more(noise_data, trained):
    """Features that are noise, playlists that follow a style: validation joins the part."""
    split, result = trained
    assert_validation_joins_it_and_held_out_pairs_agree(TWO_HOP, result, noise_data, split,
                                                        width=32)


def test_switched_off_and_self_supervised_runs_have_no_part(noise_data, trained):
    assert_switched_off_and_dgi_runs_have_none(TWO_HOP, noise_data, trained[0], QUICK)


def test_the_checkpoint_carries_the_part_and_an_older_one_serves_its_own_vectors(
        tmp_path, noise_data, trained):
    """Version 3 and later store γ and the basis: the loaded model serves what training served,
    on the graph of every membership (the library's). A version-2 file (no part) loads with
    γ = 0 and serves the encoder's vectors — what it gave before, nothing to recompute."""
    _, result = trained
    path = tmp_path / "model.pt"
    save_checkpoint(path, result, noise_data)
    loaded = SavedModel.load(path, device="cpu")
    assert loaded.version == VERSION and loaded.two_hop.gamma == result.two_hop_gamma
    everything = build_context_graph(noise_data, noise_data.memberships, result.contexts)
    assert np.allclose(loaded.embed(noise_data), result.embed(noise_data, everything),
                       atol=1e-5)

    payload = torch.load(path, weights_only=True)
    payload["version"] = 2
    del payload["two_hop"]
    torch.save(payload, tmp_path / "v2.pt")
    old = SavedModel.load(tmp_path / "v2.pt", device="cpu")
    assert old.two_hop is None and load_two_hop(payload) is None
    assert old.embed(noise_data).shape == (noise_data.n_tracks, 16)

    payload = torch.load(path, weights_only=True)
    payload["two_hop"]["basis"] = payload["two_hop"]["basis"][:3]
    torch.save(payload, tmp_path / "bad.pt")
    with pytest.raises(Exception, match="two-hop part does not fit"):
        SavedModel.load(tmp_path / "bad.pt", device="cpu")
