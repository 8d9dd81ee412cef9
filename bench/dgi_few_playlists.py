"""Few playlists: does DGI (alone or as pre-training) beat audio-only and the playlist objective?

Run: ``.venv/bin/python bench/dgi_few_playlists.py [--seeds 3] [--holdout 0.9]
[--contexts playlist,album,artist] [--methods infonce,dgi,dgi-pretrain] [--max-steps N]
[--patience N] [--tag NAME]``.

spotify_songs as a dataset dir (bench/datasets.py), with 90% of the memberships held out
instead of the usual 10% — a library whose owner made few playlists. Every method trains on
the same seeded split (musicsage.graph.jobs.train_and_evaluate, docs/protocol.md)
and is scored on the same held-out pairs:

- ``infonce``: the playlist objective alone (the default TrainConfig);
- ``dgi``: ``--objective dgi`` (self-supervised only; validation HR@10 picks the state);
- ``dgi-pretrain``: ``--pretrain dgi`` then the playlist objective.

Audio-only comes with every run (the z-scored features, same pairs). Prints mean ± std over
seeds and writes ``bench/results/dgi_few_playlists.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path


REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

RESULTS = REPO / "bench" / "results"
METHODS = {"infonce": {}, "dgi": {"objective": "dgi"}, "dgi-pretrain": {"pretrain": "dgi"}}


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def clearly_above(a: dict, a_std: dict, b: dict, b_std: dict) -> bool:
    """a beats b on HR@10 and MRR by more than the seeds' spread (sum of both stds): a win
    inside run-to-run noise is not called a win."""
    return all(a[k] - b[k] > a_std[k] + b_std[k] for k in ("hr@10", "mrr"))


def verdicts(summary: dict, methods: list[str]) -> dict:
    """Per method (not infonce): does it clearly beat audio-only / the playlist objective?"""
    first = summary[methods[0]]
    out = {}
    for method in methods:
        if method == "infonce":
            continue
        agg = summary[method]
        beats_audio = clearly_above(agg["graph"], agg["std"]["graph"], first["audio"],
                                    first["std"]["audio"])
        beats_playlist = None
        if "infonce" in summary:
            ref = summary["infonce"]
            beats_playlist = clearly_above(agg["graph"], agg["std"]["graph"], ref["graph"],
                                           ref["std"]["graph"])
        out[method] = {"beats_audio": beats_audio, "beats_playlist_objective": beats_playlist}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--holdout", type=float, default=0.9)
    ap.add_argument("--contexts", default="playlist,album,artist")
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--max-steps", type=int, default=None)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--patience", type=int, default=None,
                    help="validations without a new best before stopping (default: TrainConfig's)")
    ap.add_argument("--tag", default="", help="suffix of the JSON name (variants side by side)")
    args = ap.parse_args()

    import torch

    from datasets import spotify_songs_dir
    from musicsage.graph.build import parse_contexts
    from musicsage.graph.data import GraphData
    from musicsage.graph.evaluate import aggregate
    from musicsage.graph.jobs import make_config, train_and_evaluate

    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    torch.set_num_threads(args.threads)
    data = GraphData.from_dataset_dir(spotify_songs_dir())
    contexts = parse_contexts(args.contexts)
    methods = [m for m in args.methods.split(",") if m]
    print(f"spotify_songs: {data.n_tracks} tracks, {len(data.memberships)} memberships, "
          f"hold-out {args.holdout:.0%}, contexts {','.join(contexts)}; threads "
          f"{args.threads}; load {load()}", flush=True)
    runs: dict[str, list[dict]] = {m: [] for m in methods}
    for seed in range(args.seeds):
        for method in methods:
            config = make_config(seed=seed, max_steps=args.max_steps, threads=args.threads,
                                 patience=args.patience, **METHODS[method])
            t = time.perf_counter()
            _, metrics, _ = train_and_evaluate(data, contexts=contexts, config=config,
                                               holdout=args.holdout)
            metrics["wall_seconds"] = time.perf_counter() - t
            runs[method].append(metrics)
            g, a = metrics["graph"], metrics["audio"]
            print(f"seed {seed} {method:13s} HR@10 {g['hr@10']:.4f} MRR {g['mrr']:.4f} "
                  f"(audio {a['hr@10']:.4f}/{a['mrr']:.4f}) cold HR@10 "
                  f"{metrics['cold_start']['graph']['hr@10']:.4f} pairs {metrics['pairs']} "
                  f"steps {metrics['steps']} {metrics['wall_seconds']:.0f}s load {load()}",
                  flush=True)

    summary = {}
    for method, rs in runs.items():
        agg = aggregate([{k: v for k, v in r.items() if k not in ("contexts", "objective")}
                         for r in rs])
        summary[method] = agg
    first = summary[methods[0]]
    print(f"\n{'method':22s} {'HR@10':>17s} {'HR@50':>8s} {'HR@100':>8s} {'MRR':>17s} "
          f"{'cold HR@10':>10s} {'train s':>8s}")
    a, sa = first["audio"], first["std"]["audio"]
    print(f"{'audio-only':22s} {a['hr@10']:.4f} ± {sa['hr@10']:.4f} {a['hr@50']:8.4f} "
          f"{a['hr@100']:8.4f} {a['mrr']:.4f} ± {sa['mrr']:.4f} "
          f"{first['cold_start']['audio']['hr@10']:10.4f}")
    for method, agg in summary.items():
        g, s = agg["graph"], agg["std"]["graph"]
        print(f"{method:22s} {g['hr@10']:.4f} ± {s['hr@10']:.4f} {g['hr@50']:8.4f} "
              f"{g['hr@100']:8.4f} {g['mrr']:.4f} ± {s['mrr']:.4f} "
              f"{agg['cold_start']['graph']['hr@10']:10.4f} {agg['train_seconds']:8.0f}")
    verdict = verdicts(summary, methods)
    for method, v in verdict.items():
        print(f"{method}: clearly beats audio-only {v['beats_audio']}, clearly beats the "
              f"playlist objective alone {v['beats_playlist_objective']} (mean difference "
              f"above the sum of both stds, HR@10 and MRR)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"dgi_few_playlists{'_' + args.tag if args.tag else ''}.json"
    path.write_text(json.dumps({"args": vars(args), "summary": summary, "verdict": verdict,
                                "runs": runs}, indent=2, default=float))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
