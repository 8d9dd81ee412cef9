"""Graph model commands: train, eval, models; demo: see demo.py."""

from __future__ import annotations

import argparse
import re
import sys
from contextlib import contextmanager
from typing import Iterator

from musicsage.commands.demo import (  # noqa: F401  registers "demo"; names kept here
    _counted_stages_only, _demo, _window_command)
from musicsage.commands.output import print_json, progress_bars
from musicsage.commands.registry import handler, require_writable
from musicsage.commands.told_commands import on_library
from musicsage.context import AppContext
from musicsage.errors import MusicsageError
from musicsage.text import counted, noun, printable
from musicsage.usecases.kept_model import problem_word
from musicsage.usecases.model_metrics import LEARNED_NOTHING


def _check_objective(args: argparse.Namespace) -> None:
    """``--objective``, refused before any data are read (on a large library ``--objective
    foo`` was refused only once the library had been read). Called after the checks that
    need no torch: importing the config loads it."""
    from musicsage.graph.config import check_choice

    if args.objective is not None:  # in the words of `--set objective=…`'s refusal
        check_choice("--objective", "objective", args.objective)


def _check_graph_options(args: argparse.Namespace) -> None:
    if args.pretrain not in (None, "dgi"):
        raise MusicsageError(f"--pretrain {args.pretrain}: unknown pre-training (choose: dgi)")
    if args.dataset and args.audio_model:  # a dataset dir brings its own features
        raise MusicsageError("--audio-model goes with the library; a --dataset dir has its "
                             "own features")


def _agreeing_options(args: argparse.Namespace, options: dict) -> dict:
    """``--set``'s ``options``, refused where an option of the command's own says otherwise:
    ``--set max_steps=7 --max-steps 3`` trained 3 steps without a word. The refusal quotes
    the value as typed (``--set pretrain=none``, read as None, was said "pretrain=None")."""
    for key in ("max_steps", "objective", "pretrain"):
        given, flag = getattr(args, key, None), "--" + key.replace("_", "-")
        if given is not None and key in options and options[key] != given:
            raise MusicsageError(f"--set {key}={_typed_value(args.set, key)} and {flag} "
                                 f"{given} disagree: give one of them")
    return options


@contextmanager
def _smaller_holdout_offered(args: argparse.Namespace) -> Iterator[None]:
    """A split refused for the few memberships its hold-out leaves to train on ends, where
    the user gave ``--holdout``, in the way out that flag is: "put more tracks in playlists"
    alone, after ``eval --holdout 0.8``, left out the one change that needs no new music."""
    from musicsage.graph.split import TooFewLeftByTheHoldOut

    try:
        yield
    except TooFewLeftByTheHoldOut as exc:
        if args.holdout is None:
            raise
        raise MusicsageError(f"{exc}, or give a smaller --holdout") from exc


def _typed_value(items: list[str] | None, key: str) -> str:
    """The value of the last ``--set key=VALUE`` in ``items`` (the one in effect), as typed."""
    values = [v.strip() for k, _, v in (item.partition("=") for item in items or [])
              if k.strip() == key]
    return values[-1] if values else ""


KIND_RANKED_AMONG = {"warm": "tracks with a playlist", "cold": "tracks with none",
                     "new_pairs": "all tracks"}
"""What each kind of target is ranked among (docs/protocol.md, step 5): said on its line, since
a small split can read "overall 0.5, warm 1.0, cold 1.0"."""


