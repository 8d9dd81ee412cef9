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


def last_error_line(capsys) -> str:
    return capsys.readouterr().err.strip().splitlines()[-1]  # after any progress bar
