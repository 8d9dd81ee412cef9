"""Evaluation protocol 3 (docs/protocol.md), checked against cases worked out by hand: the
unplaylisted rule, filtered ranks with ties against the model, warm/cold splits, the JSON."""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.errors import MusicsageError
from musicsage.graph.evaluate import (aggregate, evaluate, filtered_ranks, membership_matrix,
                                      metrics_from_ranks)
from musicsage.graph.split import HELD_OUT, TRAIN, UNPLAYLISTED, EvalPairs, Split, protocol_split
from musicsage.vectors import unit_rows, zscore


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


def test_protocol_split_is_seeded_and_pairs_use_training_members():
    rng = np.random.default_rng(1)
    m = np.unique(np.stack([rng.integers(200, size=600), rng.integers(20, size=600)], 1), axis=0)
    a, b = protocol_split(m, 400, seed=3), protocol_split(m, 400, seed=3)
    assert (a.role == b.role).all() and (a.pairs.queries == b.pairs.queries).all()
    remaining = (a.role != UNPLAYLISTED).sum()
    assert (a.role == HELD_OUT).sum() == round(0.1 * remaining)
    train = {tuple(x) for x in a.train_memberships.tolist()}
    held = {tuple(x) for x in a.heldout_memberships.tolist()}
    for q, t, p in zip(a.pairs.queries, a.pairs.positives, a.pairs.playlists):
        assert (q, p) in train and (t, p) in held
    assert len(protocol_split(m, 400, seed=3, max_pairs=5).pairs) == 5
    assert not (protocol_split(m, 400, seed=4).role == a.role).all()


def test_unplaylisted_rule_moves_tracks_out_of_every_playlist_until_half_are_in_none():
    """10 tracks, 8 of them in playlists: 5 must end in none, so 3 are moved — all of their
    memberships go (neither trained on nor held out), and none of them is ever a target or a
    query; they remain candidates (a track id, not a removed row)."""
    m = np.array([[0, 0], [1, 0], [2, 0], [3, 0], [2, 1], [3, 1], [4, 1], [5, 1],
                  [4, 2], [5, 2], [6, 2], [7, 2], [0, 3], [6, 3], [7, 3], [1, 3]])
    for seed in range(20):
        split = protocol_split(m, 10, seed=seed, fraction=0.25)
        assert len(split.moved) == 3 and set(split.moved.tolist()) <= set(range(8))
        moved = np.isin(split.memberships[:, 0], split.moved)
        assert (split.role[moved] == UNPLAYLISTED).all() and (split.role[~moved] != UNPLAYLISTED).all()
        in_none = set(range(10)) - set(split.memberships[split.role != UNPLAYLISTED, 0].tolist())
        assert len(in_none) >= 5
        used = set(split.pairs.positives.tolist()) | set(split.pairs.queries.tolist())
        assert not used & set(split.moved.tolist())
        assert not set(split.train_memberships[:, 0].tolist()) & set(split.moved.tolist())
    # already half in no playlist (tracks 5..9 of 10): nothing moves
    few = np.array([[0, 0], [1, 0], [2, 0], [3, 1], [4, 1], [2, 1]])
    split = protocol_split(few, 10, seed=0, fraction=0.5)
    assert len(split.moved) == 0 and (split.role != UNPLAYLISTED).all()
    # odd count: 7 tracks all in playlists -> ceil(3.5) = 4 moved
    seven = np.array([[t, t % 2] for t in range(7)])
    assert len(protocol_split(seven, 7, seed=0, fraction=0.3).moved) == 4


def test_ties_count_against_the_model():
    """rank = 1 + #other candidates scoring >= the target: a constant embedding ranks every
    target last among its candidates (HR@10 = 0 with 30 candidates), never first."""
    n = 32
    m = membership_matrix(np.array([[0, 0], [1, 0]]), n, 1)
    pairs = EvalPairs(np.array([0, 5]), np.array([20, 6]), np.zeros(2, np.int64))
    constant = np.ones((n, 3))
    # q=0: candidates = 32 - q - co-member 1 = 30 tracks, target included -> rank 30
    # q=5: no co-member: 31 candidates -> rank 31
    assert filtered_ranks(constant, pairs, m).tolist() == [30, 31]
    assert metrics_from_ranks(filtered_ranks(constant, pairs, m))["hr@10"] == 0.0
    # two exact ties with the target, one track just behind it: rank 3
    emb = np.tile([[0.0, 1.0]], (n, 1))
    emb[0] = [1.0, 0.0]           # the query
    emb[20] = [1.0, 0.0]          # the target: cosine 1
    emb[9] = [2.0, 0.0]           # tie (cosine 1)
    emb[12] = [1.0, -0.0]         # tie (cosine 1)
    emb[11] = [1.0, 0.05]         # cosine 0.9988: behind the target
    single = EvalPairs(np.array([0]), np.array([20]), np.zeros(1, np.int64))
    assert filtered_ranks(emb, single, m).tolist() == [3]


