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

``--mrr`` splits the overall MRR the same way, with the new pairs split once more into warm
targets (still in another training playlist) and cold ones (in none), and prints what each
kind adds to the overall figure (its share of the pairs × its MRR). A known target ranks at or
near the top for almost any method, so a few per cent of the pairs can carry half of an
MRR; this says how much a target on the overall MRR asks of the pairs that are not known.

Run (reporting seeds, to split the README's figures; validation seeds work as well)::

    .venv/bin/python bench/graph_known_pairs.py --settings cora,movielens,spotify \
        --methods itemknn,ease,model [--mode test --seeds 500,501,502] [--mrr]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graph_bench import METHODS, trained_scores  # noqa: E402
from graph_common import (REPORT_SEEDS, SETTINGS, load_setting, make_split,  # noqa: E402
                          name_list, seed_list, set_threads)
from musicsage.graph.evaluate import rank_pairs  # noqa: E402

#: the pair kinds ``--mrr`` splits the overall MRR into
KINDS = ("known", "new warm", "new cold")


def overall_ranks(setting: str, method: str, seed: int, mode: str) -> dict[str, np.ndarray]:
    """``method`` trained on one split; its overall ranks and which pairs are which."""
    data, contexts = load_setting(setting)
    split = make_split(data, seed, mode)
    scores = trained_scores(method, setting, data, contexts, split, seed)
    return rank_pairs(scores, split, data.n_tracks, data.n_playlists)


def split_hits(ranks: dict[str, np.ndarray]) -> dict[str, float]:
    """Overall HR@10 on one split, on known-target pairs and on new ones."""
    hit, known = ranks["overall"] <= 10, ranks["pairs_known"]
    return {"share": float(known.mean()), "all": float(hit.mean()),
            "known": float(hit[known].mean()) if known.any() else float("nan"),
            "new": float(hit[~known].mean())}


def split_mrr(ranks: dict[str, np.ndarray]) -> dict[str, float]:
    """Overall MRR on one split, and per kind of pair its share, MRR and HR@10 (``KINDS``)."""
    known, warm = ranks["pairs_known"], ranks["pairs_warm"]
    masks = {"known": known, "new warm": ~known & warm, "new cold": ~known & ~warm}
    reciprocal, hit = 1.0 / ranks["overall"], ranks["overall"] <= 10
    out = {"mrr": float(reciprocal.mean()), "hr@10": float(hit.mean())}
    for kind, mask in masks.items():
        out[f"{kind} share"] = float(mask.mean())
        out[f"{kind} mrr"] = float(reciprocal[mask].mean()) if mask.any() else 0.0
        out[f"{kind} hr@10"] = float(hit[mask].mean()) if mask.any() else 0.0
    return out


def mean_over_seeds(runs: list[dict[str, float]]) -> dict[str, float]:
    """Each figure of one split's dict, averaged over the seeds' dicts."""
    return {k: float(np.mean([r[k] for r in runs])) for k in runs[0]}


def print_mrr_table(setting: str, method: str, runs: list[dict[str, float]]) -> None:
    """One line per kind: share, MRR and HR@10 on those pairs, and what they add to the
    overall MRR (share × MRR) — means over the seeds."""
    mean = mean_over_seeds(runs)
    print(f"{setting} / {method}: overall MRR {mean['mrr']:.4f}, HR@10 {mean['hr@10']:.4f}")
    for kind in KINDS:
        share, mrr = mean[f"{kind} share"], mean[f"{kind} mrr"]
        adds = float(np.mean([r[f"{kind} share"] * r[f"{kind} mrr"] for r in runs]))
        print(f"  {kind:<9} share {share:.3f}  MRR {mrr:.4f}  HR@10 "
              f"{mean[f'{kind} hr@10']:.4f}  adds {adds:.4f} to the overall MRR", flush=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--settings", default="cora,movielens,spotify",
                    type=name_list(SETTINGS, "setting"))
    ap.add_argument("--methods", default="itemknn,ease,model", type=name_list(METHODS, "method"))
    ap.add_argument("--mode", default="test", choices=["val", "test"])
    ap.add_argument("--seeds", default=",".join(map(str, REPORT_SEEDS)), type=seed_list)
    ap.add_argument("--mrr", action="store_true",
                    help="split the overall MRR by kind of pair (module doc)")
    args = ap.parse_args(argv)
    set_threads(1)
    if not args.mrr:
        print("setting     method    known-target share | HR@10 all / known / new "
              "(mean over seeds)")
    for setting in args.settings:
        for method in args.methods:
            ranks = [overall_ranks(setting, method, seed, args.mode) for seed in args.seeds]
            if args.mrr:
                print_mrr_table(setting, method, [split_mrr(r) for r in ranks])
                continue
            mean = mean_over_seeds([split_hits(r) for r in ranks])
            print(f"{setting:<11} {method:<9} {mean['share']:18.3f} | {mean['all']:.3f} / "
                  f"{mean['known']:.3f} / {mean['new']:.3f}", flush=True)


if __name__ == "__main__":
    main()
