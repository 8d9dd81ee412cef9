"""bench/graph_headroom.py's playlist-query probe ranks with the protocol's own code: with the
query's own vector it must give exactly the evaluation's figures, or its centroid rows say
nothing about the model."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from musicsage.graph.evaluate import metrics_from_ranks, rank_pairs
from musicsage.graph.split import protocol_split

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from graph_headroom import playlist_query_metrics  # noqa: E402


def test_the_playlist_query_probe_reproduces_the_protocol_with_the_query_itself():
    rng = np.random.default_rng(0)
    n_tracks, n_playlists = 400, 40
    memberships = np.unique(np.stack([rng.integers(n_tracks, size=1500),
                                      rng.integers(n_playlists, size=1500)], 1), axis=0)
    split = protocol_split(memberships, n_tracks, seed=1)
    emb = rng.normal(size=(n_tracks, 8)).astype(np.float32)
    protocol = metrics_from_ranks(rank_pairs(emb, split, n_tracks, n_playlists)["overall"])
    assert playlist_query_metrics(emb, split, n_tracks, n_playlists, 1.0) == protocol
