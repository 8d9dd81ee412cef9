"""Graph model vs audio-only on the demo library, split by the hidden playlist kinds.

Run: ``.venv/bin/python bench/demo_eval.py DATA_DIR [--seeds N] [--first-seed S] [--steps K]
[--audio-model M] [--threads 1]``
where DATA_DIR holds a built demo (``musicsage demo --data-dir DATA_DIR``, or
``bench/demo_pipeline.py --keep DATA_DIR``). For each seed: hold out 10% of the memberships
(docs/protocol.md), train the graph model on the rest, rank the held-out tracks, and report
HR@10/50/100 and MRR for graph and audio-only — overall and per playlist kind (and the new
pairs of each kind, whose target never shared a training playlist with its query) from the demo's
manifest (``scene``/``pair`` playlists follow hidden scenes that audio reveals only partly;
``style``/``mood`` playlists follow what audio hears; ``era`` playlists follow metadata). Also
how well the audio vectors alone find a track's style, artist and scene (precision@10), and the
weight of item-kNN's two-hop part that validation chose with the model's figures without it.
Writes ``bench/results/demo_eval.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from graph_baselines import itemknn_scorer  # noqa: E402
from graph_common import thread_count  # noqa: E402


def precision_at_10(matrix: np.ndarray, labels: np.ndarray) -> float:
    from musicsage.vectors import unit_rows, zscore

    x = unit_rows(zscore(matrix))
    s = x @ x.T
    np.fill_diagonal(s, -np.inf)
    nn = np.argsort(-s, axis=1)[:, :10]
    return float(np.mean(labels[nn] == labels[:, None]))


#: the figures averaged over seeds
SIDES = ("graph", "without_two_hop", "audio", "itemknn")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data_dir")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--first-seed", type=int, default=0, help="seeds S .. S + N - 1")
    ap.add_argument("--steps", type=int, default=None, help="training steps (default: the demo's)")
    ap.add_argument("--audio-model", default=None, help="default: the library's current one")
    ap.add_argument("--threads", type=thread_count, default=1,
                    help="training's torch threads (1: the same seed gives the same figures)")
    args = ap.parse_args(argv)
    from suggest_bench import require_demo

    require_demo(Path(args.data_dir))  # before AppContext.create makes a library there

    import torch

    torch.set_num_threads(2)
    from musicsage.context import AppContext
    from musicsage.demo.library import read_manifest
    from musicsage.graph.data import GraphData
    from musicsage.graph.build import CONTEXT_TYPES
    from musicsage.graph.config import TrainConfig
    from musicsage.graph.evaluate import evaluate, filtered_ranks, known_targets, \
        membership_matrix, metrics_from_ranks
    from musicsage.vectors import zscore
    from musicsage.graph.split import protocol_split
    from musicsage.graph.train import train
    from musicsage.library.db import connect
    from musicsage.usecases.demo import DEMO_TRAIN_STEPS, demo_dir
    from musicsage.usecases.embedding import current_audio_model_id

    ctx = AppContext.create(args.data_dir)
    music = demo_dir(ctx)
    manifest = read_manifest(music)
    if manifest is None:
        raise SystemExit(f"{args.data_dir} holds no built demo (no manifest in {music})")
    conn = connect(ctx)
    model_id = args.audio_model or current_audio_model_id(ctx)
    data = GraphData.from_library(conn, model_id)
    steps = args.steps or DEMO_TRAIN_STEPS

    truth = {(music / t["path"]).as_posix(): t for t in manifest["truth"]["tracks"]}
    kinds = {(music / p["path"]).as_posix(): p["kind"] for p in manifest["truth"]["playlists"]}
    path_of = dict(conn.execute("SELECT id, path FROM tracks").fetchall())
    rows = [truth[path_of[int(i)]] for i in data.track_ids]
    playlist_path = dict(conn.execute("SELECT id, path FROM playlists").fetchall())
    kind_of_playlist = np.array([kinds.get(playlist_path.get(int(k)), "?") for k in data.playlist_keys])

    audio_p10 = {key: precision_at_10(data.features, np.array([r[key] for r in rows]))
                 for key in ("style", "artist", "scene")}

    results = []
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        split = protocol_split(data.memberships, data.n_tracks, seed=seed)
        t0 = time.perf_counter()
        config = TrainConfig().with_(max_steps=steps, seed=seed, threads=args.threads)
        res = train(data, split.train_memberships, config=config)
        emb = res.embed(data)
        ev = evaluate(emb, data.features, split, data.n_tracks, data.n_playlists)
        membership = membership_matrix(split.train_memberships, data.n_tracks, data.n_playlists)
        g = filtered_ranks(emb, split.pairs, membership)
        a = filtered_ranks(zscore(data.features), split.pairs, membership)
        pair_kind = kind_of_playlist[split.pairs.playlists]
        new = ~known_targets(split.pairs, membership)  # the new pairs (docs/protocol.md)

        def block(mask):
            return {"pairs": int(mask.sum()), "graph": metrics_from_ranks(g[mask]),
                    "audio": metrics_from_ranks(a[mask])}

        ev["by_kind"] = {k: dict(block(pair_kind == k), new_pairs=block((pair_kind == k) & new))
                         for k in sorted(set(pair_kind.tolist()))}
        # the strongest simple baseline of bench/graph_baselines.py, on the same split
        knn = evaluate(itemknn_scorer(data, split.train_memberships, CONTEXT_TYPES, seed),
                       data.features, split, data.n_tracks, data.n_playlists)
        ev["itemknn"], ev["itemknn_new_pairs"] = knn["graph"], knn["new_pairs"]["graph"]
        ev["train_seconds"] = round(time.perf_counter() - t0, 1)
        ev["steps"], ev["best_step"], ev["seed"] = res.steps, res.best_step, seed
        ev["two_hop_gamma"], ev["without_two_hop"] = res.two_hop_gamma, ev["graph"]
        if res.two_hop is not None:
            res.two_hop = None
            ev["without_two_hop"] = evaluate(res.embed(data), data.features, split,
                                             data.n_tracks, data.n_playlists)["graph"]
        results.append(ev)

    def fmt(m: dict) -> str:
        return " ".join(f"{k} {m[k]:.3f}" for k in ("hr@10", "hr@50", "hr@100", "mrr"))

    print(f"demo eval: {data.n_tracks} tracks, {data.n_playlists} playlists, "
          f"{len(data.memberships)} memberships, audio model {model_id}, {steps} steps max")
    print("audio-only precision@10 of style / artist / scene: "
          + " / ".join(f"{audio_p10[k]:.2f}" for k in ("style", "artist", "scene")))
    for ev in results:
        print(f"seed {ev['seed']}: {ev['pairs']} pairs, {ev['steps']} steps (best "
              f"{ev['best_step']}), {ev['train_seconds']} s")
        print(f"  graph  {fmt(ev['graph'])} (two-hop weight {ev['two_hop_gamma']:g}; without "
              f"it HR@10 {ev['without_two_hop']['hr@10']:.3f})")
        print(f"  audio  {fmt(ev['audio'])}")
        print(f"  item-kNN {fmt(ev['itemknn'])}")
        print(f"  new pairs ({ev['new_pairs']['pairs']}): HR@10 graph "
              f"{ev['new_pairs']['graph']['hr@10']:.3f} audio {ev['new_pairs']['audio']['hr@10']:.3f}"
              f" item-kNN {ev['itemknn_new_pairs']['hr@10']:.3f}")
        for k, v in ev["by_kind"].items():
            n = v["new_pairs"]
            new = (f"; new pairs ({n['pairs']}) graph {n['graph']['hr@10']:.2f} audio "
                   f"{n['audio']['hr@10']:.2f}" if n["pairs"] else "; no new pairs")
            print(f"  {k:<6} ({v['pairs']:3d} pairs) HR@10 graph {v['graph']['hr@10']:.2f} "
                  f"audio {v['audio']['hr@10']:.2f}{new}")
    mean = {side: {k: float(np.mean([ev[side][k] for ev in results])) for k in results[0][side]}
            for side in SIDES}
    std = {side: {k: float(np.std([ev[side][k] for ev in results])) for k in results[0][side]}
           for side in SIDES}
    print(f"mean over {len(results)} seeds: graph {fmt(mean['graph'])}")
    print(f"{'':>{len(f'mean over {len(results)} seeds: ')}}without the two-hop part "
          f"{fmt(mean['without_two_hop'])}")
    print(f"{'':>{len(f'mean over {len(results)} seeds: ')}}audio {fmt(mean['audio'])}")
    print(f"{'':>{len(f'mean over {len(results)} seeds: ')}}item-kNN {fmt(mean['itemknn'])}")
    out = REPO / "bench" / "results" / "demo_eval.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"audio_model": model_id, "steps": steps, "audio_p10": audio_p10,
                               "mean": mean, "std": std, "seeds": results}, indent=1))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