def test_a_collapsed_embedding_of_varied_lengths_ranks_every_target_last():
    """Vectors all in one direction, each of its own length, have cosines a rounding error
    apart: compared exactly, a target beat about half of them (HR@100 0.17 for a collapsed
    trained model). Scores within a few units in the last place tie, against the model."""
    rng = np.random.default_rng(1)
    n = 400
    direction = rng.normal(size=64)
    collapsed = (rng.uniform(0.5, 2.0, size=(n, 1)) * direction).astype(np.float32)
    m = membership_matrix(np.array([[0, 0], [1, 0]]), n, 1)
    pairs = EvalPairs(np.arange(2, 42), np.arange(42, 82), np.zeros(40, np.int64))
    assert filtered_ranks(collapsed, pairs, m).tolist() == [n - 1] * 40
    # a real gap is still a gap: the target alone in the query's direction ranks first
    spread = rng.normal(size=(n, 64)).astype(np.float32)
    spread[42] = spread[2]
    assert filtered_ranks(spread, EvalPairs(np.array([2]), np.array([42]), np.zeros(1, np.int64)),
                          m).tolist() == [1]


def test_non_finite_vectors_are_an_error_not_a_score():
    m = membership_matrix(np.array([[0, 0], [1, 0]]), 4, 1)
    emb = np.eye(4)
    emb[3, 1] = np.nan
    with pytest.raises(MusicsageError, match="non-finite"):
        filtered_ranks(emb, EvalPairs(np.array([0]), np.array([2]), np.zeros(1, np.int64)), m)


def _hand_split() -> Split:
    """8 tracks. Training playlists: P0 = {0, 1}, P1 = {2, 3}. Held out: (4, P0) and (5, P1),
    both targets left with no training membership (cold), and (2, P0) — track 2 keeps P1
    (warm). Tracks 6 and 7 are in no playlist (unplaylisted candidates)."""
    memberships = np.array([[0, 0], [1, 0], [2, 0], [2, 1], [3, 1], [4, 0], [5, 1]])
    role = np.array([TRAIN, TRAIN, HELD_OUT, TRAIN, TRAIN, HELD_OUT, HELD_OUT], np.int8)
    pairs = EvalPairs(queries=np.array([0, 3, 1]), positives=np.array([4, 5, 2]),
                      playlists=np.array([0, 1, 0]))
    return Split(memberships, role, pairs, moved=np.zeros(0, np.int64), seed=0, fraction=0.3)


def test_warm_and_cold_targets_are_ranked_among_their_own_kind():
    # angles (degrees) of 2-D unit vectors: cosine order = angle distance order
    angles = np.deg2rad([0, 80, 30, 100, 20, 110, 10, 105])
    emb = np.stack([np.cos(angles), np.sin(angles)], 1)
    features = np.stack([np.cos(angles[::-1]), np.sin(angles[::-1])], 1)
    out = evaluate(emb, features, _hand_split(), 8, 2)
    # warm = tracks {0, 1, 2, 3}; cold = {4, 5, 6, 7}
    # pair (q=0, t=4), cold: among cold {4 (20°), 5 (110°), 6 (10°), 7 (105°)}: 6 beats 4 -> 2
    #   overall: q's co-member 1 masked; 6 (10°) beats 4 (20°); 2 (30°) does not      -> 2
    # pair (q=3, t=5), cold: among {4 (80° away), 5 (10°), 6 (90°), 7 (5°)}: 7 beats -> 2
    #   overall: co-member 2 masked; 7 (5°) beats 5 (10°); 1 (20°) does not           -> 2
    # pair (q=1, t=2), warm: among warm {2 (50° away), 3 (20°)}, co-member 0 masked:
    #   3 beats 2 -> 2; overall: 3 (20°), 5 (30°), 7 (25°), 4 (60°)... 2 at 50°: 3, 5, 7
    #   beat it -> 4
    assert out["cold"]["pairs"] == 2 and out["warm"]["pairs"] == 1 and out["pairs"] == 3
    assert out["cold"]["graph"]["mrr"] == pytest.approx(0.5)
    assert out["warm"]["graph"]["mrr"] == pytest.approx(0.5)
    assert out["graph"]["mrr"] == pytest.approx((1 / 2 + 1 / 2 + 1 / 4) / 3)
    assert out["cold_start"]["pairs"] == 2
    assert out["cold_start"]["graph"]["mrr"] == pytest.approx(0.5)
    for key in ("graph", "audio", "ratio", "cold_start", "pairs", "warm", "cold"):
        assert key in out
    assert out["protocol"]["version"] == 3 and out["protocol"]["unplaylisted"] == 4


