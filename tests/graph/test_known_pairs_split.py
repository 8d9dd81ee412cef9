"""bench/graph_known_pairs.py --mrr splits the overall MRR by kind of pair. What it says about
the playlists-only target (docs/model.md) holds only if the kinds partition the pairs and their
shares × MRRs add up to the evaluation's own overall MRR."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from musicsage.graph.evaluate import metrics_from_ranks, rank_pairs
from musicsage.graph.split import protocol_split

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from graph_known_pairs import KINDS, split_hits, split_mrr  # noqa: E402


def test_the_mrr_split_adds_up_to_the_evaluations_mrr():
    rng = np.random.default_rng(3)
    # Half the tracks in one playlist (cold once held out), half in three of ten (warm, and
    # often in another playlist with their query: known targets).
    n_tracks, n_playlists = 600, 10
    memberships = np.array([(t, p) for t in range(n_tracks)
                            for p in rng.choice(n_playlists, 1 if t < 300 else 3, replace=False)])
    split = protocol_split(memberships, n_tracks, seed=2)
    emb = rng.normal(size=(n_tracks, 6)).astype(np.float32)
    ranks = rank_pairs(emb, split, n_tracks, n_playlists)
    parts = split_mrr(ranks)
    assert all(parts[f"{kind} share"] > 0 for kind in KINDS)  # the test sees every kind
    assert sum(parts[f"{kind} share"] for kind in KINDS) == pytest.approx(1.0)
    overall = metrics_from_ranks(ranks["overall"])
    assert parts["mrr"] == pytest.approx(overall["mrr"])
    assert sum(parts[f"{k} share"] * parts[f"{k} mrr"] for k in KINDS) == pytest.approx(
        overall["mrr"])
    assert sum(parts[f"{k} share"] * parts[f"{k} hr@10"] for k in KINDS) == pytest.approx(
        overall["hr@10"])
    hits = split_hits(ranks)
    assert hits["share"] == pytest.approx(parts["known share"])
    assert hits["all"] == pytest.approx(overall["hr@10"])


def test_a_known_target_is_counted_as_known_whatever_its_warmth():
    # Three hand-made pairs: a known (and warm) target at rank 1, a new warm one at 4, a new
    # cold one at 20. A known target counts as known only, never again as warm.
    ranks = {"overall": np.array([1, 4, 20]), "pairs_known": np.array([True, False, False]),
             "pairs_warm": np.array([True, True, False])}
    parts = split_mrr(ranks)
    assert parts["known share"] == pytest.approx(1 / 3) and parts["known mrr"] == 1.0
    assert parts["new warm mrr"] == pytest.approx(0.25)
    assert parts["new cold mrr"] == pytest.approx(0.05)
    assert parts["new cold hr@10"] == 0.0 and parts["new warm hr@10"] == 1.0