def _print_eval_summary(m: dict, file=sys.stderr, said: tuple[str, ...] = ()) -> None:
    """The evaluation in a few lines: one run's (``train``), or the mean over the seeds of
    ``eval`` — said on a line of its own, the headline figures with ± their standard
    deviation over the seeds, the pair counts their mean; then its notes but those
    ``said`` already (``train``'s own, printed under its first line)."""
    def fmt(value) -> str:  # None: a split with no pair of that kind (zero pairs: all None)
        return "-" if value is None else f"{value:.4f}"

    def hr(block: dict, side: str) -> str:
        return fmt((block.get(side) or {}).get("hr@10"))

    seeds, std = m.get("seeds") or 1, m.get("std") or {}

    def headline(side: str, key: str) -> str:
        value, spread = m[side][key], (std.get(side) or {}).get(key) if seeds > 1 else None
        return fmt(value) + ("" if value is None or spread is None else f" ± {spread:.4f}")

    if seeds > 1:  # the pair counts too are means: "4.3 pairs" read as a count
        print(f"mean of {seeds} seeds (± the standard deviation over them; pairs: per seed, "
              "on average):", file=file)
    print(f"graph HR@10 {headline('graph', 'hr@10')} MRR {headline('graph', 'mrr')} | "
          f"audio-only HR@10 {headline('audio', 'hr@10')} MRR {headline('audio', 'mrr')} | "
          f"{_pairs(m['pairs'])} ({_number(m['cold_start']['pairs'])} cold start)", file=file)
    for kind, among in KIND_RANKED_AMONG.items():
        if kind in m:
            print(f"  {kind.replace('_', ' ')} (among {among}): graph HR@10 "
                  f"{hr(m[kind], 'graph')} | audio-only HR@10 {hr(m[kind], 'audio')} | "
                  f"{_pairs(m[kind]['pairs'])}", file=file)
    for note in _merged_seed_notes(m.get("notes", ())):
        if note not in said:
            print(f"  note: {on_library(note)}", file=file)


_SEED_NOTE = re.compile(r"seed (\d+): (.*)", re.S)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _merged_seed_notes(notes) -> list[str]:
    """``eval``'s notes with those every seed repeats said once, naming the seeds: three
    seeds printed "seed 0: hr@50, hr@100: 1 for any model …" three times, and "seed 0: only 5
    evaluation pairs …", "seed 1: only 4 …" as many; the numbers that differ read as a range
    ("only 4–5 evaluation pairs"). Notes of no seed are kept as they are, in their place."""
    merged: dict[str, list] = {}  # a note's words less its numbers → [(seed, text)]
    order: list = []  # a plain note, or the key of a seed's group
    for note in notes:
        match = _SEED_NOTE.fullmatch(note)
        if match is None:
            order.append(note)
            continue
        key = "\0".join(_NUMBER.split(match[2]))
        if key not in merged:
            merged[key] = []
            order.append(merged[key])
        merged[key].append(match.groups())
    return [item if isinstance(item, str) else _seed_group_text(item) for item in order]


def _seed_group_text(group: list[tuple[str, str]]) -> str:
    """One note for the seeds of ``group`` ((seed, text) of one note's wording)."""
    seeds = [int(seed) for seed, _ in group]
    named = (f"seed {seeds[0]}" if len(seeds) == 1 else
             f"seeds {', '.join(map(str, seeds[:-1]))} and {seeds[-1]}")
    words = _NUMBER.split(group[0][1])
    numbers = []
    for column in zip(*(_NUMBER.findall(text) for _, text in group)):
        low, high = min(column, key=float), max(column, key=float)
        numbers.append(low if float(low) == float(high) else f"{low}–{high}")
    text = "".join(w + n for w, n in zip(words, [*numbers, ""]))
    return f"{named}: {text}"


def _number(count: float) -> str:
    """A pair count as read: "44" (a mean over seeds is a float: "44.0"), "44.5" a mean."""
    return str(int(count)) if float(count).is_integer() else f"{count:.1f}"


def _pairs(count: float) -> str:
    return f"{_number(count)} {noun(count, 'pair')}"


