"""The ``musicsage`` command line: one thin command per use case (:mod:`musicsage.usecases`).

Every command takes ``--data-dir``. Expected failures (:class:`MusicsageError`) print one line
on stderr and exit 1; ``--json`` output goes to stdout alone so a machine can read it: the
use cases return declared types, turned into the documented JSON (docs/cli.md) here, at the
edge. Heavy modules are imported inside the handlers so ``musicsage --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

from musicsage.cli_errors import (crashed, database_failure, fail, opens_window, stdout_closed,
                                  system_failure)
from musicsage.cli_parser import build_parser
from musicsage.context import AppContext
from musicsage.errors import MusicsageError

Handler = Callable[[argparse.Namespace, AppContext], int]


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def tqdm_progress():
    """A progress callback that drives one tqdm bar per stage on stderr."""
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def on_progress(p) -> None:
        bar = bars.get(p.stage)
        if bar is None:
            for other in bars.values():
                other.close()
            bars.clear()
            bar = bars[p.stage] = tqdm(total=p.total, desc=p.stage, file=sys.stderr,
                                       leave=False, dynamic_ncols=True)
        if p.total is not None and bar.total != p.total:
            bar.total = p.total
        bar.n = p.done
        if p.message:
            bar.set_postfix_str(p.message, refresh=False)
        bar.refresh()

    def close() -> None:
        for bar in bars.values():
            bar.close()
        bars.clear()

    on_progress.close = close  # type: ignore[attr-defined]
    return on_progress


@contextmanager
def progress_bars(enabled: bool = True) -> Iterator[Callable | None]:
    """``with progress_bars(not args.json) as progress:`` — tqdm bars on stderr for the
    block (closed however it ends), or None when disabled (``--json`` keeps stderr quiet)."""
    progress = tqdm_progress() if enabled else None
    try:
        yield progress
    finally:
        if progress is not None:
            progress.close()


# --- handlers: thin; the work is in the use cases --------------------------------------------


HANDLERS: dict[str, Handler] = {}


def handler(name: str) -> Callable[[Handler], Handler]:
    """Register the function that runs subcommand ``name``."""

    def register(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn

    return register


def require_writable(ctx: AppContext) -> None:
    """Refuse, before minutes of work, a command that must store into a library it cannot
    write (a read-only folder or mount): the failure would otherwise come at its end."""
    problem = ctx.writable_problem()
    if problem:
        raise MusicsageError(f"{problem}; this command stores into the library")


@handler("embed")
def _embed(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.usecases.embedding import embed_library

    with progress_bars(not args.json) as progress:
        rep = embed_library(ctx, args.model, hop=args.hop, max_seconds=args.max_seconds,
                            openl3_weights=args.openl3_weights, variant=args.openl3_variant,
                            limit=args.limit, device=args.device, threads=args.threads,
                            progress=progress)
    if args.json:
        print_json(rep.as_dict())
        return 0
    print(f"model: {rep.model_id} [{rep.model_version}] on {rep.device} — {rep.reason}")
    print(f"embedded {rep.embedded} of {rep.total} tracks needing it, {rep.failed} failed "
          f"({rep.seconds:.1f} s)")
    for path, message in rep.errors:
        print(f"  failed: {path}: {message}", file=sys.stderr)
    return 0


# library handlers: scan, stats, import, export ----------------------------------------------

_SHOW_UNRESOLVED = 5


@handler("scan")
def _scan(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.usecases.library import scan_library

    with progress_bars(not args.json) as progress:
        rep = scan_library(ctx, args.paths, args.playlists, progress=progress)
    if args.json:
        print_json(rep.to_dict())
        return _watch(args, ctx) if args.watch else 0
    if rep.roots:
        print(f"scanned {rep.files} audio files in {', '.join(rep.roots)} ({rep.seconds:.1f} s): "
              f"{rep.added} new, {rep.updated} changed, {rep.unchanged} unchanged, "
              f"{rep.moved} moved, {rep.reappeared} back, {rep.missing} now missing, "
              f"{len(rep.errors)} errors")
    for path, reason in rep.errors:
        print(f"  error: {path}: {reason}", file=sys.stderr)
    for pl in rep.playlists:
        if pl.error:
            print(f"playlist {pl.path}: {pl.error}", file=sys.stderr)
            continue
        print(f"playlist {pl.name!r} ({pl.format}): {pl.entries} entries, {pl.resolved} resolved, "
              f"{len(pl.unresolved)} unresolved")
        for u in pl.unresolved[:_SHOW_UNRESOLVED]:
            print(f"  unresolved #{u['position'] + 1}: {u['raw']} ({u['reason']})")
        if len(pl.unresolved) > _SHOW_UNRESOLVED:
            print(f"  … and {len(pl.unresolved) - _SHOW_UNRESOLVED} more (scan --json lists all)")
    return _watch(args, ctx) if args.watch else 0


def _watch(args: argparse.Namespace, ctx: AppContext) -> int:
    """``scan --watch``: keep the library current until Ctrl-C (a second Ctrl-C forces it)."""
    import signal
    import time

    from musicsage.progress import CancelToken
    from musicsage.usecases.watch import watch_library

    cancel = CancelToken()

    def on_interrupt(*_) -> None:
        if cancel.cancelled:
            raise KeyboardInterrupt
        cancel.cancel()

    def ready(watch) -> None:
        print(f"watching {len(watch.plan.folders())} folders; Ctrl-C stops", file=sys.stderr)
        for folder, why in watch.not_watched:
            print(f"  not watched: {folder} ({why})", file=sys.stderr)

    def batch(rep) -> None:
        if args.json:
            print(json.dumps(rep.to_dict(), ensure_ascii=False, default=str), flush=True)
        else:
            print(f"{time.strftime('%H:%M:%S')} {rep.summary()}", flush=True)

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        n = watch_library(ctx, args.paths, args.playlists, on_batch=batch, on_ready=ready,
                          cancel=cancel)
    finally:
        signal.signal(signal.SIGINT, previous)
    print(f"stopped watching after {n} updates", file=sys.stderr)
    return 0


@handler("stats")
def _stats(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.usecases.library import library_stats

    s = library_stats(ctx)
    if args.json:
        print_json(s.to_dict())
        return 0
    t, p = s.tracks, s.playlists
    print(f"tracks     {t.total} ({t.present} present, {t.missing} missing, "
          f"{t.needs_analysis} to analyse)")
    print(f"playlists  {p.total} ({p.entries} entries, {p.unresolved} unresolved)")
    print(f"errors     {s.errors}" + (" (" + ", ".join(
        f"{k}: {v}" for k, v in s.errors_by_stage.items()) + ")" if s.errors else ""))
    emb = s.embeddings
    print("embeddings " + (", ".join(f"{k}: {v}" for k, v in emb.items()) if emb else "none"))
    g = s.graph_model
    if g is None:
        print("graph      no trained model")
    else:
        metrics = g.get("metrics") or {}
        graph_m = metrics.get("graph", {}) if isinstance(metrics, dict) else {}
        extra = f", HR@10 {graph_m['hr@10']:.3f}" if isinstance(graph_m.get("hr@10"), (int, float)) else ""
        print(f"graph      model {g['id']} on {g['audio_model']}{extra}")
    return 0


@handler("import")
def _import(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.usecases.library import import_dataset

    require_writable(ctx)
    rep = import_dataset(ctx, args.dir)
    feats = f", features {rep.features[0]}×{rep.features[1]} as {rep.audio_model}" if rep.features else ""
    return _print_dataset_report(args, rep, f"imported {{}} from {rep.dir}{feats}")


@handler("export")
def _export(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.usecases.library import export_dataset

    rep = export_dataset(ctx, args.dir, audio_model=args.audio_model)
    feats = (f", features {rep.features[0]}×{rep.features[1]} from {rep.audio_model}"
             if rep.features else ", no features (no audio embeddings yet)")
    return _print_dataset_report(args, rep, f"exported {{}} to {rep.dir}{feats}")


def _print_dataset_report(args: argparse.Namespace, rep, line: str) -> int:
    """``--json``: the report as data; else ``line`` with the counts put in, and its notes."""
    if args.json:
        print_json(rep.to_dict())
        return 0
    print(line.format(f"{rep.tracks} tracks, {rep.playlists} playlists, "
                      f"{rep.memberships} memberships"))
    for note in rep.notes:
        print(f"  note: {note}", file=sys.stderr)
    return 0


# search and map handlers: similar, map -------------------------------------------------------


@handler("similar")
def _similar(args: argparse.Namespace, ctx: AppContext) -> int:
    import shutil

    from musicsage.search.query import AmbiguousQuery
    from musicsage.search.report import format_similar
    from musicsage.usecases.search import similar_tracks, write_m3u

    try:
        result = similar_tracks(ctx, args.query, k=args.k, space=args.space, variety=args.variety)
    except AmbiguousQuery as exc:
        _print_candidates(args, exc)
        raise
    data = result.to_dict()
    if args.m3u:
        written = write_m3u(args.m3u, result)
        data["m3u"] = {"path": args.m3u, "tracks": written}
    if args.json:
        print_json(data)
    else:
        print(format_similar(result, width=shutil.get_terminal_size((100, 24)).columns))
    if args.m3u and not args.json:
        print(f"wrote {written} tracks to {args.m3u}", file=sys.stderr)
    return 0


def _print_candidates(args: argparse.Namespace, exc) -> None:
    """What an ambiguous QUERY matched (stdout), before its one-line error."""
    from musicsage.search.report import format_candidates

    if args.json:
        print_json({"error": str(exc), "total": exc.total,
                    "candidates": [c.as_dict() for c in exc.candidates]})
    else:
        print(format_candidates(exc.candidates, exc.total))


@handler("suggest")
def _suggest(args: argparse.Namespace, ctx: AppContext) -> int:
    import shutil

    from musicsage.search.report import format_suggestions
    from musicsage.usecases.search import write_m3u
    from musicsage.usecases.suggest import suggest_tracks

    if args.add:
        return _add_to_playlist(args, ctx)
    result = suggest_tracks(ctx, args.playlist, k=args.k, space=args.space,
                            variety=args.variety, method=args.method)
    data = result.to_dict()
    if args.m3u:
        which = "graph" if result.graph else "audio"
        name = f"Suggestions for {result.playlist['name']} ({which})"
        written = write_m3u(args.m3u, result.playlist_tracks(which), name=name)
        data["m3u"] = {"path": args.m3u, "tracks": written, "space": which}
    if args.json:
        print_json(data)
    else:
        print(format_suggestions(result, width=shutil.get_terminal_size((100, 24)).columns))
        if args.m3u:
            print(f"wrote {written} tracks to {args.m3u}", file=sys.stderr)
    return 0


def _add_to_playlist(args: argparse.Namespace, ctx: AppContext) -> int:
    """``suggest PLAYLIST --add TRACK…``: write the tracks into the playlist's file."""
    from musicsage.search.query import AmbiguousQuery
    from musicsage.usecases.search import resolve_query
    from musicsage.usecases.suggest import add_to_playlist

    ids = []
    for query in args.add:
        try:
            ids.append(resolve_query(ctx, query))
        except AmbiguousQuery as exc:
            _print_candidates(args, exc)
            raise
    report = add_to_playlist(ctx, args.playlist, ids)
    if args.json:
        print_json(report.to_dict())
        return 0
    if report.added:
        print(f"added {len(report.added)} tracks to {report.path} ({report.format}); now "
              f"{report.entries} entries, {report.resolved} resolved; backup: {report.backup}")
    else:
        print(f"nothing added to {report.path}: the file was not touched")
    for skip in report.skipped:
        print(f"  skipped #{skip['track_id']}: {skip['reason']}", file=sys.stderr)
    return 0


