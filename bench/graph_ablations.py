"""Why the recipe is what it is: PinSage with one thing changed at a time, plus the baselines.

Run: ``.venv/bin/python bench/graph_ablations.py [--seeds 1] [--threads 1] [--only NAME,...]``.
Same splits and evaluation as bench/graph_bench.py (spotify_songs, filtered protocol).
Prints one table and writes bench/results/graph_ablations.json.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graph_common import (HEADER, audio_row, machine_load, row, run_embedding_fn,  # noqa: E402
                          run_pinsage, set_threads, summarise, write_json)

ALL = ("playlist", "album", "artist")

#: name -> (contexts, TrainConfig changes)
VARIANTS = {
    "pinsage (default)": (ALL, {}),
    "no skip connection": (ALL, {"skip": False}),
    "no normalisation": (ALL, {"normalize": False}),
    "hinge (margin 0.2) not InfoNCE": (ALL, {"objective": "hinge"}),
    "no learned context vectors": (ALL, {"context_vectors": False}),
    "no graph layers (K=0)": (ALL, {"layers": 0}),
    "positive's membership visible": (ALL, {"hide_positive": False}),
    "pair edges kept in blocks": (ALL, {"drop_pair_edges": False}),
    "more neighbours (k=25, 60 walks)": (ALL, {"num_neighbors": 25, "num_walks": 60}),
    "contexts: playlist only": (("playlist",), {}),
    "playlist only, no skip connection": (("playlist",), {"skip": False}),
    "playlist only, no context vectors": (("playlist",), {"context_vectors": False}),
    "playlist only, no graph layers (K=0)": (("playlist",), {"layers": 0}),
    "contexts: playlist+artist": (("playlist", "artist"), {}),
    "contexts: album+artist (no playlist)": (("album", "artist"), {}),
}


def main() -> None:
    from datasets import RESULTS, spotify_songs_dir
    from graph_baselines import BASELINES
    from musicsage.graph.data import GraphData
    from musicsage.graph.config import TrainConfig

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", default=None, help="comma list of variant names (prefixes)")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    set_threads(args.threads)
    data = GraphData.from_dataset_dir(spotify_songs_dir())
    log = lambda msg: print(msg, flush=True)  # noqa: E731
    wanted = [w.strip() for w in args.only.split(",")] if args.only else None
    out_path = args.out or RESULTS / "graph_ablations.json"
    results: dict = {"threads": args.threads, "seeds": args.seeds, "variants": {}}
    for name, (contexts, changes) in VARIANTS.items():
        if wanted and not any(name.startswith(w) for w in wanted):
            continue
        config = TrainConfig().with_(**changes)
        runs = []
        for seed in range(args.seeds):
            log(f"[{name}] seed {seed} (load {machine_load()})")
            runs.append(run_pinsage(data, seed, contexts, config))
            r = runs[-1]
            log(f"  HR@10 {r['graph']['hr@10']:.4f} MRR {r['graph']['mrr']:.4f} cold "
                f"{r['cold_start']['graph']['hr@10']:.4f} steps {r['steps']} "
                f"{r['train_seconds']:.0f}s")
        results["variants"][name] = summarise(runs) | {"contexts": list(contexts),
                                                       "changes": changes}
        write_json(out_path, results)
    if not args.no_baselines:
        for contexts in (ALL, ("playlist",)):
            for bname, fn in BASELINES.items():
                name = f"baseline {bname} ({','.join(contexts)})"
                if wanted and not any(name.startswith(w) for w in wanted):
                    continue
                runs = [run_embedding_fn(data, seed, contexts, fn) for seed in range(args.seeds)]
                results["variants"][name] = summarise(runs) | {"contexts": list(contexts)}
                log(f"[{name}] HR@10 {results['variants'][name]['graph']['hr@10']:.4f}")
                write_json(out_path, results)
    log(f"\n== ablations on spotify_songs ({args.seeds} seed(s), mean±std) ==")
    log(HEADER)
    first = next(iter(results["variants"].values()), None)
    if first:
        log(audio_row(first))
    for name, agg in results["variants"].items():
        log(row(name, agg))
    log(f"wrote {out_path}")


if __name__ == "__main__":
    main()
