"""Can one click a single track on the map? UMAP alone against UMAP + ``declutter``.

    .venv/bin/python bench/map_readability.py --data-dir DIR [--factors 0,0.3,0.45]
        [--scale 100000]
    .venv/bin/python bench/map_readability.py --scale 100000

For each space of the library at ``DIR`` (graph and audio; e.g. a built demo:
``musicsage --data-dir DIR demo``) and each separation factor (0 = UMAP's layout as it is),
the layout the app computes, and:

- ``visible``: the share of tracks whose nearest other point on the map is at least 1 % of
  the map's extent away (about 6 px at the window's fitted view): points one can tell apart;
- ``cells``: how many cells of a 25 × 25 grid over the map hold a point (28 means the library
  is drawn as about 28 dots);
- ``kept10``: the share of each track's 10 nearest neighbours in the space (cosine) that are
  among its 10 nearest on the map;
- ``trust``: sklearn's trustworthiness (k = 10) of the map against the space;
- ``moved``: the median distance a point was moved by decluttering, over the extent.

``--scale N``: the time ``spread_overlaps`` takes on N generated points, half of them in
groups of 20 at one spot each (the worst case: exact duplicates), the rest spread out;
median of 3; it needs no library, so ``--scale`` alone times just that. Prints a table and
writes bench/results/map_readability.json, keeping what an earlier run wrote that this one did
not measure (``--scale`` alone keeps the spaces). A ``--data-dir`` that holds no library, or
one without tracks or with a damaged database, is refused in one line before anything is made
there (it once made an empty library at a mistyped path and reported it as a result).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_files import open_existing_library, read_previous, write_json  # noqa: E402

from musicsage.search import projection  # noqa: E402
from musicsage.search.declutter import extent, spread_overlaps  # noqa: E402
from musicsage.search.index import unit_rows  # noqa: E402
from musicsage.usecases.spaces import SearchSpaces  # noqa: E402

OUT = REPO / "bench" / "results" / "map_readability.json"


def readability(vectors: np.ndarray, xy: np.ndarray) -> dict:
    """The measures of the module doc (all but ``moved``) for one layout."""
    from sklearn.manifold import trustworthiness

    size = extent(xy)
    gaps = np.linalg.norm(xy[:, None] - xy[None], axis=2)
    np.fill_diagonal(gaps, np.inf)
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    true_knn = np.argsort(-sims, axis=1)[:, :10]
    map_knn = np.argsort(gaps, axis=1)[:, :10]
    kept = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(true_knn, map_knn)])
    lo = np.percentile(xy, 1, axis=0)
    span = np.percentile(xy, 99, axis=0) - lo + 1e-12
    cells = {tuple(c) for c in np.floor((xy - lo) / span * 25).clip(0, 24).astype(int)}
    return {"visible": float(np.mean(gaps.min(axis=1) >= 0.01 * size)), "cells": len(cells),
            "kept10": float(kept),
            "trust": float(trustworthiness(vectors, xy, n_neighbors=10, metric="cosine"))}


def measure_space(space, factors: list[float]) -> dict:
    vectors = unit_rows(space.matrix.astype(np.float64))
    knn = space.knn_graph(projection.MapParams().n_neighbors)
    raw, _ = projection.layout(space.matrix, knn=knn, params=projection.MapParams(separation=0))
    out = {}
    for factor in factors:
        xy = spread_overlaps(raw, factor)
        row = readability(vectors, xy)
        row["moved"] = float(np.median(np.linalg.norm(xy - raw, axis=1)) / extent(raw))
        out[str(factor)] = row
    return out


def generated_clumps(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    spots = rng.uniform(-10, 10, size=(n // 40, 2))
    clumped = np.repeat(spots, 20, axis=0)
    return np.concatenate([clumped, rng.uniform(-10, 10, size=(n - len(clumped), 2))])


def time_scale(n: int) -> dict:
    xy = generated_clumps(n)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        spread_overlaps(xy, projection.SEPARATION)
        times.append(time.perf_counter() - start)
    return {"points": n, "median_s": statistics.median(times)}


def measure_library(spaces: SearchSpaces, factors: list[float]) -> dict:
    """Print and return the table of the module doc for each space the library has."""
    result: dict = {}
    print(f"{'space':6s} {'factor':>6s} {'visible':>8s} {'cells':>6s} {'kept10':>7s} "
          f"{'trust':>6s} {'moved':>6s}")
    for name in ("graph", "audio"):
        space = spaces.get(name)
        if isinstance(space, str):
            print(f"{name}: {space}")
            continue
        rows = result[name] = measure_space(space, factors)
        for factor, r in rows.items():
            print(f"{name:6s} {factor:>6s} {r['visible']:8.3f} {r['cells']:6d} {r['kept10']:7.3f} "
                  f"{r['trust']:6.3f} {r['moved']:6.3f}")
    return result


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=None,  # a str: Path("") would be "." and opened
                    help="a library (e.g. a built demo); needed unless --scale alone is run")
    ap.add_argument("--factors", default=f"0,{projection.SEPARATION},0.45")
    ap.add_argument("--scale", type=int, default=0)
    args = ap.parse_args(argv)
    if args.data_dir is None and not args.scale:
        ap.error("give --data-dir DIR (a library), --scale N, or both")
    factors = [float(f) for f in args.factors.split(",")]
    result = read_previous(OUT)  # what this run does not measure stays as it was
    if args.data_dir is not None:
        ctx = open_existing_library(args.data_dir, option="--data-dir", need_tracks=True)
        result["data_dir"] = str(args.data_dir)
        result["spaces"] = measure_library(SearchSpaces(ctx), factors)
    if args.scale:
        result["scale"] = time_scale(args.scale)
        print(f"spread_overlaps on {args.scale:,} points: {result['scale']['median_s']:.2f} s "
              "(median of 3)")
    write_json(OUT, result)


if __name__ == "__main__":
    main()
