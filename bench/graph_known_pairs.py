"""Pairs whose target the query already knows: a diagnostic of protocol 3's filtered ranking.

Filtered ranking (docs/protocol.md, step 4) removes the query's *known* co-members from the
candidates — the tracks that share a training playlist with it — but the target always stays.
When the target is itself a known co-member (it sits in another training playlist with the
query), it is the one candidate left that has ever been seen next to the query. A scorer that
puts "seen next to the query" first then ranks it first, whatever else it knows. How many pairs
are like that depends on the data set, not on the model: how much its contexts overlap.

For each setting this script prints the share of such *known-target* pairs and each method's
overall HR@10 on them and on the others (the *new* pairs, where the target has never been next
to the query in a training playlist — the question the protocol means to ask; the evaluation
JSON's ``new_pairs``). Nothing here is a choice: it splits figures the benchmarks already
report.

Run (reporting seeds, to split the README's figures; validation seeds work as well)::

    .venv/bin/python bench/graph_known_pairs.py --settings cora,movielens,spotify \
        --methods itemknn,ease,model [--mode test --seeds 400,401,402]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graph_bench import trained_scores  # noqa: E402
from graph_common import REPORT_SEEDS, load_setting, make_split, set_threads  # noqa: E402
from musicsage.graph.evaluate import rank_pairs  # noqa: E402


def split_hits(setting: str, method: str, seed: int, mode: str) -> dict[str, float]:
    """Overall HR@10 of ``method`` on one split, on known-target pairs and on new ones."""
    data, contexts = load_setting(setting)
    split = make_split(data, seed, mode)
    scores = trained_scores(method, setting, data, contexts, split, seed)
    ranks = rank_pairs(scores, split, data.n_tracks, data.n_playlists)
    hit, known = ranks["overall"] <= 10, ranks["pairs_known"]
    return {"share": float(known.mean()), "all": float(hit.mean()),
            "known": float(hit[known].mean()) if known.any() else float("nan"),
            "new": float(hit[~known].mean())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--settings", default="cora,movielens,spotify")
    ap.add_argument("--methods", default="itemknn,ease,model")
    ap.add_argument("--mode", default="test", choices=["val", "test"])
    ap.add_argument("--seeds", default=",".join(map(str, REPORT_SEEDS)))
    args = ap.parse_args()
    set_threads(1)
    print("setting     method    known-target share | HR@10 all / known / new "
          "(mean over seeds)")
    for setting in args.settings.split(","):
        for method in args.methods.split(","):
            runs = [split_hits(setting, method, int(s), args.mode) for s in args.seeds.split(",")]
            mean = {k: float(np.mean([r[k] for r in runs])) for k in runs[0]}
            print(f"{setting:<11} {method:<9} {mean['share']:18.3f} | {mean['all']:.3f} / "
                  f"{mean['known']:.3f} / {mean['new']:.3f}", flush=True)


if __name__ == "__main__":
    main()
