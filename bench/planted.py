"""Planted data sets: dataset dirs whose answer is known, for what a real one cannot show.

Run: ``.venv/bin/python bench/planted.py [OUT]`` (default ``bench/results/datasets``) writes

- ``planted``: 3,000 tracks in 60 hidden clusters; 300 playlists of 20–80 tracks, each drawn
  85 % from one cluster and the rest from anywhere; 16 features that carry the cluster only
  weakly (cluster centre × 0.35 plus unit noise) — audio that says little, playlists that say
  much;
- ``planted-meta``: the same, with true tags in tracks.csv: ``artist`` = the cluster, ``album``
  = one of five parts of it;
- ``planted-album``: the same with the album alone.

Then ``musicsage train --dataset bench/results/datasets/planted-meta OUT --set threads=1``
(or ``eval --dataset …``). Why they exist: with the true artist and album beside the playlists,
the model scored HR@10 0.562 against 0.711 on the playlists alone — a coarse context that query
and positive share wins a training step by itself — and validation now chooses the contexts
(docs/model.md, "Which contexts: chosen on validation"). The numbers there come from these
folders; the generator's seeds are fixed, so they are the same folders everywhere.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import record_source  # noqa: E402

OUT = Path(__file__).resolve().parent / "results" / "datasets"
CONVERTER = "bench/planted.py"
TRACKS, CLUSTERS, PLAYLISTS, FEATURES = 3000, 60, 300, 16


def _playlists(rng: np.random.Generator, cluster: np.ndarray, within: float
               ) -> list[tuple[str, int]]:
    """(playlist id, track row) pairs: each playlist takes ``within`` of its tracks from one
    cluster, the rest from the whole catalogue."""
    members = [np.flatnonzero(cluster == c) for c in range(CLUSTERS)]
    rows: list[tuple[str, int]] = []
    for p in range(PLAYLISTS):
        home = rng.integers(CLUSTERS)
        size = rng.integers(20, 81)
        inside = rng.binomial(size, within)
        picked = rng.choice(members[home], min(inside, len(members[home])), replace=False)
        anywhere = rng.choice(len(cluster), size - len(picked), replace=False)
        rows += [(f"p{p}", int(t)) for t in np.unique(np.concatenate([picked, anywhere]))]
    return rows


def _write(folder: Path, ids: list[str], features: np.ndarray, rows: list[tuple[str, int]],
           tags: dict[str, list[str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "tracks.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["track_id", *tags])
        out.writerows([t, *(column[i] for column in tags.values())] for i, t in enumerate(ids))
    np.save(folder / "features.npy", features)
    with open(folder / "memberships.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["playlist_id", "track_id"])
        out.writerows((p, ids[t]) for p, t in rows)


def write_planted(out: Path = OUT) -> list[Path]:
    """The three folders under ``out``; returns their paths."""
    rng = np.random.default_rng(0)
    cluster = rng.integers(0, CLUSTERS, TRACKS)
    ids = [f"t{i}" for i in range(TRACKS)]
    rows = _playlists(rng, cluster, within=0.85)
    centres = rng.normal(size=(CLUSTERS, FEATURES))
    features = (0.35 * centres[cluster] + rng.normal(size=(TRACKS, FEATURES))).astype(np.float32)
    part = np.random.default_rng(5).integers(0, 5, TRACKS)
    album = [f"alb{c}-{s}" for c, s in zip(cluster, part)]
    folders = {"planted": {}, "planted-meta": {"album": album,
                                               "artist": [f"art{c}" for c in cluster]},
               "planted-album": {"album": album}}
    claim_folders(out, list(folders))
    for name, tags in folders.items():
        _write(out / name, ids, features, rows, tags)
        record_source(out / name, {"converter": CONVERTER, "source": "generated"})
    return [out / name for name in folders]


def claim_folders(out: Path, names: list[str]) -> None:
    """Exit with one line, before anything is written, unless every folder ``out/<name>`` is
    missing, empty or this script's own (its marker, or under the default ``out``): the
    folders were written into whatever was there, so a user's dataset dir named ``planted``
    lost its tracks.csv, features.npy and memberships.csv, and kept its other files beside
    the planted ones (graph_datasets.md: "never overwritten"). Whose a folder is, is
    datasets.py's test; the refusal is bench_files' for a folder without the marker, which
    says it may be an older run of this script's, written before it left a marker."""
    from bench_files import claim_folder, unmarked_refusal
    # datasets.py's own test of whose a folder is (private there, with no public name)
    from datasets import _is_ours as made_by_converter
    from datasets import conversion_source

    if out.exists() and not out.is_dir():
        raise SystemExit(f"{out} is a file, not a folder: give planted.py a folder to write "
                         "its three dataset dirs into")
    for name in names:
        folder = out / name
        ours = folder.exists() and made_by_converter(folder, conversion_source(folder),
                                                       CONVERTER, OUT / name)
        claim_folder(folder, unmarked_refusal(folder, "planted.py", "the out argument"),
                     ours=ours)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", type=Path, default=OUT,
                    help="where the folders go (default bench/results/datasets)")
    for folder in write_planted(ap.parse_args().out):
        print(folder)


if __name__ == "__main__":
    main()
