"""Vectors for the search/map benchmarks.

- :func:`spotify_features`: spotify_songs' 12 audio descriptors, one row per unique
  ``track_id`` (28,356 rows, first occurrence), z-scored per column.
- :func:`clustered_gaussian`: ``n`` points around ``clusters`` random centres in ``dim``
  dimensions -- a stand-in for real embeddings (clustered, high-dimensional, no exact ties).
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_files import write_json  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SPOTIFY_CSV = REPO.parent / "shared" / "data" / "spotify_songs" / "spotify_songs.csv"
RESULTS = REPO / "bench" / "results"
DESCRIPTORS = ["danceability", "energy", "key", "loudness", "mode", "speechiness",
               "acousticness", "instrumentalness", "liveness", "valence", "tempo", "duration_ms"]


def spotify_features() -> tuple[np.ndarray, np.ndarray]:
    """(track_id strings [n], z-scored float32 [n, 12])."""
    import pandas as pd

    if not SPOTIFY_CSV.is_file():
        sys.exit(f"{SPOTIFY_CSV} is absent: this benchmark needs ../shared/data")
    rows = pd.read_csv(SPOTIFY_CSV, usecols=["track_id", *DESCRIPTORS], dtype={"track_id": str})
    tracks = rows.drop_duplicates("track_id", keep="first").reset_index(drop=True)
    x = tracks[DESCRIPTORS].to_numpy(dtype=np.float64)
    x = (x - x.mean(axis=0)) / np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
    return tracks["track_id"].to_numpy(), x.astype(np.float32)


def clustered_gaussian(n: int, dim: int = 128, clusters: int = 100, *, spread: float = 1.0,
                       seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim)).astype(np.float32)
    labels = rng.integers(0, clusters, n)
    return centres[labels] + spread * rng.normal(size=(n, dim)).astype(np.float32)


def machine() -> dict:
    """What the numbers ran on: cores and load (the machine is shared)."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {"cpus": os.cpu_count(), "loadavg": [round(v, 2) for v in load] if load else None,
            "python": platform.python_version(), "platform": platform.platform()}


def save(name: str, data: dict) -> Path:
    path = RESULTS / f"{name}.json"
    write_json(path, data)
    return path
