"""Library commands: embed, scan (--watch: see watching.py), forget, stats, import, export."""

from __future__ import annotations

import argparse
import sys

from musicsage.commands.embed_progress import EmbedProgress
from musicsage.commands.output import (failure_line, print_json, print_json_line,
                                       progress_bars)
from musicsage.commands.registry import check_limit, check_threads, handler, require_writable
from musicsage.commands.stopping import STOP_ERRORS, stop_requests
from musicsage.commands.stats_graph import unseen_text as _unseen_text  # noqa: F401 - its old name
from musicsage.commands.told_commands import on_library
from musicsage.context import AppContext
from musicsage.text import counted, elided, noun, printable


@handler("embed")
def _embed(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.usecases.embedding import embed_library

    check_limit(args.limit)
    check_threads(args.threads)
    _check_seconds(args.hop, "--hop")
    _check_seconds(args.max_seconds, "--max-seconds")
    with progress_bars(not args.json) as bars, stop_requests() as stop:
        seen = EmbedProgress(bars)
        try:
            rep = embed_library(ctx, args.model, hop=args.hop, max_seconds=args.max_seconds,
                                openl3_weights=args.openl3_weights, variant=args.openl3_variant,
                                limit=args.limit, device=args.device, threads=args.threads,
                                progress=seen, cancel=stop.cancel)
        except STOP_ERRORS as exc:
            if not stop.ends(exc):
                raise
            raise stop.stopped(seen.kept(_again(args, "embed", EMBED_CHOICES))) from None
    if args.json:
        print_json(rep.as_dict())
        return 0
    if rep.reanalysis:
        print(printable(on_library(rep.reanalysis)))  # stdout is not rewritten: told here
    graph = rep.graph
    placed = graph is not None and not graph.note and graph.embedded
    if rep.nothing_to_do:  # one line: the model and "0 of 0" said nothing of use; the graph
        # model's work (no audio's) on it, or a line of its own read as a contradiction
        print(printable(on_library(rep.nothing_to_do)
                        + (f"; {_placed_text(graph)}" if placed else "")))
    else:
        print(printable(f"model: {rep.model_id} [{rep.model_version}] on {rep.device} — "
                        f"{rep.reason}"))
        gone = (f"; {rep.gone} {'was' if rep.gone == 1 else 'were'} removed from the library "
                "meanwhile (a music folder forgotten), so not stored" if rep.gone else "")
        print(f"embedded {rep.embedded} of {counted(rep.total, 'track')} needing it, "
              f"{rep.failed} failed ({rep.seconds:.1f} s){gone}")
    for path, message in rep.errors:
        print(f"  failed: {failure_line(path, message)}", file=sys.stderr)
    if rep.failed > len(rep.errors):  # the report lists the first few
        print(f"  … and {rep.failed - len(rep.errors)} more", file=sys.stderr)
    if rep.failed:
        print(f"note: {rep.failed_advice}", file=sys.stderr)
    if graph is not None and graph.note:
        print(f"note: {printable(graph.note)}", file=sys.stderr)
    elif placed and not rep.nothing_to_do:
        print(_placed_text(graph))
    return 0


def _check_seconds(value: float | None, option: str) -> None:
    """``--hop S``, ``--max-seconds S``: seconds above 0, refused here, once for every model
    and before any is loaded. Each model's own check (kept, as a guard for other callers)
    said "max_seconds and hop must be positive and finite": neither the option nor the
    value; argparse's ``float`` lets 0, -1, nan and inf through."""
    import math

    from musicsage.errors import MusicsageError

    if value is not None and not 0 < value < math.inf:  # NaN fails too
        raise MusicsageError(f"{option} must be a positive number of seconds, not {value:g}")


def _placed_text(graph) -> str:
    """The line for what the saved graph model did for the tracks it never saw. Each run
    computes again the vectors of those it placed before (on the library's graph as it is
    now): ``embedded`` counts them too, and "5 tracks not seen in training embedded" was said
    of a run that added one track; ``new_vectors`` are the tracks it placed now."""
    again, took = graph.embedded - graph.new_vectors, f"({graph.seconds:.1f} s)"
    if not graph.new_vectors:
        return (f"graph model {graph.model_id}: the saved model placed again the "
                f"{counted(again, 'track')} not seen in training it placed before {took}")
    also = f", and again the {again} it placed before" if again > 0 else ""
    return (f"graph model {graph.model_id}: the saved model placed "
            f"{counted(graph.new_vectors, 'track')} not seen in training{also} {took}")


EMBED_CHOICES = (("model", "--model"), ("hop", "--hop"), ("max_seconds", "--max-seconds"),
                 ("openl3_variant", "--openl3-variant"), ("openl3_weights", "--openl3-weights"))
"""The ``embed`` options that choose which vectors it makes: the command a stopped run tells
to run again keeps them (a plain ``embed`` makes the library's model's, not ``--model``'s)."""


def _again(args: argparse.Namespace, command: str, options=(), *words: str) -> str:
    """`musicsage COMMAND WORDS… --OPTION VALUE…`, quoted for a shell: the command to run
    again, with the ``options`` given (attribute, flag) that choose what it does."""
    import shlex

    from musicsage.context import library_option

    library = library_option(getattr(args, "data_dir", None))  # the library it worked on
    parts = [f"musicsage {library}{command}", *map(shlex.quote, words)]
    for name, flag in options:
        value = getattr(args, name, None)
        if value is True:  # a switch (--watch)
            parts.append(flag)
        elif value not in (None, False, []):
            values = value if isinstance(value, list) else [value]
            parts += [flag, *(shlex.quote(str(v)) for v in values)]
    return f"`{' '.join(parts)}`"


# library handlers: scan, stats, import, export ----------------------------------------------

_SHOW_UNRESOLVED = 5
SCAN_CHOICES = (("playlists", "--playlists"), ("watch", "--watch"))
"""The ``scan`` options a stopped scan's command to run again keeps (with its PATHs)."""


@handler("scan")
def _scan(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.library.scan_report import summed_up_notes
    from musicsage.library.playlists.store import replaced_imports_note
    from musicsage.library.walk import skipped_formats_text
    from musicsage.usecases.library import scan_library

    with progress_bars(not args.json) as progress, stop_requests() as stop:
        try:
            rep = scan_library(ctx, args.paths, args.playlists, progress=progress,
                               checked=getattr(args, "checked", None), cancel=stop.cancel)
        except STOP_ERRORS as exc:
            if not stop.ends(exc):
                raise
            again = _again(args, "scan", SCAN_CHOICES, *args.paths)
            raise stop.stopped("the scan is incomplete (what it stored so far is kept); "
                               f"run {again} again to finish it") from None
    if args.json:
        (print_json_line if args.watch else print_json)(rep.to_dict())
        return _scan_then_watch(args, ctx, rep)
    if rep.roots:
        print(f"scanned {counted(rep.files, 'audio file')} {printable(rep.roots_text())} "
              f"({rep.seconds:.1f} s): {rep.added} new, {rep.updated} changed, "
              f"{rep.unchanged} unchanged, {rep.moved} moved, {rep.reappeared} back, "
              f"{rep.missing} now missing, {counted(len(rep.errors), 'error')}")
        if args.paths and (none := rep.no_music_found_text()):  # not a plain re-scan
            print(f"note: {printable(none)}", file=sys.stderr)
    _print_errors(rep)
    notes, recounted = summed_up_notes(rep.notes)  # 5,000 recounted MP3s: one line
    for path, note in notes:
        print(f"  note: {printable(path)}: {printable(on_library(note))}")
    if recounted:
        print(f"note: {printable(on_library(recounted))}")
    skipped = skipped_formats_text(rep.skipped_formats)  # .wma, .ape …: said once, not per file
    if skipped:
        print(f"note: {on_library(skipped)}")
    _print_playlists(rep.playlists)
    replaced = replaced_imports_note(rep.playlists)  # a dataset import's copies: files stand in
    if replaced:
        print(f"note: {printable(on_library(replaced))}")
    gone = rep.playlists_gone_text()  # their files deleted or renamed: no longer used
    if gone:
        print(printable(on_library(gone)))
    hint = _playlist_files_hint(rep)
    if hint:
        print(printable(on_library(hint)))
    return _scan_then_watch(args, ctx, rep)


def _print_errors(rep) -> None:
    """A scan's errors on stderr, one a line up to a few (:func:`~musicsage.library.
    scan_report.listed_errors`), then one line for the rest and where they are all listed:
    a folder of 20,000 empty files wrote 20,000 lines."""
    from musicsage.library.scan_report import listed_errors

    listed, more = listed_errors(rep.errors, rep.roots)
    for path, reason in listed:
        print(f"  error: {printable(path)}: {printable(reason)}", file=sys.stderr)
    if more:
        print(on_library(f"  … and {more} more could not be read "
                         "(`musicsage scan --json` lists them all)"), file=sys.stderr)


def _scan_then_watch(args: argparse.Namespace, ctx: AppContext, rep) -> int:
    """The scan's status lines, then ``--watch`` — unless every music folder could not be
    listed: a watch of folders it cannot read would sit there seeing nothing."""
    status = _scan_status(args, ctx, rep)
    if not args.watch:
        return status
    if status:
        print("nothing to watch: no music folder given can be listed", file=sys.stderr)
        return status
    from musicsage.commands.watching import watch

    return watch(args, ctx)


def _scan_status(args: argparse.Namespace, ctx: AppContext, rep) -> int:
    """A scan's exit status, after a line for each folder given after ``--playlists`` that
    holds no playlist file, beside others that do (given alone, such folders are refused
    before the scan: :func:`~musicsage.usecases.library.checked_scan_paths`). 1 when every
    music folder scanned could not be listed (a plain ``scan`` of one without read
    permission said "0 audio files" and exited 0, where a PATH that does not exist is an
    error). Then a note for music given after ``--playlists`` (:mod:`.scan_hints`)."""
    from musicsage.commands.scan_hints import music_after_playlists, music_hint
    from musicsage.library import paths as P
    from musicsage.library.playlists import no_playlists_in
    from musicsage.library.scan import resolve_roots
    from musicsage.library.walk import UNLISTED

    for folder in resolve_roots(args.playlists, must_exist=False):
        if no_playlists_in(folder):
            print(f"no playlist files in {printable(P.shown_exactly(folder))}", file=sys.stderr)
    if music := music_after_playlists(args, ctx):
        print(f"note: {music_hint(args, music)}", file=sys.stderr)
    unread = {p for p, why in rep.errors if why.startswith(UNLISTED)}
    return 1 if rep.roots and all(r in unread for r in rep.roots) else 0


def _playlist_files_hint(rep) -> str | None:
    """The line for the playlist files met in the music folders, which a scan does not import
    (rippers leave an album.m3u in every album folder): the first one, and the command that
    imports them. None when there are none, or after a plain re-scan (said when folders are
    named, not on every re-scan)."""
    import shlex

    files = rep.playlist_files
    if not files or not rep.tell_playlist_files:
        return None
    sources = files if len(files) == 1 else rep.playlist_folders() or files
    command = " ".join(["musicsage scan --playlists", *map(shlex.quote, sources)])
    if len(files) == 1:
        return (f"1 playlist file in the music folders was not imported ('{files[0]}'): "
                f"to import it, `{command}`")
    return (f"{len(files)} playlist files in the music folders were not imported "
            f"(e.g. '{files[0]}'): to import them, `{command}`")


def _print_playlists(playlists: list) -> None:
    """Each imported playlist's counts and unresolved entries, a warning for one imported empty
    (none of its entries found); a refresh (re-read only because the library grew) says only
    what the new tracks resolved, since its unresolved entries were listed before."""
    from musicsage.library.playlists.m3u import shown_format  # a .m3u8's "m3u8", as elsewhere

    for pl in playlists:
        if pl.quiet:
            note = pl.refresh_note()
            if note:
                print(printable(on_library(note)))
            continue
        if pl.error:
            print(f"playlist {printable(pl.path)}: {printable(pl.error)}", file=sys.stderr)
            continue
        print(f"playlist {pl.name!r} ({shown_format(str(pl.path), pl.format)}): "
              f"{counted(pl.entries, 'entry', 'entries')}, "
              f"{pl.resolved} resolved, {len(pl.unresolved)} unresolved")
        for note in pl.notes:
            print(f"  note: {printable(on_library(note))}")
        for u in pl.unresolved[:_SHOW_UNRESOLVED]:  # the entries as the file has them: escaped
            print(f"  unresolved #{u['position'] + 1}: {printable(elided(u['raw'], 200))} "
                  f"({printable(u['reason'])})")
        if len(pl.unresolved) > _SHOW_UNRESOLVED:
            print(f"  … and {len(pl.unresolved) - _SHOW_UNRESOLVED} more (scan --json lists all)")
        warning = pl.none_found_warning()
        if warning:
            print(f"warning: {printable(warning)}", file=sys.stderr)


@handler("forget")
def _forget(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.errors import MusicsageError
    from musicsage.usecases.library import forget_folder, forget_missing_tracks

    if not args.missing and len(args.folder) != 1:  # --missing: any number, none is all
        raise MusicsageError("forget takes one music folder (stats lists them); forget "
                             "--missing [FOLDER…] removes only the tracks whose files are gone")
    with progress_bars(not args.json) as progress:
        rep = (forget_missing_tracks(ctx, args.folder, progress=progress) if args.missing
               else forget_folder(ctx, args.folder[0], progress=progress))
    print_json(rep.to_dict()) if args.json else print(printable(on_library(rep.summary())))
    return 0


@handler("stats")
def _stats(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.commands.stats_graph import graph_model_line
    from musicsage.library.damaged_vectors import DAMAGE_WORDS, damaged_counts
    from musicsage.library.db import connect
    from musicsage.library.missing_errors import missing_tracks_errors
    from musicsage.usecases.library import library_stats
    from musicsage.usecases.snapshot import present_embeddings

    s = library_stats(ctx)
    if args.json:
        print_json(s.to_dict())
        return 0
    t, p = s.tracks, s.playlists
    print(f"folders    {printable(', '.join(s.roots)) if s.roots else 'none'}")
    short = t.too_short  # of the failed: clicks, read fine, given no vector
    unreadable = ((f", {t.unreadable - short} failed analysis" if t.unreadable > short else "")
                  + (f", {short} too short to analyse (no vector)" if short else "")
                  + (", retried by every embed" if t.unreadable else ""))  # not "to analyse"
    no_file = (f", {t.no_audio_file} imported without an audio file" if t.no_audio_file
               else "")  # "present" in the JSON (never missing), not here: no file to play
    print(f"tracks     {t.total} ({t.present - t.no_audio_file} present{no_file}, "
          f"{t.missing} missing, {t.needs_analysis - t.unreadable} to analyse{unreadable})")
    print(f"playlists  {p.total} ({counted(p.entries, 'entry', 'entries')}, "
          f"{p.unresolved} unresolved)")
    print(_errors_text(s.errors_by_stage, missing_tracks_errors(connect(ctx))))
    emb, present = s.embeddings, present_embeddings(ctx)  # as the window counts: present
    damaged = damaged_counts(connect(ctx)) if emb else {}  # else unseen until train refused

    def shown(k: str, v: int) -> str:
        n, bad = present.get(k, 0), damaged.get(k, 0)
        more = ([f"+{v - n} of missing tracks"] if v > n else []) + (
            [f"{bad} damaged: {DAMAGE_WORDS}"] if bad else [])
        return f"{k}: {n}" + (f" ({'; '.join(more)})" if more else "")
    print("embeddings " + (printable(", ".join(shown(k, v) for k, v in emb.items()))
                           if emb else "none"))
    print(graph_model_line(ctx, s.graph_model))
    return 0


def _errors_text(by_stage: dict[str, int], of_missing: dict[str, int]) -> str:
    """The ``errors`` line: the errors one can act on, by stage, and apart those of tracks
    whose files are gone (:mod:`~musicsage.library.missing_errors`), which counted among them
    (``--json`` counts every row, as before)."""
    def stages(counts: dict[str, int]) -> str:
        return ", ".join(f"{k}: {v}" for k, v in counts.items() if v)

    acted = {k: v - of_missing.get(k, 0) for k, v in by_stage.items()}
    n, gone = sum(acted.values()), sum(of_missing.values())
    whose = "a track now missing" if gone == 1 else "tracks now missing"
    if gone and not n:  # "errors 0; 1 more, of …": more than none read oddly
        every = "" if gone == 1 else "all "
        return f"errors     {gone}, {every}of {whose} ({stages(of_missing)})"
    text = f"errors     {n}" + (f" ({stages(acted)})" if n else "")
    return text + (f"; {gone} more, of {whose} ({stages(of_missing)})" if gone else "")


@handler("import")
def _import(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.usecases.library import import_dataset

    require_writable(ctx)
    with progress_bars(not args.json) as progress:
        # the files as the check before the library was made read them, if it did
        rep = import_dataset(ctx, args.dir, progress=progress,
                             read=getattr(args, "dataset_read", None))
    feats = f", features {rep.features[0]}×{rep.features[1]} as {rep.audio_model}" if rep.features else ""
    had = rep.tracks - rep.new_tracks, rep.playlists - rep.new_playlists + rep.known_playlists
    already = " and ".join(counted(n, what) for n, what in zip(had, ("track", "playlist")) if n)
    # an edited playlists.csv or memberships.csv, or other vectors: not "nothing new"
    changed = " and ".join(counted(n, what) for n, what in (
        (rep.updated_playlists, "playlist"), (rep.replaced_vectors, "vector")) if n)
    # vectors for the tracks an import without features.npy stored: not "nothing new" either
    gave = (f"gave vectors to {counted(rep.given_vectors, 'track')} that had none"
            if rep.given_vectors else "")
    # playlists an earlier import stored that the dir no longer holds: neither "nothing new"
    # nor "updated" (two removed read "updated 2 playlists")
    removed = (f"removed {counted(rep.removed_playlists, 'playlist')} the dir no longer holds"
               if rep.removed_playlists else "")
    parts = [part for part in (changed and f"updated {changed}", gave, removed) if part]
    if any(had) and not rep.new_tracks and not rep.new_playlists:  # not "imported 28 tracks"
        return _print_dataset_report(args, rep, f"{' and '.join(parts) or 'nothing new'}"
                                     f"{',' if gave or removed else ''} from {rep.dir}: "
                                     f"{already} already in the library{feats}", counts=None)
    return _print_dataset_report(args, rep, f"imported {{}} from {rep.dir}" + (
        f" ({already} already in the library" + "".join(f", {part}" for part in parts) + ")"
        if any(had) else f" ({removed})" if removed else "") + feats, counts=(
        f"{counted(rep.new_tracks, 'new track')}, {counted(rep.new_playlists, 'new playlist')}"
        if any(had) else ""))  # all new: the report's counts say what was stored


@handler("export")
def _export(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.usecases.export_dir import check_export_dir
    from musicsage.usecases.library import export_dataset

    check_export_dir(ctx, args.dir)  # first: export_dataset's own look at DIR under a folder
    # this user may not open ended in the bare "Permission denied: DIR"
    rep = export_dataset(ctx, args.dir, audio_model=args.audio_model)
    feats = (f", features {rep.features[0]}×{rep.features[1]} from {rep.audio_model}"
             if rep.features else ", no features (no audio embeddings yet)")
    return _print_dataset_report(args, rep, f"exported {{}} to {rep.dir}{feats}")


def _print_dataset_report(args: argparse.Namespace, rep, line: str,
                          counts: str | None = "") -> int:
    """``--json``: the report as data; else ``line`` with ``counts`` (by default the
    report's tracks, playlists and memberships) put in its first ``{}`` (not ``str.format``:
    a folder named ``a{x}`` in the line crashed it; ``counts`` None: the line has none), and
    its notes."""
    if args.json:
        print_json(rep.to_dict())
        return 0
    if counts is not None:
        line = line.replace("{}", counts or (
            f"{counted(rep.tracks, 'track')}, {counted(rep.playlists, 'playlist')}, "
            f"{counted(rep.memberships, 'membership')}"), 1)
    print(printable(on_library(line)))  # stdout is not rewritten: its commands told here
    for note in rep.notes:
        print(f"  note: {printable(note)}", file=sys.stderr)
    return 0
