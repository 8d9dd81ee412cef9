"""A generated library of N tracks without audio, as a dataset dir (docs/dataset-dir.md).

    .venv/bin/python bench/scale_data.py DIR [--tracks 100000] [--dim 753]

Shaped like a large personal collection, so that every stage does the work it would do on a
real one: ~12 tracks per artist (a long tail: a few artists with hundreds, most with a
handful), albums of ~10 tracks, a playlist per ~20 tracks (5–200 tracks, lognormal sizes,
mostly drawn from one of N/2000 hidden "scenes", so the graph has structure to learn), about
half of the tracks in no playlist. Features: ``--dim`` non-negative floats per track (753 =
MusiCNN ``max_pool``, the default audio model) from a scene + artist + track latent through a
random ReLU projection, so neighbours and the map have clusters at several scales.

Deterministic (``--seed``) and written once: a dir that already holds this N, dim and seed is
reused (``generated.json``). 100,000 tracks × 753 floats: ≈ 300 MB of features.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

MARKER = "generated.json"


def generate(directory: str | os.PathLike, n: int, *, dim: int = 753, seed: int = 0,
             option: str | None = None) -> dict:
    """Write (or reuse) the dataset dir; returns its description. Only a missing or empty
    folder, or one this script made (it holds ``MARKER``), is written: any other is refused in
    one line, as the converters do, since its tracks.csv and memberships.csv would be replaced.
    ``option``: the caller's option that chose the folder's parent (``--work``), when the user
    never named ``directory`` itself; the refusal then says which option to change.
    """
    from bench_files import claim_folder, occupied_refusal, read_marker, unmarked_refusal

    out = Path(directory)
    want = {"tracks": n, "dim": dim, "seed": seed, "version": 2}
    marker = out / MARKER
    if marker.is_file():
        have = read_marker(marker)
        if {k: have.get(k) for k in want} == want:
            return have
    else:
        claim_folder(out, unmarked_refusal(out, "bench/scale_data.py", option) if option
                     else occupied_refusal(out))
    out.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({}))  # claimed before the slow part; described when whole
    started = time.perf_counter()
    rng = np.random.default_rng([seed, n, dim])
    n_scenes = max(8, n // 2000)
    n_artists = max(4, n // 12)
    artist_scene = rng.integers(n_scenes, size=n_artists)
    weights = rng.pareto(1.2, n_artists) + 1.0
    track_artist = np.sort(rng.choice(n_artists, size=n, p=weights / weights.sum()))
    album = _albums(track_artist, rng)
    scene = artist_scene[track_artist]

    latent = 16
    scene_centre = rng.normal(0, 1.0, (n_scenes, latent))
    artist_offset = rng.normal(0, 0.6, (n_artists, latent))
    z = scene_centre[scene] + artist_offset[track_artist] + rng.normal(0, 0.5, (n, latent))
    projection = rng.normal(0, 1.0 / np.sqrt(latent), (latent, dim))
    features = np.empty((n, dim), np.float32)
    for start in range(0, n, 10_000):  # bounded temporaries
        block = z[start:start + 10_000] @ projection
        block += rng.normal(0, 0.3, block.shape)
        features[start:start + 10_000] = np.maximum(block, 0.0)
    np.save(out / "features.npy", features)

    with open(out / "tracks.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["track_id", "title", "artist", "album"])
        for i in range(n):
            a = int(track_artist[i])
            w.writerow([f"t{i}", f"Track {i}", f"Artist {a}", f"Album {a}-{int(album[i])}"])
    memberships = _playlists(scene, n_scenes, rng)
    with open(out / "memberships.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["playlist_id", "track_id"])
        for p, t in memberships:
            w.writerow([f"p{p}", f"t{t}"])
    in_playlists = len({t for _, t in memberships})
    info = {**want, "scenes": n_scenes, "artists": n_artists, "albums": int(len(np.unique(track_artist * (album.max() + 1) + album))),
            "playlists": len({p for p, _ in memberships}), "memberships": len(memberships),
            "tracks_in_a_playlist": in_playlists,
            "features_mb": round(features.nbytes / 1e6, 1),
            "seconds": round(time.perf_counter() - started, 1)}
    marker.write_text(json.dumps(info, indent=2))
    return info


def _albums(track_artist: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Album number within the artist: runs of ~10 tracks."""
    album = np.zeros(len(track_artist), np.int64)
    start = 0
    for a in np.unique(track_artist):
        count = int(np.searchsorted(track_artist, a, side="right")) - start
        sizes = np.maximum(3, rng.poisson(10, size=count // 3 + 1))
        album[start:start + count] = np.repeat(np.arange(len(sizes)), sizes)[:count]
        start += count
    return album


def _playlists(scene: np.ndarray, n_scenes: int,
               rng: np.random.Generator) -> list[tuple[int, int]]:
    """One playlist per ~20 tracks; 80 % of a playlist from one scene, the rest anywhere.
    Tracks are drawn from a popular half of each scene, so about half are in no playlist."""
    n = len(scene)
    by_scene = [np.flatnonzero(scene == s) for s in range(n_scenes)]
    popular = [members[rng.random(len(members)) < 0.5] for members in by_scene]
    out: list[tuple[int, int]] = []
    for p in range(max(1, n // 20)):
        size = int(np.clip(rng.lognormal(np.log(25), 0.7), 5, 200))
        pool = popular[int(rng.integers(n_scenes))]
        local = rng.choice(pool, size=min(len(pool), int(size * 0.8)), replace=False) \
            if len(pool) else np.zeros(0, np.int64)
        anywhere = rng.integers(n, size=size - len(local))
        for t in np.unique(np.concatenate([local, anywhere])):
            out.append((p, int(t)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--tracks", type=int, default=100_000)
    ap.add_argument("--dim", type=int, default=753)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    print(json.dumps(generate(args.dir, args.tracks, dim=args.dim, seed=args.seed), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
