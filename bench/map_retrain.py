"""Does a Retrain keep the map's arrangement? A new model's map laid out from UMAP's own start
vs from the previous model's map (``musicsage.search.map_init``).

    .venv/bin/python bench/map_retrain.py [--tracks 5000] [--seeds 3] [--noise 0.6]

Input (generated, as a graph model's vectors are: clustered, compared by cosine): 64-d
vectors around 40 artist-like centres, each grouped in 8 genre-like families. A "Retrain"
gives every track a new vector: the old one plus noise (``--noise`` × the spread within a
centre), turned by a random rotation of the whole space, and a new model's track set — 2 %
of the tracks gone, 2 % new ones. Per seed (``MapParams.seed``, the same for all three maps,
so the spread over seeds shows the noise): the old model's map, then the new model's map
plain (UMAP's spectral start, as before and as ``map --relayout`` still does) and started
from the old map — all through ``compute_map`` on a ``SpaceIndex`` (kNN from its index).

- ``displacement``: tracks in both maps, after a Procrustes fit of the new map onto the old
  (shift, turn, mirror, scale: ``scipy.spatial.procrustes``), the mean distance a track
  moved, as a share of the old map's RMS radius;
- ``centre_displacement``: the same for the 40 centres' mean points (where each "artist"
  lies on the map, what a user finds their way by), as a share of their RMS radius;
- ``knn_preserved``: the share of each track's 15 nearest neighbours in the new vectors
  (exact cosine) among its 15 nearest on the new map (1,000 sampled tracks);
- ``seconds``: ``compute_map`` wall time (kNN + UMAP + declutter + save).

Medians (and the range) over the seeds. Writes bench/results/map_retrain.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def libraries(n: int, noise: float, seed: int = 7):
    """``(old ids, old vectors, new ids, new vectors, centre of each id - 1)`` of a library
    before and after a Retrain (see the module docstring)."""
    rng = np.random.default_rng(seed)
    dim, families, centres = 64, 8, 40
    fam = rng.normal(size=(families, dim)) * 4
    cen = fam[np.arange(centres) % families] + rng.normal(size=(centres, dim)) * 1.5
    total = n + n // 50
    centre = rng.integers(0, centres, total)
    base = cen[centre] + rng.normal(size=(total, dim))
    ids = np.arange(1, total + 1)
    old_rows = np.arange(n)
    new_rows = np.sort(np.r_[rng.choice(n, n - n // 50, replace=False), np.arange(n, total)])
    q, _ = np.linalg.qr(rng.normal(size=(dim, dim)))
    moved = (base + noise * rng.normal(size=base.shape)) @ q
    return (ids[old_rows], base[old_rows].astype(np.float32),
            ids[new_rows], moved[new_rows].astype(np.float32), centre)


def displacement(old_ids, old_xy, new_ids, new_xy, centre=None) -> float:
    """Mean Procrustes-aligned move of the tracks in both maps, / the old map's RMS radius;
    with ``centre`` (each id's centre), of the centres' mean points instead."""
    from scipy.spatial import procrustes

    common, a, b = np.intersect1d(old_ids, new_ids, return_indices=True)
    p, q = old_xy[a].astype(np.float64), new_xy[b].astype(np.float64)
    if centre is not None:
        label = centre[common - 1]
        p, q = (np.stack([m[label == c].mean(axis=0) for c in np.unique(label)]) for m in (p, q))
    m1, m2, _ = procrustes(p, q)
    # both are centred with unit Frobenius norm: the RMS radius is 1/sqrt(n)
    return float(np.linalg.norm(m1 - m2, axis=1).mean() * np.sqrt(len(p)))


def one_seed(seed: int, data, work: Path) -> dict:
    from map_placement import knn_preserved

    from musicsage.search.index import SpaceIndex
    from musicsage.search.map_init import init_from_layout
    from musicsage.search.placement import SavedLayout
    from musicsage.search.projection import MapParams, compute_map

    old_ids, old_x, new_ids, new_x, centre = data
    params = MapParams(seed=seed)
    folder = Path(tempfile.mkdtemp(prefix=f"seed{seed}_", dir=work))

    def space(ids, x, name):
        return SpaceIndex("graph", ids, x, model_id=name, directory=folder / name)

    old = compute_map(space(old_ids, old_x, "old"), params=params, use_cache=False)
    saved = SavedLayout(old.track_ids, old.xy, None)
    out = {}
    for how, init_from in (("plain", None), ("init", lambda ids, x: init_from_layout(
            saved, ids, x, separation=params.separation))):
        t = time.perf_counter()
        new = compute_map(space(new_ids, new_x, how), params=params, use_cache=False,
                          init_from=init_from)
        seconds = time.perf_counter() - t
        rows = np.random.default_rng(0).choice(len(new_ids), min(1000, len(new_ids)),
                                               replace=False)
        moved = (old.track_ids, old.xy, new.track_ids, new.xy)
        out[how] = {"displacement": displacement(*moved),
                    "centre_displacement": displacement(*moved, centre),
                    "knn_preserved": knn_preserved(new_x, new.xy, rows), "seconds": seconds}
    return out


def summary(runs: list[dict]) -> dict:
    out = {}
    for how in ("plain", "init"):
        out[how] = {}
        for key in ("displacement", "centre_displacement", "knn_preserved", "seconds"):
            values = [r[how][key] for r in runs]
            out[how][key] = {"median": round(statistics.median(values), 4),
                             "min": round(min(values), 4), "max": round(max(values), 4)}
    return out


def main() -> int:
    from bench_files import results_out  # --out checked before the run

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tracks", type=int, default=5000)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--noise", type=float, default=0.6)
    ap.add_argument("--out", type=results_out, default=str(HERE / "results" / "map_retrain.json"))
    args = ap.parse_args()
    from musicsage.search.umap_runtime import configure_numba_cache

    configure_numba_cache(Path.home() / ".cache" / "musicsage" / "numba")
    data = libraries(args.tracks, args.noise)
    with tempfile.TemporaryDirectory(prefix="map_retrain_") as work:
        one_seed(0, libraries(300, args.noise), Path(work))  # warm-up: numba loads/compiles
        runs = [one_seed(42 + s, data, Path(work)) for s in range(args.seeds)]
    result = {"tracks_old": len(data[0]), "tracks_new": len(data[2]), "noise": args.noise,
              "seeds": args.seeds, "runs": runs, "median": summary(runs)}
    print(json.dumps(result["median"], indent=1))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
