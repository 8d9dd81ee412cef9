"""Tiny dataset dirs written by hand (the track ids t0, t1, … and the memberships given), for
the tests of `train`/`eval --dataset` on data unlike ours, and what the command says."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np


def write_dataset(path: Path, features: np.ndarray, memberships: list[tuple[str, str]]) -> Path:
    path.mkdir(parents=True)
    with open(path / "tracks.csv", "w", newline="") as f:
        csv.writer(f).writerows([["track_id"]] + [[f"t{i}"] for i in range(len(features))])
    with open(path / "memberships.csv", "w", newline="") as f:
        csv.writer(f).writerows([["playlist_id", "track_id"]] + list(memberships))
    np.save(path / "features.npy", features)
    return path


def round_robin_dataset(path: Path, n: int = 60, k: int = 6) -> Path:
    """``n`` tracks dealt round-robin into ``k`` playlists, 4-d random features (seed 0): a
    dataset dir that trains in seconds, for the tests of what `train --dataset --out` writes
    to its output folder (a killed run, two runs at once)."""
    path.mkdir()
    (path / "tracks.csv").write_text("track_id\n" + "".join(f"t{i}\n" for i in range(n)))
    (path / "memberships.csv").write_text(
        "playlist_id,track_id\n" + "".join(f"p{i % k},t{i}\n" for i in range(n)))
    np.save(path / "features.npy",
            np.random.default_rng(0).normal(size=(n, 4)).astype(np.float32))
    return path


def last_error_line(capsys) -> str:
    return capsys.readouterr().err.strip().splitlines()[-1]  # after any progress bar
