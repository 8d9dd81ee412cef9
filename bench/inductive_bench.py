"""New tracks embedded by the saved graph model, without retraining: how long, and how close
their neighbours come to those of a full retrain.

    .venv/bin/python bench/inductive_bench.py [--new 1000] [--repeats 3] [--seed 0]
                                              [--max-steps N] [--threads 1] [--quality]

A fresh temporary library imports spotify_songs (~28k tracks, 12 audio descriptors as
features, their playlists, albums and artists; ``bench/datasets.py`` converts
../shared/data/spotify_songs once). ``--new`` tracks chosen at random (seeded) lose their audio
vectors, so the graph model is trained without them (``musicsage train``'s defaults, or
``--max-steps``); then their vectors come back, newer than the model — exactly what a scan and
an embed of new music leave — and :func:`musicsage.usecases.inductive.embed_new_tracks`
(what ``embed`` runs after the audio) is timed ``--repeats`` times (its file removed between
runs), plus once more with nothing left to do.

``--quality`` then retrains on the whole library twice (seeds ``--seed`` and ``--seed`` + 1)
and compares each new track's 10 nearest neighbours: inductive vectors vs each retrain (the
first shares the inductive model's seed, so its initial weights), next to two references —
the two retrains against each other (what a retrain itself varies) and audio only (z-scored
features). Overlap@10 = shared neighbours / 10, mean over the new tracks.

Writes ``bench/results/inductive_bench.json``; prints the medians and ``uptime``'s load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

RESULTS = REPO / "bench" / "results"
K = 10


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def hold_back(conn, model_id: str, n: int, seed: int):
    """Remove the audio vectors of ``n`` random tracks; returns [(track id, vector)]."""
    from musicsage.library.db import transaction
    from musicsage.library.queries import delete_embeddings, get_embeddings

    ids, matrix = get_embeddings(conn, model_id)
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(len(ids), size=n, replace=False))
    with transaction(conn):
        for r in rows:
            delete_embeddings(conn, int(ids[r]))
    return [(int(ids[r]), matrix[r]) for r in rows]


def bring_back(conn, model_id: str, version: str, held) -> None:
    from musicsage.library.db import transaction
    from musicsage.library.queries import store_embeddings

    with transaction(conn):
        store_embeddings(conn, held, model_id, version)


def top_k(ids: np.ndarray, matrix: np.ndarray, queries) -> dict:
    """Each query's K nearest track ids (cosine, itself left out) in (ids, matrix)."""
    from musicsage.vectors import unit_rows

    m = unit_rows(matrix.astype(np.float32))
    row = {int(t): i for i, t in enumerate(ids.tolist())}
    out = {}
    for lo in range(0, len(queries), 256):
        chunk = queries[lo:lo + 256]
        q = m[[row[t] for t in chunk]]
        scores = q @ m.T
        for j, t in enumerate(chunk):
            scores[j, row[t]] = -np.inf
        best = np.argpartition(-scores, K, axis=1)[:, :K]
        for j, t in enumerate(chunk):
            out[t] = set(ids[best[j]].tolist())
    return out