@handler("train")
def _train(args: argparse.Namespace, ctx: AppContext) -> int:
    _check_graph_options(args)
    if args.out and not args.dataset:
        raise MusicsageError("--out goes with --dataset (a library model is stored in the library)")
    if args.dataset and not args.out:
        raise MusicsageError("--dataset needs --out DIR for the embeddings")
    if args.out:
        from musicsage.usecases.export_dir import check_train_out

        check_train_out(args.out)
    if not args.dataset:  # before the imports below: torch and DGL take seconds to load
        require_writable(ctx)
    _check_objective(args)
    from musicsage.graph.reports import dropped_contexts_text
    from musicsage.usecases.kept_model import replaced_damaged_text
    from musicsage.usecases.training import kept_current_text

    rep = _run_training(args, ctx)
    if args.json:
        print_json(_train_summary(rep))
        return 0
    where = f"model {rep.model_id} is now current" if rep.model_id else f"wrote {rep.out_dir}"
    kept = getattr(rep, "kept_current", None)  # a library's run that learned nothing
    replaced = getattr(rep, "replaced_damaged", None)  # …current all the same: named
    if kept is not None:  # its command told on the library: stdout is never rewritten
        where = on_library(kept_current_text(kept, rep.model_id))
    elif replaced is not None:  # "model 3 is now current" alone: model 2 seemed lost
        where = on_library(replaced_damaged_text(replaced, rep.model_id, "see the note"))
    best = f", best at {rep.best_step}" if rep.learned else ""  # else no step was better
    used = _used_contexts(rep)
    print(f"trained ({','.join(used)}, {rep.objective}) for "
          f"{counted(rep.steps, 'step')}{best}, {rep.seconds:.0f} s on {rep.device}; {where}")
    for note in rep.notes:  # a run that learned nothing: first, it voids what follows
        print(f"note: {on_library(note)}")  # stdout is never rewritten: told here
    left_out = getattr(rep, "no_audio_vector", 0)  # a library's model (not --dataset)
    if left_out:
        embed = "musicsage embed" + (f" --model {rep.audio_model}" if args.audio_model else "")
        print(on_library(f"note: {counted(left_out, 'track')} {noun(left_out, 'has', 'have')} "
                         f"no audio embedding yet (left out; run `{printable(embed)}`)"))
    if rep.empty_contexts:
        from musicsage.graph.data import empty_contexts_text

        print(f"note: {on_library(empty_contexts_text(rep.empty_contexts))}")
    dropped = dropped_contexts_text(rep)
    if dropped:
        print(f"{dropped} (docs/model.md)")
    if rep.comember_weight > 0:
        print(f"validation mixed in the co-member view at weight {rep.comember_weight:g} "
              "(docs/model.md)")
    if rep.two_hop_gamma > 0:
        print(f"validation joined item-kNN's two-hop part at weight {rep.two_hop_gamma:g} "
              "(docs/model.md)")
    if rep.metrics:
        _print_eval_summary(rep.metrics, file=sys.stdout, said=rep.notes)
    return 0


def _run_training(args: argparse.Namespace, ctx: AppContext):
    """The training run of ``train``. Stopped by Ctrl-C or SIGTERM, it ends in the line that
    says which model the library keeps, or what OUT holds: "interrupted" alone left the user
    wondering whether the half-trained model had replaced theirs."""
    from musicsage.commands.stopping import stopped_by
    from musicsage.graph.config import parse_options
    from musicsage.graph.reports import out_files_stamp, stopped_dataset_text
    from musicsage.usecases.training import (current_model_id, stopped_training_text,
                                             train_graph, train_graph_dataset)

    before = out_files_stamp(args.out) if args.dataset else None
    try:
        with progress_bars(not args.json) as progress, _smaller_holdout_offered(args):
            common = dict(objective=args.objective, contexts=args.contexts,
                          holdout=args.holdout, seed=args.seed, max_steps=args.max_steps,
                          pretrain=args.pretrain, device=args.device, progress=progress,
                          options=_agreeing_options(args, parse_options(args.set)))
            if args.dataset:
                return train_graph_dataset(args.dataset, args.out, **common)
            return train_graph(ctx, audio_model=args.audio_model, **common)
    except KeyboardInterrupt as exc:
        if args.dataset:
            raise stopped_by(exc, stopped_dataset_text(args.out, before)) from None
        kept = stopped_training_text(getattr(exc, "saved_model", None), current_model_id(ctx))
        raise stopped_by(exc, kept) from None


