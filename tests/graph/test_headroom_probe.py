"""bench/graph_headroom.py's probes rank with the protocol's own code: with the query's own
vector the playlist-query probe must give exactly the evaluation's figures, and the competitor
counts must add up to the evaluation's rank, or what they say about the model is wrong."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from musicsage.graph.evaluate import metrics_from_ranks, rank_pairs
from musicsage.graph.split import protocol_split

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from graph_headroom import artist_competitors, playlist_query_metrics  # noqa: E402


def random_split(seed: int = 1):
    rng = np.random.default_rng(0)
    n_tracks, n_playlists = 400, 40
    memberships = np.unique(np.stack([rng.integers(n_tracks, size=1500),
                                      rng.integers(n_playlists, size=1500)], 1), axis=0)
    return rng, n_tracks, n_playlists, protocol_split(memberships, n_tracks, seed=seed)


def test_competitor_counts_add_up_to_the_protocols_rank():
    rng, n_tracks, n_playlists, split = random_split()
    emb = rng.normal(size=(n_tracks, 8)).astype(np.float32)
    artist = rng.integers(60, size=n_tracks)
    ranks = rank_pairs(emb, split, n_tracks, n_playlists)["overall"]
    index = np.arange(len(split.pairs))
    counts = artist_competitors(emb, split, n_tracks, n_playlists, artist, index)
    assert np.array_equal(counts[:, 0], ranks)
    assert np.array_equal(1 + counts[:, 1:4].sum(1), ranks)
    assert (counts[:, 1:] >= 0).all() and (counts[:, 2] <= counts[:, 4]).all()
    # With the artist's one-hot as the vector, a query of the target's own artist puts exactly
    # that artist's tracks at the target's score (ties count against it) and nobody else.
    artist = rng.integers(4, size=n_tracks)
    pairs = split.pairs
    index = np.flatnonzero(artist[pairs.queries] == artist[pairs.positives])
    counts = artist_competitors(np.eye(4, dtype=np.float32)[artist], split, n_tracks,
                                n_playlists, artist, index)
    assert len(index) and (counts[:, 2] == 0).all() and (counts[:, 3] == 0).all()
    assert (counts[:, 1] > 0).all()


def test_the_playlist_query_probe_reproduces_the_protocol_with_the_query_itself():
    rng, n_tracks, n_playlists, split = random_split()
    emb = rng.normal(size=(n_tracks, 8)).astype(np.float32)
    protocol = metrics_from_ranks(rank_pairs(emb, split, n_tracks, n_playlists)["overall"])
    assert playlist_query_metrics(emb, split, n_tracks, n_playlists, 1.0) == protocol
