"""How long a click costs with the exploring extras: neighbours with "why" and copy folding,
suggestions for a playlist, a radio refill — on a generated library of library size.

    .venv/bin/python bench/explore_latency.py [--tracks 30000] [--dim 512] [--queries 30]

A temporary library gets N tracks (500 artists, 5,000 albums, 300 playlists of 20–80
tracks) and clustered audio vectors of D dimensions stored as an audio model (a graph model
is not needed: every list is computed the same way in each space). Reported: median and 90th
percentile seconds of ``similar_tracks`` (k=10, with ``why``), the same with ``variety``,
``suggest_tracks`` (k=10) and ``radio_tracks`` (20 tracks, both modes), on one warm
``SearchSpaces`` as the window holds one, plus the plain index query for comparison. Writes
``bench/results/explore_latency.json``. Say what the load was (``uptime``) with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def build(ctx, n: int, dim: int, seed: int = 0) -> tuple[list[int], list[int]]:
    from musicsage.library.db import connect, transaction
    from musicsage.library.queries import set_setting, store_embeddings

    rng = np.random.default_rng(seed)
    conn = connect(ctx)
    with transaction(conn):
        conn.executemany(
            "INSERT INTO tracks(id, path, size, mtime_ns, format, title, artist, album, duration,"
            " status, needs_analysis) VALUES (?, ?, 1, 1, 'flac', ?, ?, ?, 200, 'present', 0)",
            [(i + 1, f"/music/a{i % 500}/t{i}.flac", f"Song {i}", f"Artist {i % 500}",
              f"Album {i % 5000}") for i in range(n)])
        centres = rng.normal(size=(200, dim)).astype(np.float32) * 3
        vectors = centres[rng.integers(0, 200, n)] + rng.normal(size=(n, dim)).astype(np.float32)
        store_embeddings(conn, zip(range(1, n + 1), vectors), "spectral-bench", "1")
        set_setting(conn, "audio_model", "spectral-bench")
        playlists = []
        for p in range(300):
            cur = conn.execute("INSERT INTO playlists(path, name, format, size, mtime_ns) VALUES"
                               " (?, ?, 'm3u', 0, 0)", (f"/lists/p{p}.m3u", f"Playlist {p}"))
            members = rng.choice(n, size=int(rng.integers(20, 80)), replace=False) + 1
            conn.executemany("INSERT INTO playlist_entries(playlist_id, position, raw, track_id)"
                             " VALUES (?, ?, ?, ?)",
                             [(cur.lastrowid, j, "x", int(t)) for j, t in enumerate(members)])
            playlists.append(int(cur.lastrowid))
    return list(range(1, n + 1)), playlists


def timed(fn, args_list) -> dict:
    seconds = []
    for args in args_list:
        t0 = time.perf_counter()
        fn(*args)
        seconds.append(time.perf_counter() - t0)
    return {"median_s": round(float(np.median(seconds)), 4),
            "p90_s": round(float(np.percentile(seconds, 90)), 4), "n": len(seconds)}


def main(argv=None) -> int:
    from bench_files import results_out  # --out checked before the run

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tracks", type=int, default=30_000)
    ap.add_argument("--dim", type=int, default=512)
    ap.add_argument("--queries", type=int, default=30)
    ap.add_argument("--out", type=results_out,
                    default=str(REPO / "bench" / "results" / "explore_latency.json"))
    args = ap.parse_args(argv)

    from musicsage.context import AppContext
    from musicsage.usecases.radio import radio_tracks
    from musicsage.usecases.search import similar_tracks
    from musicsage.usecases.spaces import SearchSpaces
    from musicsage.usecases.suggest import suggest_tracks

    with tempfile.TemporaryDirectory(prefix="explore-latency-") as tmp:
        ctx = AppContext.create(tmp)
        t0 = time.perf_counter()
        ids, playlists = build(ctx, args.tracks, args.dim)
        print(f"library of {args.tracks} × {args.dim} built in {time.perf_counter() - t0:.0f} s")
        spaces = SearchSpaces(ctx)
        audio = spaces.get("audio")
        audio.ensure()  # the index a window has loaded already
        rng = np.random.default_rng(1)
        queries = [int(t) for t in rng.choice(ids, size=args.queries, replace=False)]
        lists = [int(p) for p in rng.choice(playlists, size=args.queries, replace=False)]
        similar_tracks(ctx, queries[0], 10, "audio", spaces=spaces)  # warm caches
        out = {
            "tracks": args.tracks, "dim": args.dim, "load": os.getloadavg(),
            "index_only": timed(lambda q: audio.neighbours(q, 10), [(q,) for q in queries]),
            "similar": timed(lambda q: similar_tracks(ctx, q, 10, "audio", spaces=spaces),
                             [(q,) for q in queries]),
            "similar_variety": timed(
                lambda q: similar_tracks(ctx, q, 10, "audio", variety=True, spaces=spaces),
                [(q,) for q in queries]),
            "suggest": timed(lambda p: suggest_tracks(ctx, p, 10, "audio", spaces=spaces),
                             [(p,) for p in lists]),
            "radio_close": timed(lambda q: radio_tracks(ctx, q, 20, "close", spaces=spaces),
                                 [(q,) for q in queries[:10]]),
            "radio_drift": timed(lambda q: radio_tracks(ctx, q, 20, "drift", spaces=spaces),
                                 [(q,) for q in queries[:10]]),
        }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2), encoding="utf-8")
    for key, value in out.items():
        if isinstance(value, dict):
            print(f"{key:<16} median {value['median_s'] * 1000:7.1f} ms   p90 "
                  f"{value['p90_s'] * 1000:7.1f} ms   ({value['n']} calls)")
    print(f"load average {out['load'][0]:.1f}; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