def _used_contexts(rep) -> list[str]:
    """The contexts the model used: those asked for less any no track has."""
    from musicsage.graph.jobs import contexts_used  # loaded already: the run was in this process

    return contexts_used(rep.contexts, rep.empty_contexts)


def _train_summary(rep) -> dict:
    """``train --json``: the report as data. ``no_audio_embedding``: the library's tracks left
    out for want of an audio vector (None for a dataset dir's run); ``kept_current``: the model
    that stayed current because this run learned nothing (None: ``model_id`` is current);
    ``replaced_damaged``: ``[id, problem]`` of the model with damaged files this run replaced
    though it learned nothing (None: no such model)."""
    return {"model_id": rep.model_id, "out": rep.out_dir, "audio_model": rep.audio_model,
            "contexts": _used_contexts(rep), "objective": rep.objective, "steps": rep.steps,
            "best_step": rep.best_step, "seconds": round(rep.seconds, 1),
            "device": rep.device, "two_hop_gamma": rep.two_hop_gamma,
            "comember_weight": rep.comember_weight,
            "context_scores": rep.context_scores,
            "dropped_contexts": list(rep.dropped_contexts),
            "empty_contexts": list(rep.empty_contexts), "notes": list(rep.notes),
            "metrics": rep.metrics, "no_audio_embedding": getattr(rep, "no_audio_vector", None),
            "kept_current": getattr(rep, "kept_current", None),
            "replaced_damaged": getattr(rep, "replaced_damaged", None)}


