"""The filtered ranking of DESIGN.md step 3, checked against ranks worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.graph.evaluate import (aggregate, filtered_ranks, membership_matrix,
                                      metrics_from_ranks, zscore)
from musicsage.graph.split import EvalPairs, holdout_split


def _five_tracks():
    # Unit vectors at these angles: cosine order = angle distance order.
    angles = np.deg2rad([0, 10, 25, 45, 70])
    emb = np.stack([np.cos(angles), np.sin(angles)], 1)
    # training playlists: P0 = {0, 1}, P1 = {2, 3}, P2 = {1, 4}
    train = np.array([[0, 0], [1, 0], [2, 1], [3, 1], [1, 2], [4, 2]])
    return emb, membership_matrix(train, 5, 3)


def test_filtered_ranks_match_hand_computed_example():
    emb, m = _five_tracks()
    pairs = EvalPairs(queries=np.array([0, 3, 4, 2, 1]), positives=np.array([4, 0, 1, 3, 2]),
                      playlists=np.zeros(5, np.int64))
    ranks = filtered_ranks(emb, pairs, m)
    # q=0,t=4: 0's co-member 1 is masked; candidates 2 (25°), 3 (45°), 4 (70°)      -> 3
    #          (unfiltered it would be 4: track 1 at 10° would count against it)
    # q=3,t=0: co-member 2 masked; candidates 4 (25° away), 1 (35°), 0 (45°)        -> 3
    # q=4,t=1: 1 is a known co-member (P2) but as the positive it stays a candidate:
    #          3 (25° away), 2 (45°), then 1 (60°); 0 (70°) is behind               -> 3
    # q=2,t=3: 3 shares P1 with 2 and stays; 1 (15° away) beats 3 (20°)             -> 2
    # q=1,t=2: co-members 0 (P0) and 4 (P2) masked; 2 (15°) beats 3 (35°)           -> 1
    assert ranks.tolist() == [3, 3, 3, 2, 1]
    metrics = metrics_from_ranks(ranks)
    assert metrics["mrr"] == pytest.approx((1 / 3 + 1 / 3 + 1 / 3 + 1 / 2 + 1) / 5)
    assert metrics["hr@10"] == 1.0


def test_ranks_do_not_depend_on_chunking_or_scale():
    rng = np.random.default_rng(0)
    emb = rng.normal(size=(50, 4))
    train = np.stack([rng.integers(50, size=120), rng.integers(6, size=120)], 1)
    m = membership_matrix(np.unique(train, axis=0), 50, 6)
    pairs = EvalPairs(rng.integers(50, size=40), rng.integers(50, size=40), np.zeros(40, np.int64))
    pairs = EvalPairs(pairs.queries[pairs.queries != pairs.positives],
                      pairs.positives[pairs.queries != pairs.positives], pairs.playlists[:0])
    a = filtered_ranks(emb, pairs, m, chunk=7)
    b = filtered_ranks(emb * 3.0, pairs, m, chunk=1000)
    assert (a == b).all()
    assert (a >= 1).all()


def test_miss_contributes_its_true_reciprocal_rank():
    assert metrics_from_ranks(np.array([1, 400]))["mrr"] == pytest.approx((1 + 1 / 400) / 2)


def test_holdout_split_is_seeded_and_pairs_use_training_members():
    rng = np.random.default_rng(1)
    m = np.unique(np.stack([rng.integers(200, size=600), rng.integers(20, size=600)], 1), axis=0)
    a, b = holdout_split(m, seed=3), holdout_split(m, seed=3)
    assert (a.train == b.train).all() and (a.pairs.queries == b.pairs.queries).all()
    assert abs((~a.train).sum() - round(0.1 * len(m))) == 0
    train = {tuple(x) for x in a.train_memberships.tolist()}
    held = {tuple(x) for x in a.heldout_memberships.tolist()}
    for q, t, p in zip(a.pairs.queries, a.pairs.positives, a.pairs.playlists):
        assert (q, p) in train and (t, p) in held
    assert len(holdout_split(m, seed=3, max_pairs=5).pairs) == 5
    assert not (holdout_split(m, seed=4).train == a.train).all()


def test_zscore_and_aggregate():
    x = np.array([[1.0, 5.0], [3.0, 5.0]])
    assert np.allclose(zscore(x), [[-1, 0], [1, 0]])
    agg = aggregate([{"graph": {"hr@10": 0.1}, "pairs": 10}, {"graph": {"hr@10": 0.3}, "pairs": 10}])
    assert agg["graph"]["hr@10"] == pytest.approx(0.2)
    assert agg["std"]["graph"]["hr@10"] == pytest.approx(0.1)
    assert agg["seeds"] == 2


def test_a_seed_without_cold_start_pairs_leaves_that_mean_to_the_others():
    """eval over seeds where one split has no cold-start pair: the JSON carries the mean of
    the seeds that had some (and null, never NaN, where none had any)."""
    import json

    def run(cold_ranks):
        cold = metrics_from_ranks(np.array(cold_ranks, np.int64))
        return {"graph": metrics_from_ranks(np.array([1, 2])), "cold_start": {"graph": cold}}

    assert metrics_from_ranks(np.array([], np.int64))["hr@10"] is None
    out = aggregate([run([1, 20]), run([]), run([4])])
    assert out["cold_start"]["graph"]["hr@10"] == pytest.approx((1 / 2 + 1) / 2)
    assert out["cold_start"]["graph"]["mrr"] == pytest.approx(((1 + 1 / 20) / 2 + 1 / 4) / 2)
    none = aggregate([run([]), run([])])
    assert none["cold_start"]["graph"]["mrr"] is None
    json.loads(json.dumps(none), parse_constant=lambda c: pytest.fail(f"{c} in eval JSON"))