def test_new_pairs_leave_out_targets_already_in_a_training_playlist_with_their_query():
    # training P0 = {0, 1}, P1 = {1, 2}; held out (2, P0) asked from q=1, and (3, P1) from q=2.
    # Track 2 already shares P1 with query 1 (a known target); track 3 never met query 2.
    memberships = np.array([[0, 0], [1, 0], [1, 1], [2, 1], [2, 0], [3, 1]])
    role = np.array([TRAIN, TRAIN, TRAIN, TRAIN, HELD_OUT, HELD_OUT], np.int8)
    pairs = EvalPairs(queries=np.array([1, 2]), positives=np.array([2, 3]),
                      playlists=np.array([0, 1]))
    split = Split(memberships, role, pairs, moved=np.zeros(0, np.int64), seed=0, fraction=0.3)
    angles = np.deg2rad([0, 50, 60, 100, 35, 200])
    emb = np.stack([np.cos(angles), np.sin(angles)], 1)
    out = evaluate(emb, emb, split, 6, 2)
    # (q=1, t=2): co-member 0 masked, 2 stays as the target; 2 (10° away) beats 4 (15°) -> 1
    # (q=2, t=3): co-member 1 masked; 4 (25° away) beats 3 (40°); 0 (60°) does not     -> 2
    assert out["graph"]["mrr"] == pytest.approx((1 + 1 / 2) / 2)
    assert out["new_pairs"]["pairs"] == 1
    assert out["new_pairs"]["graph"]["mrr"] == pytest.approx(1 / 2)


def test_audio_only_is_the_z_scored_features_by_cosine():
    split = _hand_split()
    rng = np.random.default_rng(0)
    features = rng.normal(size=(8, 3)) * [1, 100, 0.01] + [0, 5, 7]
    out = evaluate(unit_rows(zscore(features)), features, split, 8, 2)
    assert out["graph"] == out["audio"] and out["warm"]["graph"] == out["warm"]["audio"]


def test_zscore_and_aggregate():
    x = np.array([[1.0, 5.0, 0.1], [3.0, 5.0, 0.1], [2.0, 5.0, 0.1]])
    # a constant column is all zeros, whatever its value (0.1 is not exact in binary)
    assert np.allclose(zscore(x), [[-1.2247, 0, 0], [1.2247, 0, 0], [0, 0, 0]], atol=1e-4)
    assert (zscore(x)[:, 1:] == 0).all()
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


def test_a_block_that_some_seeds_lack_is_averaged_over_the_others():
    """A seed whose run made no two-hop choice (no validation split) has no ``two_hop``
    block: eval over seeds still answers, with the mean of the seeds that have one —
    whichever seed comes first."""
    with_block = {"graph": {"hr@10": 0.2}, "two_hop": {"gamma": 1.0}}
    without = {"graph": {"hr@10": 0.4}}
    for runs in ([with_block, without, {**with_block, "two_hop": {"gamma": 3.0}}],
                 [without, with_block, {**with_block, "two_hop": {"gamma": 3.0}}]):
        out = aggregate(runs)
        assert out["two_hop"]["gamma"] == pytest.approx(2.0)
        assert out["graph"]["hr@10"] == pytest.approx((0.2 + 0.4 + 0.2) / 3)


def test_aggregated_ratio_is_graph_over_audio_of_the_means_it_stands_beside():
    """Over seeds, ``ratio`` was the mean of each seed's ratios: graph MRR 0.30 beside audio
    0.33 read as "1.15× audio-only", and a seed where audio scored 0 was left out of it."""
    from musicsage.graph.evaluate import METRIC_KEYS, aggregate

    def seed(graph: float, audio: float) -> dict:
        g = {k: graph for k in METRIC_KEYS}
        a = {k: audio for k in METRIC_KEYS}
        return {"graph": g, "audio": a, "ratio": {k: (graph / audio if audio else None)
                                                  for k in METRIC_KEYS},
                "warm": {"graph": g, "audio": a, "ratio": {k: None for k in METRIC_KEYS}}}

    agg = aggregate([seed(0.1, 0.05), seed(0.5, 0.6), seed(0.3, 0.0)])
    for block in (agg, agg["warm"]):
        for k in METRIC_KEYS:
            assert block["ratio"][k] == pytest.approx(0.3 / (0.65 / 3))
