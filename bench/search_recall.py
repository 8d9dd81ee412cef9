"""Recall@10 and single-query latency of the hnsw index against exact cosine search.

Run: ``.venv/bin/python bench/search_recall.py [--M 16 32] [--ef 32 64 128 256] [--queries 1000]``

Data sets: spotify_songs (28,356 tracks x 12 z-scored descriptors) and 100,000 clustered
Gaussian vectors (128-d, 100 clusters). Queries: 1,000 rows of spotify (their own row is left
out of both answers, as ``similar`` does) and 1,000 fresh Gaussian points. Recall@10 =
|returned ∩ exact top-10| / 10, with exact ties counted as hits (a returned row scoring at
least the exact 10th score), since spotify holds duplicate descriptor rows. Latency: one
query at a time, one thread, k=10, through ``CosineIndex.search`` (what the app calls).
Targets: recall@10 >= 0.99 on both, p50 <= 2 ms at 100k. Writes bench/results/search_recall.json.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_data import clustered_gaussian, machine, save, spotify_features  # noqa: E402

from musicsage.search.index import CosineIndex, IndexParams, unit_rows  # noqa: E402

K = 10


def exact_topk(base: np.ndarray, queries: np.ndarray, k: int, self_rows: np.ndarray | None):
    """Exact top-k rows and the k-th score per query (own row excluded when given)."""
    b, q = unit_rows(base), unit_rows(queries)
    rows = np.empty((len(q), k), np.int64)
    kth = np.empty(len(q), np.float32)
    for start in range(0, len(q), 256):
        sims = q[start:start + 256] @ b.T
        if self_rows is not None:
            sims[np.arange(len(sims)), self_rows[start:start + 256]] = -np.inf
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        s = np.take_along_axis(sims, top, axis=1)
        order = np.argsort(-s, axis=1)
        rows[start:start + 256] = np.take_along_axis(top, order, axis=1)
        kth[start:start + 256] = np.take_along_axis(s, order, axis=1)[:, -1]
    return rows, kth


def recall(index: CosineIndex, base_unit, queries, truth, kth, self_rows) -> tuple[float, float]:
    """(id recall, tie-aware recall) of the index's top-10 against the exact answer."""
    extra = 1 if self_rows is not None else 0
    got, _ = index.search(queries, K + extra, num_threads=-1)
    ids_hit, tie_hit = 0, 0
    qn = unit_rows(queries)
    for i, row in enumerate(got):
        if self_rows is not None:
            row = row[row != self_rows[i]]
        row = row[:K]
        ids_hit += len(set(row.tolist()) & set(truth[i].tolist()))
        scores = base_unit[row] @ qn[i]
        tie_hit += int((scores >= kth[i] - 1e-5).sum())
    n = len(got) * K
    return ids_hit / n, tie_hit / n


def latency_ms(fn, queries, repeat: int = 1) -> dict:
    times = []
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - t) * 1000)
    t = np.array(times)
    return {"p50": round(float(np.percentile(t, 50)), 4), "p95": round(float(np.percentile(t, 95)), 4),
            "mean": round(float(t.mean()), 4)}


def run_dataset(name: str, base: np.ndarray, queries: np.ndarray, self_rows, args) -> dict:
    print(f"\n== {name}: {base.shape[0]:,} x {base.shape[1]}, {len(queries)} queries ==", flush=True)
    t = time.perf_counter()
    truth, kth = exact_topk(base, queries, K, self_rows)
    print(f"exact answers in {time.perf_counter() - t:.1f} s", flush=True)
    base_unit = unit_rows(base)
    exact = CosineIndex.build(base, params=IndexParams(exact_below=10**12))
    out = {"n": int(base.shape[0]), "dim": int(base.shape[1]), "queries": int(len(queries)),
           "exact_latency_ms": latency_ms(lambda q: exact.search(q, K), queries[:200]),
           "runs": []}
    print(f"exact numpy search: p50 {out['exact_latency_ms']['p50']:.3f} ms")
    print(f"{'M':>3} {'efC':>4} {'ef':>4} {'build s':>8} {'recall':>7} {'tie-rec':>7} "
          f"{'p50 ms':>7} {'p95 ms':>7}")
    for m in args.M:
        t = time.perf_counter()
        index = CosineIndex.build(base, params=IndexParams(M=m, ef_construction=args.ef_construction),
                                  force_hnsw=True)
        build_s = time.perf_counter() - t
        for ef in args.ef:
            index.params = IndexParams(M=m, ef_construction=args.ef_construction, ef=ef)
            r_ids, r_tie = recall(index, base_unit, queries, truth, kth, self_rows)
            lat = latency_ms(lambda q: index.search(q, K), queries, repeat=1)
            run = {"M": m, "ef_construction": args.ef_construction, "ef": ef,
                   "build_s": round(build_s, 2), "recall@10": round(r_ids, 4),
                   "recall@10_ties": round(r_tie, 4), "latency_ms": lat}
            out["runs"].append(run)
            print(f"{m:>3} {args.ef_construction:>4} {ef:>4} {build_s:>8.1f} {r_ids:>7.4f} "
                  f"{r_tie:>7.4f} {lat['p50']:>7.3f} {lat['p95']:>7.3f}", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--M", type=int, nargs="+", default=[16])
    ap.add_argument("--ef", type=int, nargs="+", default=[32, 64, 128, 256])
    ap.add_argument("--ef-construction", type=int, default=IndexParams().ef_construction)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--n", type=int, default=100_000, help="size of the generated set")
    ap.add_argument("--only", choices=["spotify", "gaussian"], default=None)
    args = ap.parse_args()
    result = {"machine_before": machine(), "default_params": IndexParams().__dict__}
    rng = np.random.default_rng(0)
    if args.only in (None, "spotify"):
        _, x = spotify_features()
        rows = rng.choice(len(x), args.queries, replace=False)
        result["spotify_28k"] = run_dataset("spotify_songs", x, x[rows], rows, args)
    if args.only in (None, "gaussian"):
        x = clustered_gaussian(args.n + args.queries, 128, 100, seed=0)
        result["gaussian_100k"] = run_dataset("clustered gaussian", x[:args.n], x[args.n:], None,
                                              args)
    result["machine_after"] = machine()
    print(f"\nload average before {result['machine_before']['loadavg']}, after "
          f"{result['machine_after']['loadavg']} on {result['machine_after']['cpus']} cpus")
    print(f"wrote {save('search_recall', result)}")


if __name__ == "__main__":
    main()