@handler("eval")
def _eval(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.graph.config import parse_options
    from musicsage.usecases.training import evaluate_graph, evaluate_graph_dataset

    _check_graph_options(args)
    _check_objective(args)
    # the JSON is always printed
    with progress_bars(not args.json) as progress, _smaller_holdout_offered(args):
        common = dict(seeds=3 if args.seeds is None else args.seeds, objective=args.objective,
                      contexts=args.contexts, holdout=args.holdout, max_steps=args.max_steps,
                      pretrain=args.pretrain, seed=args.seed, device=args.device,
                      progress=progress, options=_agreeing_options(args, parse_options(args.set)))
        if args.dataset:
            out = evaluate_graph_dataset(args.dataset, **common)
        else:
            out = evaluate_graph(ctx, audio_model=args.audio_model, **common)
    print_json(out)  # the contract: stdout holds the JSON alone, with or without --json
    if not args.json:  # a person: the figures in a few lines, after the JSON (stderr)
        _print_eval_summary(out, file=sys.stderr)
    return 0


# models handler -----------------------------------------------------------------------------


def _model_line(row) -> str:
    """One row of the ``models`` table."""
    def num(value) -> str:
        return "-" if value is None else f"{value:.3f}"

    mark = "*" if row.is_current else " "
    state = "ok" if row.problem is None else f"{problem_word(row.problem)}: {row.problem}"
    tracks = "-" if row.tracks is None else str(row.tracks)
    old = OLDER_PROTOCOL_MARK if row.older_protocol else ""
    hr10 = num(row.hr10) + (FEW_PAIRS_MARK if row.few_pairs else "") + old
    mrr = num(row.mrr) + (old if row.mrr is not None else "")
    if not row.learned:  # figures of its untrained weights ("1.000?"): none, and why
        hr10 = mrr = "-"
        state += f"; {LEARNED_NOTHING}"
    return printable(f"{mark} {row.id:>4}  {row.created_at[:19].replace('T', ' '):<19}  "
                     f"{row.audio_model:<22} {','.join(row.contexts) or '-':<22} "
                     f"{hr10:>6} {mrr:>6} {tracks:>7}  {state}")




FEW_PAIRS_MARK = "?"
"""After an HR@10 measured on too few pairs to mean much ("1.000?"; "*" marks the current
model already), explained under the table."""
OLDER_PROTOCOL_MARK = "†"
"""After figures of an earlier evaluation protocol (``GraphModelRow.older_protocol``)."""


def _switch_models(args: argparse.Namespace, ctx: AppContext, use_graph_model):
    """``models --use``. Stopped by Ctrl-C or SIGTERM, it ends in the line that says which
    model is current: the switch is made before the new tracks are placed, and "interrupted"
    alone left the user thinking nothing had changed (``similar`` then said the query had no
    graph vector)."""
    from musicsage.commands.stopping import stopped_by
    from musicsage.usecases.models import stopped_switch_text
    from musicsage.usecases.training import current_model_id

    before = current_model_id(ctx)
    try:
        with progress_bars(not args.json) as progress:
            return use_graph_model(ctx, args.use, progress=progress)
    except KeyboardInterrupt as exc:
        raise stopped_by(exc, stopped_switch_text(before, current_model_id(ctx))) from None


@handler("models")
def _models(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.usecases.models import (list_graph_models, remove_graph_model,
                                           use_graph_model)

    if args.use is not None:
        require_writable(ctx)
        switch = _switch_models(args, ctx, use_graph_model)
        if args.json:
            print_json(switch.to_dict())
        elif not switch.changed:
            print(f"graph model {switch.model.id} is already the current one")
        else:
            print(switch.removed_meanwhile() or
                  f"graph model {switch.model.id} ({printable(switch.model.label())}) is now "
                  "current; `similar`, `map` and `suggest` use it")
            if switch.inductive is not None and switch.inductive.note:
                print(f"note: {printable(switch.inductive.note)}", file=sys.stderr)
        return 0
    if args.remove is not None:
        require_writable(ctx)
        gone = remove_graph_model(ctx, args.remove)
        if args.json:
            print_json({"removed": gone.to_dict()})
        else:
            folder = (f"; {gone.problem}" if gone.problem
                      else f" and its folder {printable(gone.dir)}")
            print(f"removed graph model {gone.id} ({printable(gone.label())}){folder}")
        return 0
    rows = list_graph_models(ctx)
    if args.json:
        print_json({"models": [row.to_dict() for row in rows]})
        return 0
    if not rows:  # "train one" sent a library without playlists to a train that refuses
        from musicsage.usecases.training_reach import command_line_need

        why = command_line_need(ctx)  # as `similar` says it of the same library
        print(on_library(f"no graph models yet: training one {why}" if why
                         else "no graph models yet: train one with `musicsage train`"))
        return 0
    print(f"  {'id':>4}  {'created':<19}  {'audio model':<22} {'contexts':<22} {'HR@10':>6} "
          f"{'MRR':>6} {'tracks':>7}  files")
    for row in rows:
        print(_model_line(row))
    print(on_library("* current; `musicsage models --use ID` makes another one current"))
    few = [row for row in rows if row.few_pairs and row.learned]
    if few:
        from musicsage.graph.reports import FEW_PAIRS

        print(f"{FEW_PAIRS_MARK} too few held-out pairs (under {FEW_PAIRS}) for HR@10 and MRR "
              "to mean much: " + ", ".join(f"model {r.id} had {_pairs(r.pairs)}" for r in few))
    if any(row.older_protocol and row.learned for row in rows):
        print(f"{OLDER_PROTOCOL_MARK} older evaluation protocol, not comparable: retrain to "
              "re-evaluate")
    _print_learned_nothing([row.id for row in rows if not row.learned])
    return 0


def _print_learned_nothing(ids: list[int]) -> None:
    """The ``models`` table's footnote for the models that learned nothing (``ids``): what
    their "-" and "learned nothing" mean, and what to do, in ``train``'s and ``stats``'
    words."""
    from musicsage.usecases.model_metrics import KEPT_UNTRAINED, MORE_TO_LEARN_FROM, NO_LOSS

    if ids:
        which = (f"model {ids[0]}" if len(ids) == 1 else
                 "models " + ", ".join(map(str, ids[:-1])) + f" and {ids[-1]} each")
        print(on_library(f"{LEARNED_NOTHING}: {which} {KEPT_UNTRAINED} ({NO_LOSS}), so "
                         f"{noun(len(ids), 'it has', 'they have')} no HR@10 or MRR; "
                         f"{MORE_TO_LEARN_FROM}, then train again (`musicsage train`)"))
