"""Model variants on validation splits of the tuning seeds: how every default was chosen.

Run: ``.venv/bin/python bench/graph_tune.py --variants default,k0 [--settings spotify]
[--mode val] [--seeds 0,1,2] [--set key=value ...]``. Each (variant, setting, seed) run is
appended to ``bench/results/graph_runs.jsonl``; ``--table`` prints the mean ± std of every
(setting, method, mode) recorded so far instead of running anything.

A variant is a set of ``TrainConfig.with_`` changes on top of the current defaults
(``--set`` adds ad-hoc ones; the method is then recorded as ``variant+key=value``). The
variants kept in :data:`VARIANTS` are the ones docs/model.md discusses. ``--table --mode val``
(or ``test``) prints the runs of that mode only.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graph_common import (HEADER, RUNS, SETTINGS, TUNING_SEEDS, TrainConfig,  # noqa: E402
                          load_setting, machine_load, make_split, name_list, read_runs, record,
                          refuse, row, run_model, seed_list, set_threads, summarise,
                          thread_count)

#: name -> TrainConfig changes (on top of the defaults)
VARIANTS: dict[str, dict] = {
    "default": {},
    "k0": {"layers": 0},
    "k1": {"layers": 1},
    "no-skip": {"skip": False},
    "no-normalize": {"normalize": False},
    "hinge": {"objective": "hinge"},
    "no-context-vectors": {"context_vectors": False},
    "positive-visible": {"hide_positive": False},
    "pair-edges-kept": {"drop_pair_edges": False},
}


def parse_value(text: str):
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return {"true": True, "false": False, "none": None}.get(text.lower(), text)


def parse_sets(items: list[str]) -> dict:
    out = {}
    for item in items:
        key, _, value = item.partition("=")
        out[key.strip()] = parse_value(value.strip())
    return out


def checked_changes(variants: list[str], items: list[str], threads: int) -> dict[str, dict]:
    """variant -> its ``TrainConfig`` changes with ``--set``'s ``items`` on top, each value
    checked as ``musicsage train --set`` checks it, before the data set is loaded: an unknown
    option or a value of the wrong kind was a traceback after the load (``dropout=abc`` a
    TypeError). ``seed``/``threads`` are this script's ``--seeds``/``--threads``."""
    from musicsage.errors import MusicsageError
    from musicsage.graph.config import parse_options

    for item in items:
        key = item.partition("=")[0].strip()
        if key in ("seed", "threads"):
            refuse(f"--set {key}: give --{key}{'s' if key == 'seed' else ''} instead")
    try:
        extra = parse_options(items)
        out = {v: {**VARIANTS[v], **extra, "threads": threads} for v in variants}
        for changes in out.values():
            TrainConfig().with_(**changes)
    except MusicsageError as exc:
        refuse(str(exc))
    return out


def print_table(mode: str | None = None) -> None:
    groups: dict[tuple, list] = defaultdict(list)
    for r in read_runs():
        if mode is None or r["mode"] == mode:
            groups[(r["setting"], r["mode"], r["method"])].append(r)
    if not groups:  # a fresh checkout: bench/results/ is not in the repository
        runs = f"{mode} runs" if mode else "runs"
        print(f"no {runs} recorded in {RUNS} yet: run this script, graph_bench.py or "
              "graph_ablations.py first", file=sys.stderr)
        return
    last = None
    for (setting, m, method), runs in sorted(groups.items()):
        if (setting, m) != last:
            print(f"\n== {setting} ({m}) ==\n{HEADER}")
            last = (setting, m)
        agg = summarise(runs)
        if method == "audio":
            print(row("audio-only", agg, "audio"))
        else:
            print(row(method, agg))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", default="default", type=name_list(VARIANTS, "variant"))
    ap.add_argument("--settings", default="spotify", type=name_list(SETTINGS, "setting"))
    ap.add_argument("--mode", default=None, choices=["val", "test", "all"],
                    help="runs: val (default) or test; --table: all (default), val or test")
    ap.add_argument("--seeds", default=",".join(map(str, TUNING_SEEDS)), type=seed_list)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--name", default=None, help="record under this method name")
    ap.add_argument("--threads", type=thread_count, default=1)
    ap.add_argument("--table", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    if args.table:
        print_table(None if args.mode in (None, "all") else args.mode)
        return
    if args.mode == "all":
        refuse("--mode all is for --table; a run is in mode val or test")
    args.mode = args.mode or "val"
    variant_changes = checked_changes(args.variants, args.set, args.threads)
    set_threads(args.threads)
    suffix = "".join(f"+{k}={v}" for k, v in parse_sets(args.set).items())  # as named before
    log = (lambda msg: print(msg, flush=True)) if args.verbose else None
    for setting in args.settings:
        data, contexts = load_setting(setting)
        for variant in args.variants:
            changes = variant_changes[variant]
            method = args.name or variant + suffix
            for seed in args.seeds:
                config = TrainConfig().with_(**changes, seed=seed)
                split = make_split(data, seed, args.mode)
                r = run_model(data, contexts, split, config, log=log)
                record(setting, method, args.mode, seed, r, changes=changes)
                print(f"{setting} {method} seed {seed}: HR@10 {r['graph']['hr@10']:.4f} MRR "
                      f"{r['graph']['mrr']:.4f} warm {r['warm']['graph']['hr@10']:.4f} cold "
                      f"{r['cold']['graph']['hr@10']:.4f} steps {r['steps']} (best "
                      f"{r['best_step']}) train {r['train_seconds']:.0f}s embed "
                      f"{r['embed_seconds']:.1f}s cos {r['mean_cos']:.3f} load {machine_load()}"
                      + _comember_note(r), flush=True)


def _comember_note(r: dict) -> str:
    """The co-member weight chosen and the same run's HR@10 without the view."""
    view = r.get("comember")
    if view is None:
        return ""
    without = view.get("without")
    return f" co-member weight {view['weight']:g}" + (
        f" (without: HR@10 {without['graph']['hr@10']:.4f})" if without else "")


if __name__ == "__main__":
    main()
