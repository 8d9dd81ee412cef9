"""A small generated library whose playlists follow a hidden taste the features only partly show.

Each track has a hidden style; its features are a faint image of that style plus noise, so
audio-only cosine finds playlist-mates poorly. Playlists draw mostly from one style; artists
(and their albums) are single-style. A model that uses the graph (other playlists, artist,
album) should find playlist-mates far better than audio alone — the property the tests check.
Also used to write a dataset dir for CLI tests.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from musicsage.graph.data import GraphData


def hidden_factor_data(*, n_tracks: int = 400, n_styles: int = 8, n_playlists: int = 40,
                       playlist_size: tuple[int, int] = (12, 24), artist_size: int = 5,
                       feature_dim: int = 8, signal: float = 0.5, purity: float = 0.9,
                       seed: int = 0) -> GraphData:
    rng = np.random.default_rng(seed)
    style = rng.integers(n_styles, size=n_tracks)
    centres = rng.normal(size=(n_styles, feature_dim))
    features = (signal * centres[style] + rng.normal(size=(n_tracks, feature_dim))).astype(
        np.float32)
    features[:, 0] = features[:, 0] * 100 + 500  # raw scale differs per dimension
    by_style = [np.flatnonzero(style == s) for s in range(n_styles)]
    pairs = []
    for p in range(n_playlists):
        s = p % n_styles
        size = int(rng.integers(*playlist_size))
        n_in = int(round(purity * size))
        members = set(rng.choice(by_style[s], size=min(n_in, len(by_style[s])), replace=False))
        members |= set(rng.choice(n_tracks, size=size - n_in, replace=False))
        pairs += [(f"pl{p}", f"t{t}") for t in sorted(members)]
    artist = np.empty(n_tracks, dtype=object)
    album = np.empty(n_tracks, dtype=object)
    for s, tracks in enumerate(by_style):
        tracks = rng.permutation(tracks)
        for i, t in enumerate(tracks):
            a = i // artist_size
            artist[t] = f"artist{s}-{a}"
            album[t] = f"album{s}-{a}-{(i % artist_size) // 3}"
    ids = np.array([f"t{i}" for i in range(n_tracks)], dtype=object)
    return GraphData.build(ids, features, pairs,
                           metadata={"album": list(album), "artist": list(artist)})


def write_dataset_dir(data: GraphData, path: str | Path) -> Path:
    """Write ``data`` as a dataset dir (tracks.csv, features.npy, memberships.csv)."""
    import csv

    d = Path(path)
    d.mkdir(parents=True, exist_ok=True)
    artist = data.metadata.get("artist")
    album = data.metadata.get("album")
    with open(d / "tracks.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["track_id", "title", "artist", "album"])
        for i, tid in enumerate(data.track_ids.tolist()):
            ar = data.metadata_keys["artist"][artist[i]] if artist is not None and artist[i] >= 0 else ""
            al = data.metadata_keys["album"][album[i]] if album is not None and album[i] >= 0 else ""
            w.writerow([tid, f"title {tid}", ar, al])
    with open(d / "memberships.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["playlist_id", "track_id"])
        for t, p in data.memberships.tolist():
            w.writerow([data.playlist_keys[p], data.track_ids[t]])
    np.save(d / "features.npy", data.features)
    return d
