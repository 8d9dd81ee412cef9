"""The map at 100k tracks on 2 cores: which UMAP layout, what it costs, what it loses.

    .venv/bin/python bench/umap_scale.py [--tracks 100000] [--variants default,pca,...]

Input: the audio space of the generated library (``bench/scale_data.py``: 753-d features,
standardised as the app standardises them), its 15-NN graph from the app's own hnsw index
(computed once, timed, and shared by every variant, as the app passes it to UMAP).

Variants (each in its own process, so its wall time, CPU time and peak memory are its own):

- ``default``: what ``musicsage map`` did before (umap-learn defaults for this size: 200
  epochs, spectral initialisation), seeded;
- ``pca``: PCA initialisation instead of the spectral embedding;
- ``pca-e100``: PCA initialisation, 100 epochs;
- ``sub25k``: UMAP on a 25k sample, the rest placed by ``transform`` (umap's own);
- ``app``: ``musicsage.search.projection.layout`` as it is now (whatever it chose).

Quality, on a fixed sample of 2,000 points (the same for every variant):

- ``knn_preserved``: the share of each point's 15 nearest neighbours in the feature space
  (the index's) that are among its 15 nearest on the map;
- ``trustworthiness`` (sklearn, k = 15) of the map of a 3,000-point sample, against their
  features;
- ``agreement_with_default``: the share of each sampled point's 15 nearest map neighbours that
  are also its 15 nearest in the ``default`` layout.

Writes bench/results/umap_scale.json and a PNG per variant next to it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))
K = 15
SAMPLE = 2000


def space_matrix(n: int, work: Path) -> np.ndarray:
    from scale_data import generate

    from musicsage.vectors import unit_rows, zscore

    directory = work / f"feat{n}"
    generate(directory, n, option="--work")
    return unit_rows(zscore(np.load(directory / "features.npy", mmap_mode="r")))


def knn(n: int, work: Path) -> tuple[np.ndarray, np.ndarray, float]:
    """(indices, distances, seconds) of the 15-NN graph, cached in ``work``."""
    cache = work / f"umap_knn_{n}.npz"
    if cache.is_file():
        with np.load(cache) as f:
            return f["rows"], f["dists"], float(f["seconds"])
    from musicsage.search.index import SpaceIndex

    x = space_matrix(n, work)
    t = time.perf_counter()
    space = SpaceIndex("audio", np.arange(len(x)), x, model_id="bench",
                       directory=work / f"umap_index_{n}")
    rows, dists = space.knn_graph(K)
    seconds = time.perf_counter() - t
    np.savez(cache, rows=rows, dists=dists, seconds=seconds)
    return rows, dists, seconds


def run_variant(name: str, n: int, work: Path) -> dict:
    """In the child: lay the map out one way; save it; report time and memory."""
    from musicsage.search import projection
    from musicsage.search.umap_runtime import import_umap

    x = space_matrix(n, work)
    rows, dists, _ = knn(n, work)
    umap = import_umap()
    t, cpu = time.perf_counter(), time.process_time()
    if name == "app":
        xy, method = projection.layout(x, knn=(rows, dists))
    elif name == "sub25k":
        rng = np.random.default_rng(0)
        sample = np.sort(rng.choice(len(x), size=min(25_000, len(x)), replace=False))
        reducer = umap.UMAP(n_neighbors=K, min_dist=0.1, metric="cosine", random_state=42,
                            n_jobs=1)
        reducer.fit(x[sample])
        xy = np.empty((len(x), 2), np.float32)
        xy[sample] = reducer.embedding_
        rest = np.setdiff1d(np.arange(len(x)), sample)
        xy[rest] = reducer.transform(x[rest])
        method = "umap-sub25k"
    else:
        init, epochs = {"default": ("spectral", None), "pca": ("pca", None),
                        "pca-e100": ("pca", 100)}[name]
        reducer = umap.UMAP(n_neighbors=K, min_dist=0.1, metric="cosine", random_state=42,
                            n_jobs=1, init=init, n_epochs=epochs,
                            precomputed_knn=(rows[:, :K].astype(np.int32),
                                             dists[:, :K].astype(np.float32), None))
        xy = reducer.fit_transform(x)
        method = f"umap-{name}"
    wall, cpu = time.perf_counter() - t, time.process_time() - cpu
    np.save(work / f"umap_{name}_{n}.npy", np.asarray(xy, np.float32))
    return {"variant": name, "method": method, "layout_s": round(wall, 1),
            "layout_cpu_s": round(cpu, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def quality(name: str, n: int, work: Path) -> dict:
    from sklearn.manifold import trustworthiness
    from sklearn.neighbors import NearestNeighbors

    xy = np.load(work / f"umap_{name}_{n}.npy")
    rows, _, _ = knn(n, work)
    rng = np.random.default_rng(7)
    sample = rng.choice(n, size=SAMPLE, replace=False)
    nn2d = NearestNeighbors(n_neighbors=K + 1).fit(xy)
    _, near = nn2d.kneighbors(xy[sample])
    near = near[:, 1:]
    feature_nn = rows[sample, 1:K + 1]
    preserved = np.mean([len(set(a) & set(b)) / K for a, b in zip(near, feature_nn)])
    out = {"knn_preserved": round(float(preserved), 4)}
    default = work / f"umap_default_{n}.npy"
    if default.is_file() and name != "default":
        ref = np.load(default)
        _, ref_near = NearestNeighbors(n_neighbors=K + 1).fit(ref).kneighbors(ref[sample])
        out["agreement_with_default"] = round(float(np.mean(
            [len(set(a) & set(b[1:])) / K for a, b in zip(near, ref_near)])), 4)
    small = rng.choice(n, size=3000, replace=False)
    x = space_matrix(n, work)
    out["trustworthiness"] = round(float(trustworthiness(x[small], xy[small], n_neighbors=K,
                                                         metric="cosine")), 4)
    _png(xy, work / f"umap_{name}_{n}.png")
    return out


def _png(xy: np.ndarray, path: Path) -> None:
    """A density picture of the layout (numpy only: a 2-D histogram, log-scaled)."""
    import zlib

    h, _, _ = np.histogram2d(xy[:, 1], xy[:, 0], bins=400)
    img = (255 * np.log1p(h) / max(1e-9, np.log1p(h).max())).astype(np.uint8)[::-1]
    raw = b"".join(b"\x00" + row.tobytes() for row in img)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (len(data).to_bytes(4, "big") + tag + data
                + zlib.crc32(tag + data).to_bytes(4, "big"))

    header = img.shape[1].to_bytes(4, "big") + img.shape[0].to_bytes(4, "big") + b"\x08\x00\x00\x00\x00"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tracks", type=int, default=100_000)
    ap.add_argument("--variants", default="default,pca,pca-e100,sub25k,app")
    ap.add_argument("--work", default="/tmp/musicsage-scale")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    work = Path(args.work)
    if args.child:
        print("RESULT " + json.dumps(run_variant(args.child, args.tracks, work)), flush=True)
        return 0
    from musicsage.search.umap_runtime import configure_numba_cache
    from bench_files import read_previous, write_json

    os.environ.setdefault("NUMBA_CACHE_DIR", str(configure_numba_cache(
        Path.home() / ".cache" / "musicsage" / "numba")))
    _, _, knn_s = knn(args.tracks, work)
    results = {"tracks": args.tracks, "knn_s": round(knn_s, 1), "variants": {},
               "loadavg_start": os.getloadavg()}
    out = REPO / "bench" / "results" / "umap_scale.json"
    old = read_previous(out)
    if old.get("tracks") == args.tracks:
        results["variants"] = old.get("variants", {})
    names = args.variants.split(",")
    if "default" in names:  # the others are compared with it
        names.remove("default")
        names.insert(0, "default")
    for name in names:
        print(f"variant {name} …", flush=True)
        load = os.getloadavg()[0]
        proc = subprocess.run([sys.executable, __file__, "--tracks", str(args.tracks),
                               "--work", str(work), "--child", name],
                              capture_output=True, text=True, env={**os.environ,
                                                                   "PYTHONPATH": str(REPO)})
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
        if line is None:
            print(proc.stderr[-2000:])
            return 1
        row = json.loads(line[7:])
        row["load"] = round(load, 1)
        row.update(quality(name, args.tracks, work))
        results["variants"][name] = row
        print("  " + json.dumps(row), flush=True)
        write_json(out, results)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
