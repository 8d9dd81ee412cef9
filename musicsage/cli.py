"""The ``musicsage`` command line: one thin subcommand per service function.

Every command takes ``--data-dir``. Expected failures (:class:`MusicsageError`) print one line
on stderr and exit 1; ``--json`` output goes to stdout alone so a machine can read it. Heavy
modules are imported inside the handlers so ``musicsage --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

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


# --- handlers -------------------------------------------------------------------------------
# Each handler is filled in by the issue that owns the service; keep them thin.


def _not_yet(name: str) -> Handler:
    def handler(args: argparse.Namespace, ctx: AppContext) -> int:
        raise MusicsageError(f"'{name}' is not available in this version yet")

    return handler


HANDLERS: dict[str, Handler] = {}


def handler(name: str) -> Callable[[Handler], Handler]:
    """Register the function that runs subcommand ``name``."""

    def register(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn

    return register


@handler("embed")
def _embed(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage import services

    with progress_bars(not args.json) as progress:
        rep = services.embed_tracks(ctx, args.model, hop=args.hop, max_seconds=args.max_seconds,
                                    openl3_weights=args.openl3_weights,
                                    variant=args.openl3_variant, limit=args.limit,
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
    from musicsage import services

    with progress_bars(not args.json) as progress:
        rep = services.scan_library(ctx, args.paths, args.playlists, progress=progress)
    if args.json:
        print_json(rep.to_dict())
        return 0
    if rep.roots:
        print(f"scanned {rep.files} audio files in {', '.join(rep.roots)} ({rep.seconds:.1f} s): "
              f"{rep.added} new, {rep.updated} changed, {rep.unchanged} unchanged, "
              f"{rep.reappeared} back, {rep.missing} now missing, {len(rep.errors)} errors")
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
    return 0


@handler("stats")
def _stats(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage import services

    s = services.library_stats(ctx)
    if args.json:
        print_json(s)
        return 0
    t, p = s["tracks"], s["playlists"]
    print(f"tracks     {t['total']} ({t['present']} present, {t['missing']} missing, "
          f"{t.get('needs_analysis', 0)} to analyse)")
    print(f"playlists  {p['total']} ({p['entries']} entries, {p['unresolved']} unresolved)")
    print(f"errors     {s['errors']}" + (" (" + ", ".join(
        f"{k}: {v}" for k, v in s.get("errors_by_stage", {}).items()) + ")" if s["errors"] else ""))
    emb = s["embeddings"]
    print("embeddings " + (", ".join(f"{k}: {v}" for k, v in emb.items()) if emb else "none"))
    g = s["graph_model"]
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
    from musicsage import services

    rep = services.import_dataset(ctx, args.dir)
    feats = f", features {rep.features[0]}×{rep.features[1]} as {rep.audio_model}" if rep.features else ""
    return _print_dataset_report(args, rep, f"imported {{}} from {rep.dir}{feats}")


@handler("export")
def _export(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage import services

    rep = services.export_dataset(ctx, args.dir, audio_model=args.audio_model)
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

    from musicsage import services
    from musicsage.search.report import format_candidates, format_similar

    try:
        result = services.similar_tracks(ctx, args.query, k=args.k, space=args.space)
    except services.AmbiguousQuery as exc:
        if args.json:
            print_json({"error": str(exc), "total": exc.total,
                        "candidates": [c.as_dict() for c in exc.candidates]})
        else:
            print(format_candidates(exc.candidates, exc.total))
        raise
    if args.m3u:
        written = services.write_m3u(args.m3u, result)
        result["m3u"] = {"path": args.m3u, "tracks": written}
    if args.json:
        print_json(result)
    else:
        print(format_similar(result, width=shutil.get_terminal_size((100, 24)).columns))
    if args.m3u and not args.json:
        print(f"wrote {written} tracks to {args.m3u}", file=sys.stderr)
    return 0


@handler("map")
def _map(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage import services

    spaces = services.SPACES if args.space == "both" else (args.space,)
    out: dict[str, Any] = {}
    for space in spaces:
        note = services.search_space(ctx, space)
        if isinstance(note, str):
            out[space] = {"note": note}
            continue
        with progress_bars(not args.json) as progress:
            points = services.map_points(ctx, space, progress=progress)
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
    from musicsage import services

    if args.top < 1:
        raise MusicsageError("--top must be at least 1")
    with progress_bars(not args.json) as progress:  # only shows a first-use download
        tags = services.track_tags(ctx, args.file, top=args.top, model=args.model,
                                   progress=progress)
    if args.json:
        print_json([{"tag": tag, "p": round(p, 6)} for tag, p in tags])
        return 0
    width = max(len(tag) for tag, _ in tags)
    for tag, p in tags:
        print(f"{tag:<{width}}  {p:.3f}")
    return 0


# graph handlers: train, eval ---------------------------------------------------------------


def _graph_device(args: argparse.Namespace) -> None:
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
    from musicsage import services
    from musicsage.graph.config import parse_options

    _graph_device(args)
    if args.out and not args.dataset:
        raise MusicsageError("--out goes with --dataset (a library model is stored in the library)")
    if args.dataset and not args.out:
        raise MusicsageError("--dataset needs --out DIR for the embeddings")
    with progress_bars(not args.json) as progress:
        common = dict(objective=args.objective, contexts=args.contexts, holdout=args.holdout,
                      seed=args.seed, max_steps=args.max_steps, pretrain=args.pretrain,
                      options=parse_options(args.set), progress=progress)
        if args.dataset:
            rep = services.train_graph_dataset(args.dataset, args.out, **common)
        else:
            rep = services.train_graph(ctx, audio_model=args.audio_model, **common)
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
    from musicsage import services
    from musicsage.graph.config import parse_options

    with progress_bars() as progress:
        common = dict(seeds=3 if args.seeds is None else args.seeds, objective=args.objective,
                      contexts=args.contexts, holdout=args.holdout, max_steps=args.max_steps,
                      seed=args.seed, options=parse_options(args.set), progress=progress)
        if args.dataset:
            out = services.evaluate_graph_dataset(args.dataset, **common)
        else:
            out = services.evaluate_graph(ctx, **common)
    print_json(out)
    return 0


# demo handler -------------------------------------------------------------------------------


@handler("demo")
def _demo(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage import services

    with progress_bars(not args.json) as progress:
        rep = services.build_demo(ctx, n_tracks=args.tracks, seed=args.seed, music_dir=args.dir,
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


# --- argument parsing -----------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    # --data-dir is accepted before or after the subcommand. The subcommands' copy has no
    # default (SUPPRESS) so it cannot overwrite a value given before the subcommand.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help="library location (default: the per-user data dir)")

    parser = argparse.ArgumentParser(
        prog="musicsage",
        description="Explore your music library: audio embeddings, a graph model of your "
                    "playlists, nearest neighbours and a map.")
    parser.add_argument("--data-dir", metavar="DIR", default=None,
                        help="library location (default: the per-user data dir)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("scan", parents=[common], help="add/refresh music folders and playlists")
    p.add_argument("paths", nargs="*", metavar="PATH", help="music folders (or files)")
    p.add_argument("--playlists", nargs="+", default=[], metavar="PATH",
                   help="playlist files or folders of playlists")
    p.add_argument("--json", action="store_true", help="print a JSON summary")

    p = sub.add_parser("embed", parents=[common], help="audio embeddings for tracks lacking them")
    p.add_argument("--model", default=None,
                   help="openl3 | musicnn | spectral (default: the best available)")
    p.add_argument("--hop", type=float, default=None, help="seconds between analysis frames")
    p.add_argument("--max-seconds", type=float, default=None,
                   help="seconds of audio analysed per track (spread over the track)")
    p.add_argument("--openl3-weights", default=None, metavar="PATH",
                   help="a local OpenL3 .h5 or .h5.gz weights file")
    p.add_argument("--openl3-variant", default=None,
                   help="input_repr_content_embedding, e.g. mel256_music_512")
    p.add_argument("--limit", type=int, default=None, help="embed at most N tracks")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("train", parents=[common], help="train the graph model")
    p.add_argument("--dataset", default=None, metavar="DIR", help="a dataset dir instead of the library")
    p.add_argument("--out", default=None, metavar="DIR", help="output dir (with --dataset)")
    p.add_argument("--objective", default=None, help="infonce | hinge | dgi")
    p.add_argument("--pretrain", default=None, help="self-supervised pre-training (dgi)")
    p.add_argument("--contexts", default=None, help="comma list of playlist,album,artist")
    p.add_argument("--audio-model", default=None, help="which audio embeddings to use (library)")
    p.add_argument("--holdout", type=float, default=None,
                   help="fraction of memberships held out for evaluation")
    p.add_argument("--seed", type=int, default=0, help="seed of the split and the run")
    p.add_argument("--max-steps", type=int, default=None)
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="any training option, e.g. --set dim=128 --set num_walks=60 "
                        "(repeatable; docs/model.md lists them)")
    p.add_argument("--device", default=None, help="cpu | cuda (default: cuda when available)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("eval", parents=[common], help="graph model vs audio-only (JSON)")
    p.add_argument("--dataset", default=None, metavar="DIR")
    p.add_argument("--seeds", type=int, default=None, help="number of seeds (mean ± std)")
    p.add_argument("--objective", default=None)
    p.add_argument("--contexts", default=None)
    p.add_argument("--holdout", type=float, default=None)
    p.add_argument("--max-steps", type=int, default=None)
    p.add_argument("--seed", type=int, default=0, help="first seed (seeds SEED..SEED+N-1)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="any training option (repeatable), as for train")
    p.add_argument("--json", action="store_true", help="(JSON is the default output)")

    p = sub.add_parser("similar", parents=[common], help="nearest tracks to a query")
    p.add_argument("query", metavar="QUERY", help="track id, path, or text match")
    p.add_argument("-k", type=int, default=10)
    p.add_argument("--space", choices=["graph", "audio", "both"], default="both")
    p.add_argument("--m3u", default=None, metavar="FILE", help="write the neighbours as M3U8")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("map", parents=[common], help="compute/refresh the 2-D map")
    p.add_argument("--space", choices=["graph", "audio", "both"], default="both")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("import", parents=[common], help="import a dataset dir")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", parents=[common], help="export the library as a dataset dir")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--audio-model", default=None)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("demo", parents=[common], help="build the demo library",
                       description="Generate synthesized music and playlists into DIR (default: "
                                   "DATA_DIR/demo-music), then scan, embed, train and map them "
                                   "into the library at --data-dir. Resumable; a finished demo "
                                   "is reused.")
    p.add_argument("dir", nargs="?", default=None, metavar="DIR")
    p.add_argument("--tracks", type=int, default=None,
                   help="number of tracks (default: as already built here, else 240)")
    p.add_argument("--seed", type=int, default=None, help="(default: as already built, else 0)")
    p.add_argument("--seconds", type=float, default=None,
                   help="mean track length in seconds (default: as already built, else 20)")
    p.add_argument("--until", default=None, metavar="STAGE",
                   help="stop after this stage: generate | scan | embed | audio_map | train | map")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("stats", parents=[common], help="library counts")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("tags", parents=[common], help="music tags of a file (MusiCNN)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--model", default="MSD_musicnn", help="MSD_musicnn | MTT_musicnn")
    p.add_argument("--json", action="store_true")

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    fn = HANDLERS.get(args.command, _not_yet(args.command))
    try:
        ctx = AppContext.create(args.data_dir)
        return fn(args, ctx)
    except MusicsageError as exc:
        print(f"musicsage {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"musicsage {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
