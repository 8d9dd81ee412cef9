"""What keeping a known map costs and loses: tracks added to (or removed from) a laid-out map.

    .venv/bin/python bench/map_placement.py [--tracks 20000] [--added 0.01] [--removed 0.01]

Input: the audio space of the generated library (``bench/scale_data.py``: 753-d features,
z-scored and compared by cosine, as the app does), through the app's own path
(``musicsage.search.projection.compute_map`` on a ``SpaceIndex``; the kNN stage includes
building the hnsw index). Steps, one process, one run each:

1. ``layout``: the library without its last ``--added`` share of tracks, laid out (UMAP);
2. ``placed``: those tracks added: the saved map carried over, each new track placed by its
   nearest neighbour (``musicsage.search.placement``);
3. ``removed``: from there, a random ``--removed`` share of the tracks removed;
4. ``relayout``: the grown library laid out afresh (what adding music cost before).

Quality of the added tracks' points, against a fresh layout of the same grown library:
``knn_preserved`` — the share of each added track's 15 nearest neighbours in the feature
space (exact cosine) that are among its 15 nearest on the map. The kept tracks' points are
checked to be unchanged.

Writes bench/results/map_placement.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
K = 15


def features(n: int, work: Path) -> np.ndarray:
    from scale_data import generate

    directory = work / f"feat{n}"
    generate(directory, n, option="--work")
    return np.load(directory / "features.npy")


def timed(fn) -> tuple[object, float, float]:
    t, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - t, time.process_time() - cpu


def knn_preserved(x: np.ndarray, xy: np.ndarray, rows: np.ndarray) -> float:
    """Share of each of ``rows``' K nearest in ``x`` (cosine) among its K nearest on ``xy``."""
    from sklearn.neighbors import NearestNeighbors

    from musicsage.vectors import unit_rows

    u = unit_rows(x)
    feature = np.argsort(-(u[rows] @ u.T), axis=1)[:, 1:K + 1]
    _, near = NearestNeighbors(n_neighbors=K + 1).fit(xy).kneighbors(xy[rows])
    return float(np.mean([len(set(a) & set(b[1:])) / K for a, b in zip(feature, near)]))


def run(n: int, added: float, removed: float, work: Path) -> dict:
    from musicsage.search.index import SpaceIndex
    from musicsage.search.projection import compute_map
    from musicsage.search.placement import row_hashes
    from musicsage.vectors import zscore

    raw = features(n, work)
    ids = np.arange(1, n + 1)
    m = max(1, int(round(added * n)))
    maps = Path(tempfile.mkdtemp(prefix="map_placement_", dir=work))

    def space(rows: np.ndarray, directory: Path = maps) -> SpaceIndex:
        return SpaceIndex("audio", ids[rows], zscore(raw[rows]), model_id="bench",
                          directory=directory, row_keys=row_hashes(raw[rows]))

    # the spaces are built (read, z-scored, hashed) before the clock starts: the app has
    # them already when it asks for a map
    before, grown = space(np.arange(n - m)), space(np.arange(n))
    rng = np.random.default_rng(1)
    left = space(np.sort(rng.choice(n, size=n - int(round(removed * n)), replace=False)))
    again = space(np.arange(n), maps / "fresh")
    first, t_layout, c_layout = timed(lambda: compute_map(before))
    placed, t_placed, c_placed = timed(lambda: compute_map(grown))
    assert placed.method == "placed" and placed.placed == m, (placed.method, placed.placed)
    assert np.array_equal(placed.xy[:n - m], first.xy), "a kept track moved"
    shrunk, t_removed, c_removed = timed(lambda: compute_map(left))
    assert shrunk.method == "placed" and shrunk.placed == 0
    fresh, t_fresh, c_fresh = timed(lambda: compute_map(again, use_cache=False))
    x = zscore(raw)
    new_rows = np.arange(n - m, n)
    return {
        "tracks": n, "added": m, "removed": n - len(left),
        "seconds": {"layout": round(t_layout, 1), "placed": round(t_placed, 2),
                    "removed": round(t_removed, 2), "relayout": round(t_fresh, 1)},
        "cpu_seconds": {"layout": round(c_layout, 1), "placed": round(c_placed, 2),
                        "removed": round(c_removed, 2), "relayout": round(c_fresh, 1)},
        "relayout_over_placed": round(t_fresh / max(t_placed, 1e-9), 1),
        "knn_preserved_added": {"placed": round(knn_preserved(x, placed.xy, new_rows), 4),
                                "relayout": round(knn_preserved(x, fresh.xy, new_rows), 4)},
    }


def main() -> int:
    from bench_files import results_out  # --out checked before the run

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tracks", type=int, default=20_000)
    ap.add_argument("--added", type=float, default=0.01)
    ap.add_argument("--removed", type=float, default=0.01)
    ap.add_argument("--work", default="/tmp/musicsage-scale")
    ap.add_argument("--out", type=results_out, default=str(HERE / "results" / "map_placement.json"))
    args = ap.parse_args()
    from musicsage.search.umap_runtime import configure_numba_cache

    configure_numba_cache(Path.home() / ".cache" / "musicsage" / "numba")
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    result = run(args.tracks, args.added, args.removed, work)
    print(json.dumps(result, indent=1))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
