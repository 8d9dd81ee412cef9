"""What each part of the recipe is worth: the model with one thing changed at a time.

Run: ``.venv/bin/python bench/graph_ablations.py [--settings spotify,spotify-playlists]
[--mode test] [--seeds 500,501,502] [--only NAME,...] [--threads 1]``.

Same splits and evaluation as ``bench/graph_bench.py`` (protocol 3; reporting seeds by
default — no choice is made from this table, it only says what each part is worth). Every
run is appended to ``bench/results/graph_runs.jsonl`` as method ``ablation:<name>``; runs
already there for the same seed and configuration are reused (also the ``model`` and ``k0``
runs of ``bench/graph_bench.py``: the same configurations). Prints one table per setting and
writes ``bench/results/graph_ablations.json``. A variant for which validation joined the
two-hop part on some seed also gets the row "<variant>, no two-hop part": the same trained
models scored before the part is joined (``run_model``'s ``without_two_hop``); likewise
"<variant>, no co-member view" where validation mixed the view in on some seed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_files import read_marker, write_json  # noqa: E402
from graph_bench import config_hash  # noqa: E402
from graph_common import (HEADER, REPORT_SEEDS, RESULTS, SETTINGS, TUNING_SEEDS,  # noqa: E402
                          TrainConfig, load_setting, machine_load, make_split, merged_settings,
                          name_list, read_runs, record, refuse,
                          require_results_file, row, run_model, seed_list, set_threads,
                          summarise, thread_count)

#: the name this bench writes into its results file (another bench's file is refused)
BENCH = "graph_ablations"

#: name -> TrainConfig changes (on top of the defaults)
VARIANTS = {
    "defaults": {},
    "no graph layers (K=0)": {"layers": 0},
    "no popularity correction": {"popularity_correction": False},
    "known co-members as negatives": {"mask_known": False},
    "no learned context vectors": {"context_vectors": False},
    "context vectors from zero": {"context_init": "zero"},
    "no skip connection": {"skip": False},
    "positive's membership visible": {"hide_positive": False},
    "pair edges kept in blocks": {"drop_pair_edges": False},
    "hinge loss (margin 0.2)": {"objective": "hinge"},
    "no unit-length layer outputs": {"normalize": False},
}


#: a variant's own runs scored before the two-hop part is joined (no extra training)
WITHOUT_TWO_HOP = ", no two-hop part"
#: ... and before the co-member view is mixed in (``run_model``'s ``comember.without``)
WITHOUT_COMEMBER = ", no co-member view"

#: the graph_bench methods that ran the same configuration
BENCH_NAMES = {"defaults": ("model",), "no graph layers (K=0)": ("k0",)}


def chosen_variants(only: str | None) -> dict[str, dict]:
    """The variants ``--only`` names (by prefix; all without it). A name that matches none is
    refused before anything runs: it ran nothing and wrote an empty table over the file."""
    if not only:
        return VARIANTS
    wanted = [w.strip() for w in only.split(",") if w.strip()]
    for w in wanted:
        if not any(name.startswith(w) for name in VARIANTS):
            refuse(f"unknown variant {w}: choose from {', '.join(VARIANTS)}")
    return {name: changes for name, changes in VARIANTS.items()
            if any(name.startswith(w) for w in wanted)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--settings", default="spotify,spotify-playlists",
                    type=name_list(SETTINGS, "setting"))
    ap.add_argument("--mode", default="test", choices=["val", "test"])
    ap.add_argument("--seeds", default=None, type=seed_list)
    ap.add_argument("--only", default=None, help="comma list of variant names (prefixes)")
    ap.add_argument("--threads", type=thread_count, default=1)
    ap.add_argument("--out", type=Path, default=RESULTS / "graph_ablations.json",
                    help="settings already in it are kept; those run now are replaced")
    args = ap.parse_args(argv)
    variants = chosen_variants(args.only)
    require_results_file(args.out, BENCH)
    old_mode = read_marker(args.out).get("mode", args.mode)
    if old_mode != args.mode:
        refuse(f"{args.out} holds {old_mode}-mode ablations: pass --out FILE for "
               f"{args.mode}-mode ones")
    set_threads(args.threads)
    seeds = args.seeds or (REPORT_SEEDS if args.mode == "test" else TUNING_SEEDS)
    out: dict = {"bench": BENCH, "mode": args.mode, "seeds": seeds, "settings": {}}
    for setting in args.settings:
        data, contexts = load_setting(setting)
        block = {}
        for name, changes in variants.items():
            config = TrainConfig().with_(**changes, threads=args.threads)
            key, method = config_hash(config), f"ablation:{name}"
            runs = []
            for seed in seeds:
                old = [r for r in read_runs() if (r["setting"], r["mode"], r["seed"],
                       r.get("config_hash")) == (setting, args.mode, seed, key)
                       and r["method"] in (method, *BENCH_NAMES.get(name, ()))]
                if old:
                    runs.append(old[-1])
                    continue
                r = run_model(data, contexts, make_split(data, seed, args.mode),
                              config.with_(seed=seed))
                runs.append(record(setting, method, args.mode, seed, r, config_hash=key,
                                   changes=changes))
                print(f"  [{setting}] {name} seed {seed}: HR@10 {r['graph']['hr@10']:.4f} "
                      f"(load {machine_load()})", flush=True)
            block[name] = summarise(runs)
            for suffix, without in ((WITHOUT_TWO_HOP, _without_two_hop),
                                    (WITHOUT_COMEMBER, _without_view)):
                if any(without(r["result"]) for r in runs):
                    block[f"{name}{suffix}"] = summarise(
                        [{**r, "result": {**r["result"], **without(r["result"])}}
                         for r in runs])
        out["settings"][setting] = block
        print(f"\n== {setting}: ablations, protocol 3, {args.mode} seeds "
              f"{','.join(map(str, seeds))} (mean ± std) ==\n{HEADER}")
        for name, agg in block.items():
            print(row(name, agg))
        write_json(args.out, merged_settings(args.out, out))


def _without_two_hop(result: dict) -> dict:
    """A run's figures before the two-hop part was joined ({}: validation left it out, the
    run's own figures stand)."""
    joined = (result.get("two_hop") or {}).get("gamma")
    return result["without_two_hop"] if joined else {}


def _without_view(result: dict) -> dict:
    """A run's figures before the co-member view was mixed in ({}: validation left it out)."""
    view = result.get("comember") or {}
    return (view.get("without") or {}) if view.get("weight") else {}


if __name__ == "__main__":
    main()
