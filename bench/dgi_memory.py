"""Peak memory of DGI training (+ inference of every track) on generated graphs of growing size.

Run: ``.venv/bin/python bench/dgi_memory.py [--sizes 10000 50000 200000] [--steps 40]``.
Each size runs in a fresh subprocess (so one run's peak cannot hide another's), which
generates a track–playlist graph (N tracks with ``--feature-dim`` features, N/10 playlists of
about 20 tracks, i.e. ~2 playlists per track), trains DGI for ``--steps`` minibatch steps,
embeds every track, and reports ``ru_maxrss`` (peak resident set) plus the RSS before
training (interpreter + torch + dgl + the generated data). Writes ``bench/results/dgi_memory.json``.

The claim checked: memory grows about linearly in N (the per-track state is the O(N·k)
neighbour table, the features and the O(N·dim) inference output; every training tensor is
O(batch × fan-out)), and the 200k run fits in 4 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
sys.path.insert(0, str(REPO))


def rss_mb() -> float:
    """Current resident set size (MB), from /proc (psutil when /proc is absent)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * resource.getpagesize() / 2**20
    except OSError:
        import psutil

        return psutil.Process().memory_info().rss / 2**20


def generated_graph(n: int, *, feature_dim: int, seed: int = 0):
    """N tracks in N/200 hidden styles; N/10 playlists of ~20 tracks drawn within a style."""
    import numpy as np

    from musicsage.graph.data import GraphData

    rng = np.random.default_rng(seed)
    styles = max(2, n // 200)
    style = rng.integers(styles, size=n)
    centroids = rng.normal(size=(styles, feature_dim)).astype(np.float32)
    features = centroids[style] + rng.standard_normal((n, feature_dim), dtype=np.float32)
    n_playlists = max(1, n // 10)
    order = np.argsort(style, kind="stable")
    bounds = np.searchsorted(style[order], np.arange(styles + 1))
    p_style = rng.integers(styles, size=n_playlists)
    lo, hi = bounds[p_style], bounds[p_style + 1]
    picks = lo[:, None] + (rng.random((n_playlists, 20)) * (hi - lo)[:, None]).astype(np.int64)
    tracks = order[np.minimum(picks, n - 1)]
    pairs = np.stack([tracks.ravel(), np.repeat(np.arange(n_playlists), 20)], 1)
    memberships = np.unique(pairs, axis=0).astype(np.int64)
    return GraphData(track_ids=np.arange(n), features=features, memberships=memberships,
                     playlist_keys=np.arange(n_playlists).astype(object))


def child(n: int, steps: int, feature_dim: int, dim: int, batch: int) -> dict:
    import numpy as np
    import torch

    torch.set_num_threads(2)
    import dgl  # noqa: F401  (its import is part of the baseline)

    from musicsage.graph.config import TrainConfig
    from musicsage.graph.train import train

    start_rss = rss_mb()
    data = generated_graph(n, feature_dim=feature_dim)
    before = rss_mb()
    config = TrainConfig().with_(objective="dgi", dim=dim, hidden=128, dropout=0.0,
                                 batch_size=batch, max_steps=steps, eval_every=steps,
                                 val_fraction=0.0, threads=2)
    t = time.perf_counter()
    result = train(data, data.memberships, contexts=("playlist",), config=config)
    train_s = time.perf_counter() - t
    t = time.perf_counter()
    emb = result.embed(data)
    embed_s = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    return {"n_tracks": n, "memberships": int(len(data.memberships)),
            "feature_dim": feature_dim, "dim": dim, "batch": batch, "steps": result.steps,
            "rss_after_imports_mb": round(start_rss, 1), "rss_before_training_mb": round(before, 1),
            "peak_rss_mb": round(peak, 1), "train_s": round(train_s, 1),
            "embed_s": round(embed_s, 1), "final_loss": result.history[-1]["loss"],
            "embedding_shape": list(emb.shape), "finite": bool(np.isfinite(emb).all())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 200_000])
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--feature-dim", type=int, default=128)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child, args.steps, args.feature_dim, args.dim, args.batch)))
        return
    rows = []
    for n in args.sizes:
        cmd = [sys.executable, __file__, "--child", str(n), "--steps", str(args.steps),
               "--feature-dim", str(args.feature_dim), "--dim", str(args.dim),
               "--batch", str(args.batch)]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"size {n} failed:\n{out.stderr[-3000:]}")
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        r = rows[-1]
        print(f"N={n:>7}: peak RSS {r['peak_rss_mb']:7.1f} MB (before training "
              f"{r['rss_before_training_mb']:.1f}, after imports {r['rss_after_imports_mb']:.1f}); "
              f"train {r['train_s']} s, embed {r['embed_s']} s", flush=True)
    base = rows[0]
    print(f"\n{'tracks':>8} {'memberships':>11} {'peak RSS MB':>11} {'Δ over imports':>14} "
          f"{'Δ per 1k tracks':>15} {'train s':>8} {'embed s':>8}")
    for r in rows:
        delta = r["peak_rss_mb"] - r["rss_after_imports_mb"]
        r["peak_over_imports_mb"] = round(delta, 1)
        r["mb_per_1k_tracks"] = round(delta / (r["n_tracks"] / 1000), 2)
        print(f"{r['n_tracks']:>8} {r['memberships']:>11} {r['peak_rss_mb']:>11.1f} "
              f"{delta:>14.1f} {r['mb_per_1k_tracks']:>15.2f} {r['train_s']:>8} {r['embed_s']:>8}")
    largest = rows[-1]
    growth = ((largest["peak_over_imports_mb"]) / max(base["peak_over_imports_mb"], 1e-9))
    summary = {"size_ratio": largest["n_tracks"] / base["n_tracks"],
               "peak_over_imports_ratio": round(growth, 2),
               "largest_fits_4gb": largest["peak_rss_mb"] < 4096}
    print(f"\nsize ×{summary['size_ratio']:.0f} → memory over imports ×{growth:.1f}; "
          f"largest run {largest['peak_rss_mb']:.0f} MB "
          f"({'fits' if summary['largest_fits_4gb'] else 'does NOT fit'} in 4 GB)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "dgi_memory.json"
    out.write_text(json.dumps({"rows": rows, "summary": summary, "args": vars(args)}, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