@handler("radio")
def _radio(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.search.query import AmbiguousQuery
    from musicsage.search.report import format_radio, track_label
    from musicsage.usecases.radio import radio_tracks
    from musicsage.usecases.search import write_m3u

    try:
        result = radio_tracks(ctx, args.query, length=args.length, mode=args.mode)
    except AmbiguousQuery as exc:
        _print_candidates(args, exc)
        raise
    data = result.to_dict()
    if args.m3u:
        written = write_m3u(args.m3u, result.playlist_tracks(),
                            name=f"Radio: {track_label(result.seed)}")
        data["m3u"] = {"path": args.m3u, "tracks": written}
    if args.json:
        print_json(data)
    else:
        print(format_radio(result))
        if args.m3u:
            print(f"wrote {written} tracks to {args.m3u}", file=sys.stderr)
    return 0


@handler("map")
def _map(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.search.types import SPACES
    from musicsage.usecases.search import map_points
    from musicsage.usecases.spaces import SearchSpaces

    found = SearchSpaces(ctx)
    out: dict[str, Any] = {}
    for space in SPACES if args.space == "both" else (args.space,):
        note = found.get(space)
        if isinstance(note, str):
            out[space] = {"note": note}
            continue
        with progress_bars(not args.json) as progress:
            points = map_points(ctx, space, progress=progress, spaces=found)
        out[space] = points.as_dict(points=args.json)
    if all("note" in v for v in out.values()):
        raise MusicsageError("nothing to map: " + "; ".join(f"{s}: {v['note']}" for s, v in out.items()))
    if args.json:
        print_json(out)
        return 0
    for space, v in out.items():
        if "note" in v:
            print(f"{space}: {v['note']}", file=sys.stderr)
        else:
            how = "cached" if v["cached"] else f"{v['method']}, {v['seconds']:.1f} s"
            print(f"{space} ({v['model_id']}): {v['tracks']} tracks mapped ({how})")
    return 0


@handler("tags")
def _tags(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.usecases.tags import tag_library, track_tags

    if args.library:
        if args.file:
            raise MusicsageError("give FILE or --library, not both")
        with progress_bars(not args.json) as progress:
            rep = tag_library(ctx, limit=args.limit, progress=progress)
        if args.json:
            print_json(rep.as_dict())
            return 0
        print(f"tagged {rep.tagged} tracks ({rep.known} were tagged before, "
              f"{len(rep.failed)} failed, {rep.seconds:.1f} s)")
        for path, reason in rep.failed:
            print(f"  failed: {path}: {reason}", file=sys.stderr)
        return 0
    if not args.file:
        raise MusicsageError("give an audio FILE (or --library to tag the library's tracks)")
    if args.top < 1:
        raise MusicsageError("--top must be at least 1")
    with progress_bars(not args.json) as progress:  # only shows a first-use download
        tags = track_tags(ctx, args.file, top=args.top, model=args.model, progress=progress)
    if args.json:
        print_json([{"tag": t.tag, "p": round(t.p, 6)} for t in tags])
        return 0
    width = max(len(t.tag) for t in tags)
    for t in tags:
        print(f"{t.tag:<{width}}  {t.p:.3f}")
    return 0


# graph handlers: train, eval ---------------------------------------------------------------


def _check_graph_options(args: argparse.Namespace) -> None:
    if getattr(args, "device", None) not in (None, "cpu"):
        raise MusicsageError("the graph model trains on the CPU in this version (--device cpu)")
    if getattr(args, "pretrain", None) not in (None, "dgi"):
        raise MusicsageError(f"--pretrain {args.pretrain}: unknown pre-training (choose: dgi)")


def _print_eval_summary(m: dict, file=sys.stderr) -> None:
    def hr(block: dict, side: str) -> str:
        value = (block.get(side) or {}).get("hr@10")
        return "-" if value is None else f"{value:.4f}"

    g, a = m["graph"], m["audio"]
    print(f"graph HR@10 {g['hr@10']:.4f} MRR {g['mrr']:.4f} | audio-only HR@10 "
          f"{a['hr@10']:.4f} MRR {a['mrr']:.4f} | {m['pairs']} pairs "
          f"({m['cold_start']['pairs']} cold start)", file=file)
    for kind in ("warm", "cold"):
        if kind in m:
            print(f"  {kind}: graph HR@10 {hr(m[kind], 'graph')} | audio-only HR@10 "
                  f"{hr(m[kind], 'audio')} | {m[kind]['pairs']} pairs", file=file)


@handler("train")
def _train(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.graph.config import parse_options
    from musicsage.usecases.training import train_graph, train_graph_dataset

    _check_graph_options(args)
    if args.out and not args.dataset:
        raise MusicsageError("--out goes with --dataset (a library model is stored in the library)")
    if args.dataset and not args.out:
        raise MusicsageError("--dataset needs --out DIR for the embeddings")
    if not args.dataset:
        require_writable(ctx)
    with progress_bars(not args.json) as progress:
        common = dict(objective=args.objective, contexts=args.contexts, holdout=args.holdout,
                      seed=args.seed, max_steps=args.max_steps, pretrain=args.pretrain,
                      options=parse_options(args.set),
                      progress=progress)
        if args.dataset:
            rep = train_graph_dataset(args.dataset, args.out, **common)
        else:
            rep = train_graph(ctx, audio_model=args.audio_model, **common)
    summary = {"model_id": rep.model_id, "out": rep.out_dir, "audio_model": rep.audio_model,
               "contexts": list(rep.contexts), "objective": rep.objective, "steps": rep.steps,
               "best_step": rep.best_step, "seconds": round(rep.seconds, 1),
               "metrics": rep.metrics}
    if args.json:
        print_json(summary)
        return 0
    where = f"model {rep.model_id} is now current" if rep.model_id else f"wrote {rep.out_dir}"
    print(f"trained ({','.join(rep.contexts)}, {rep.objective}) for {rep.steps} steps, best at "
          f"{rep.best_step}, {rep.seconds:.0f} s; {where}")
    if rep.metrics:
        _print_eval_summary(rep.metrics, file=sys.stdout)
    return 0


@handler("eval")
def _eval(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.graph.config import parse_options
    from musicsage.usecases.training import evaluate_graph, evaluate_graph_dataset

    with progress_bars(not args.json) as progress:  # the JSON is always printed
        common = dict(seeds=3 if args.seeds is None else args.seeds, objective=args.objective,
                      contexts=args.contexts, holdout=args.holdout, max_steps=args.max_steps,
                      seed=args.seed, options=parse_options(args.set), progress=progress)
        if args.dataset:
            out = evaluate_graph_dataset(args.dataset, **common)
        else:
            out = evaluate_graph(ctx, **common)
    print_json(out)
    return 0


# demo handler -------------------------------------------------------------------------------


@handler("demo")
def _demo(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.usecases.demo import build_demo

    require_writable(ctx)
    with progress_bars(not args.json) as progress:
        rep = build_demo(ctx, n_tracks=args.tracks, seed=args.seed, music_dir=args.dir,
                         seconds=args.seconds, until=args.until, progress=progress)
    if args.json:
        print_json(rep.as_dict())
        return 0
    state = "reused (already built)" if rep.reused else ("ready" if rep.complete else "partly built")
    print(f"demo library {state}: {rep.n_tracks} tracks, {rep.n_playlists} playlists in {rep.music_dir}")
    print(f"library: {rep.data_dir}")
    for name, details in rep.stages.items():
        shown = ", ".join(f"{k} {v}" for k, v in details.items()
                          if k != "seconds" and not isinstance(v, (dict, list)))
        print(f"  {name:<9} {details['seconds']:7.1f} s  {shown}")
    for name, why in rep.skipped.items():
        print(f"  {name:<9} skipped: {why}", file=sys.stderr)
    if rep.stages:
        print(f"  {'total':<9} {rep.total_seconds:7.1f} s")
    if rep.complete:
        print(f"open it: python main.py --data-dir {rep.data_dir}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; no command opens the window (``musicsage`` from a desktop menu).

    Every failure ends in one line on stderr (docs/cli.md, "Exit codes and messages"): an
    expected one (:class:`MusicsageError`, a file the system refuses, a library another
    program keeps locked) as ``musicsage COMMAND: reason`` with exit 1; a bug as one line
    naming the crash log that holds its traceback, with exit 70.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if opens_window(argv):
        from musicsage.gui.app import launch

        return launch(argv)
    args = build_parser().parse_args(argv)
    command = args.command
    ctx: AppContext | None = None
    try:
        ctx = AppContext.create(args.data_dir)
        return HANDLERS[command](args, ctx)
    except MusicsageError as exc:
        return fail(command, str(exc))
    except KeyboardInterrupt:
        return fail(command, "interrupted", code=130)
    except BrokenPipeError:
        return stdout_closed()
    except sqlite3.DatabaseError as exc:
        reason = database_failure(exc, ctx)
        return fail(command, reason) if reason else crashed(command, argv, ctx)
    except OSError as exc:
        return fail(command, system_failure(exc, ctx))
    except Exception:  # noqa: BLE001 - a bug: one line here, the traceback in the crash log
        return crashed(command, argv, ctx)


if __name__ == "__main__":
    raise SystemExit(main())