def overlap(a: dict, b: dict) -> float:
    return float(np.mean([len(a[t] & b[t]) / K for t in a]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--new", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-steps", type=int, default=None)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--quality", action="store_true")
    ap.add_argument("--dataset", type=Path, default=None, help="a dataset dir (default: "
                    "spotify_songs, converted by bench/datasets.py)")
    args = ap.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    from datasets import spotify_songs_dir

    from musicsage.context import AppContext
    from musicsage.graph.store import load_embeddings
    from musicsage.library.db import connect
    from musicsage.library.queries import get_embeddings
    from musicsage.usecases.graph_vectors import inductive_path, read_inductive, with_inductive
    from musicsage.usecases.inductive import embed_new_tracks
    from musicsage.usecases.library import import_dataset, library_stats
    from musicsage.usecases.training import current_graph_model, train_graph
    from musicsage.vectors import zscore

    dataset = args.dataset or spotify_songs_dir()
    out: dict = {"dataset": str(dataset), "new": args.new, "seed": args.seed,
                 "threads": args.threads, "max_steps": args.max_steps,
                 "load_before": load_average()}
    with tempfile.TemporaryDirectory(prefix="inductive-bench-") as tmp:
        ctx = AppContext.create(Path(tmp) / "data")
        rep = import_dataset(ctx, dataset)
        conn = connect(ctx)
        model_id = rep.audio_model
        version = conn.execute("SELECT model_version FROM audio_embeddings WHERE model_id = ?"
                               " LIMIT 1", (model_id,)).fetchone()[0]
        held = hold_back(conn, model_id, args.new, args.seed)
        new_ids = [t for t, _ in held]
        t0 = time.perf_counter()
        train_graph(ctx, seed=args.seed, max_steps=args.max_steps)
        out["train_seconds"] = round(time.perf_counter() - t0, 1)
        info = current_graph_model(ctx)
        out["tracks"] = int(info.params.get("tracks", 0)) + args.new
        time.sleep(0.01)  # the returning vectors are newer than the model, as after a scan
        bring_back(conn, model_id, version, held)
        out["unseen"] = library_stats(ctx).graph_model["unseen"]
        runs = []
        for _ in range(args.repeats):
            inductive_path(info).unlink(missing_ok=True)
            t0 = time.perf_counter()
            r = embed_new_tracks(ctx)
            runs.append(time.perf_counter() - t0)
            assert r.embedded == args.new and not r.note, r
            print(f"  embedded {r.embedded} new tracks in {runs[-1]:.2f} s", flush=True)
        t0 = time.perf_counter()
        assert embed_new_tracks(ctx).embedded == 0
        out["nothing_to_do_seconds"] = round(time.perf_counter() - t0, 3)
        out["seconds"] = [round(s, 3) for s in runs]
        out["median_seconds"] = round(statistics.median(runs), 3)
        out["load_after_timing"] = load_average()
        print(f"{args.new} new tracks against {out['tracks']} (load {out['load_after_timing']}):"
              f" median {out['median_seconds']:.2f} s over {args.repeats} runs; "
              f"nothing to do: {out['nothing_to_do_seconds']:.3f} s", flush=True)

        if args.quality:
            found = read_inductive(info)
            ind_ids, ind_m = with_inductive(info, *load_embeddings(info))
            assert set(new_ids) <= set(found.track_ids.tolist())
            inductive_nn = top_k(ind_ids, ind_m, new_ids)
            ids, feats = get_embeddings(conn, model_id)
            audio_nn = top_k(ids, zscore(feats), new_ids)
            retrains = []
            for seed in (args.seed, args.seed + 1):
                t0 = time.perf_counter()
                train_graph(ctx, seed=seed, max_steps=args.max_steps)
                print(f"  full retrain (seed {seed}): {time.perf_counter() - t0:.0f} s",
                      flush=True)
                r_ids, r_m = load_embeddings(current_graph_model(ctx))
                retrains.append(top_k(r_ids, r_m, new_ids))
            # the inductive model shares its seed (initial weights) with the first retrain,
            # not with the second: both are reported
            out["overlap@10_vs_retrain"] = {
                "inductive_vs_retrain_same_seed": round(overlap(inductive_nn, retrains[0]), 4),
                "inductive_vs_retrain_other_seed": round(overlap(inductive_nn, retrains[1]), 4),
                "retrain_vs_retrain": round(overlap(retrains[1], retrains[0]), 4),
                "audio_only_vs_retrain": round(overlap(audio_nn, retrains[0]), 4)}
            print("overlap@10 of the new tracks' neighbours (mean): "
                  + ", ".join(f"{k} {v:.3f}" for k, v in out["overlap@10_vs_retrain"].items()))
    out["load_after"] = load_average()
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "inductive_bench.json"
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
