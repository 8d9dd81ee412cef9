"""What ordering a map region into its play order costs: the old loop against the k-d tree walk.

    .venv/bin/python bench/map_region_bench.py [--sizes 5000,12400,28356] [--xy map.npy]

A region selected on the map (lasso, rectangle) plays "in order": a greedy nearest-neighbour
walk from its leftmost track (``musicsage.controllers.map_tools.walk_order``). It runs on the
window's thread when the region is drawn; the loop it replaced went over every point at
every step (O(n²)): on a 28,356-track library the whole map froze the window for 20 s.

Points: a map-like cloud (seeded: a few hundred clusters of different spreads, as UMAP
draws a library), or the first ``n`` rows, nearest the centre, of a saved map (``--xy``: an
``[n, 2]`` ``.npy``). Each size: the median of 3 runs of each, and whether both give the same
order (they must: the walk was kept, only found faster).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from musicsage.controllers.map_tools import walk_order  # noqa: E402

RUNS = 3


def old_walk_order(xy: np.ndarray) -> np.ndarray:
    """The walk as it was (up to this change): a pass over every point per step."""
    n = len(xy)
    if n == 0:
        return np.zeros(0, np.int64)
    left = np.ones(n, bool)
    order = [int(np.argmin(xy[:, 0]))]
    left[order[0]] = False
    for _ in range(n - 1):
        d = ((xy - xy[order[-1]]) ** 2).sum(axis=1)
        d[~left] = np.inf
        nxt = int(np.argmin(d))
        order.append(nxt)
        left[nxt] = False
    return np.asarray(order, np.int64)


def map_like(n: int, seed: int = 0) -> np.ndarray:
    """``n`` points in clusters of different sizes and spreads, as a library's map."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(max(1, n // 100), 2)) * 10
    spread = rng.choice([0.1, 1.0, 5.0], size=(n, 1))
    return centres[rng.integers(len(centres), size=n)] + rng.normal(size=(n, 2)) * spread


def median_seconds(fn, xy: np.ndarray) -> tuple[float, np.ndarray]:
    times, order = [], None
    for _ in range(RUNS):
        t = time.perf_counter()
        order = fn(xy)
        times.append(time.perf_counter() - t)
    return statistics.median(times), order


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,12400,28356")
    parser.add_argument("--xy", type=Path, help="a saved map, [n, 2] .npy")
    args = parser.parse_args()
    saved = None if args.xy is None else np.load(args.xy).astype(np.float64)
    print(f"{'points':>7} {'old (s)':>9} {'new (s)':>9} {'speed-up':>9}  same order")
    for n in (int(s) for s in args.sizes.split(",")):
        if saved is None:
            xy = map_like(n)
        else:
            near = np.argsort(((saved - saved.mean(axis=0)) ** 2).sum(axis=1), kind="stable")
            xy = saved[np.sort(near[:n])]
        new, new_order = median_seconds(walk_order, xy)
        old, old_order = median_seconds(old_walk_order, xy)
        same = bool(np.array_equal(new_order, old_order))
        print(f"{len(xy):>7} {old:>9.3f} {new:>9.3f} {old / new:>8.0f}x  {same}", flush=True)


if __name__ == "__main__":
    main()
