"""PinSage vs audio-only (and the two baselines) on spotify_songs, filtered protocol, N seeds.

Run: ``.venv/bin/python bench/graph_bench.py [--seeds 3] [--threads 2] [--no-baselines]
[--settings all,playlist]``. Prints one table per context setting (mean ± std over seeds,
cold-start subset graph/audio, mean pairwise cosine, train time) and the issue's targets with
PASS/FAIL, and writes bench/results/graph_bench.json.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graph_common import (HEADER, audio_row, machine_load, row, run_embedding_fn,  # noqa: E402
                          run_pinsage, set_threads, std_ratio, summarise, write_json)

SETTINGS = {"all": ("playlist", "album", "artist"), "playlist": ("playlist",)}
TARGETS = {"all": {"hr@10": 0.20, "mrr": 0.09}, "playlist": {"hr@10": 0.025, "mrr": 0.015}}


def main() -> None:
    from datasets import RESULTS, spotify_songs_dir
    from graph_baselines import BASELINES
    from musicsage.graph.data import GraphData
    from musicsage.graph.config import TrainConfig

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--settings", default="all,playlist")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--max-steps", type=int, default=None)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    set_threads(args.threads)
    data = GraphData.from_dataset_dir(spotify_songs_dir())
    config = TrainConfig() if args.max_steps is None else TrainConfig().with_(max_steps=args.max_steps)
    log = lambda msg: print(msg, flush=True)  # noqa: E731
    log(f"spotify_songs: {data.n_tracks} tracks, {data.n_playlists} playlists, "
        f"{len(data.memberships)} memberships; threads={args.threads}; load {machine_load()}")
    results: dict = {"threads": args.threads, "config": config.to_dict(), "settings": {}}
    failures = []
    for setting in args.settings.split(","):
        contexts = SETTINGS[setting]
        block: dict = {}
        runs = []
        for seed in range(args.seeds):
            log(f"[{setting}] PinSage seed {seed} (load {machine_load()})")
            r = run_pinsage(data, seed, contexts, config, log=log)
            log(f"  HR@10 {r['graph']['hr@10']:.4f} MRR {r['graph']['mrr']:.4f} cold "
                f"{r['cold_start']['graph']['hr@10']:.4f} (audio {r['audio']['hr@10']:.4f}) "
                f"train {r['train_seconds']:.0f}s ({r['steps']} steps, best {r['best_step']}) "
                f"embed {r['embed_seconds']:.1f}s cos {r['mean_cos']:.3f}")
            runs.append(r)
        block["pinsage"] = summarise(runs)
        if not args.no_baselines:
            for name, fn in BASELINES.items():
                bruns = []
                for seed in range(args.seeds):
                    t0 = time.perf_counter()
                    bruns.append(run_embedding_fn(data, seed, contexts, fn))
                    log(f"[{setting}] {name} seed {seed}: HR@10 "
                        f"{bruns[-1]['graph']['hr@10']:.4f} ({time.perf_counter() - t0:.0f}s)")
                block[name] = summarise(bruns)
        results["settings"][setting] = block

        p = block["pinsage"]
        log(f"\n== contexts: {','.join(contexts)}  ({args.seeds} seeds, mean±std) ==")
        log(HEADER)
        log(audio_row(p))
        for name, agg in block.items():
            log(row(name, agg))
        t = TARGETS[setting]
        cold_ok = all(r["cold_start"]["graph"][k] >= r["cold_start"]["audio"][k]
                      for r in p["runs"] for k in ("hr@10", "mrr"))
        checks = [
            (f"HR@10 >= {t['hr@10']}", p["graph"]["hr@10"] >= t["hr@10"]),
            (f"MRR >= {t['mrr']}", p["graph"]["mrr"] >= t["mrr"]),
            ("cold start >= audio-only (every seed, HR@10 and MRR)", cold_ok),
            ("std(HR@10) <= 20% of mean", std_ratio(p) <= 0.2),
            ("train <= 600 s (mean)", p["train_seconds"] <= 600),
            ("embed all tracks <= 30 s (mean)", p["embed_seconds"] <= 30),
        ]
        if "crude" in block:
            checks.append(("beats the crude model (HR@10 and MRR)",
                           p["graph"]["hr@10"] > block["crude"]["graph"]["hr@10"]
                           and p["graph"]["mrr"] > block["crude"]["graph"]["mrr"]))
        for name, ok in checks:
            log(f"  {'PASS' if ok else 'FAIL'}  {name}")
            if not ok:
                failures.append(f"{setting}: {name}")
        log(f"  std/mean HR@10 = {std_ratio(p):.3f}; mean pairwise cosine = {p['mean_cos']:.3f};"
            f" train {p['train_seconds']:.0f}±{p['std']['train_seconds']:.0f} s,"
            f" {p['seconds_per_step']:.3f} s/step; embed {p['embed_seconds']:.1f} s;"
            f" load {machine_load()}\n")
    results["failures"] = failures
    out = args.out or RESULTS / "graph_bench.json"
    write_json(out, results)
    log(f"wrote {out}")


if __name__ == "__main__":
    main()
