"""Search and exploration commands: similar, suggest (and adding to / removing from a
playlist), radio, map; tags: see tagging.py."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from musicsage.commands.output import output_before_failure, print_json, progress_bars
from musicsage.commands.registry import (check_m3u, handler, m3u_shown, m3u_to_stdout,
                                         write_m3u_option)
from musicsage.context import AppContext
from musicsage.errors import MusicsageError
from musicsage.text import counted, printable


LIST_MIN_WIDTH = 60
"""The narrowest the lists of ``similar`` and ``suggest`` are laid out for."""


def _list_width() -> int:
    """The terminal's width, at least :data:`LIST_MIN_WIDTH`: at 10 columns (``COLUMNS=10``,
    a phone's ssh window) the titles were cut to nothing and a row read " 1 *  0.995"; a
    line the terminal wraps still names its track."""
    import shutil

    return max(LIST_MIN_WIDTH, shutil.get_terminal_size((100, 24)).columns)


@handler("similar")
def _similar(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.search.query import AmbiguousQuery
    from musicsage.search.report import format_notes, format_similar
    from musicsage.usecases.search import similar_tracks

    k_typed = args.k is not None  # a list cut short of the default -k is no news
    _fill_list_defaults(args)
    check_m3u(args.m3u, ctx, json=args.json)
    notes: list[str] = []
    track = _resolved(args, ctx, args.query, notes)
    with _notes_before_a_refusal(notes):
        result = similar_tracks(ctx, track, k=args.k, space=args.space, variety=args.variety)
        _refuse_no_list(result, "no similar tracks")
        data = result.to_dict()
        if notes:
            data["query_note"] = notes[0]
        if args.m3u:
            written = write_m3u_option(args.m3u, ctx, result)
            data["m3u"] = written.as_dict(args.m3u)
    if args.json:
        print_json(data)
    else:
        if not m3u_to_stdout(args.m3u):  # else stdout holds the playlist alone
            print(format_similar(result, width=_list_width()))
        if args.m3u:
            print(written.line(m3u_shown(args.m3u)), file=sys.stderr)
        _print_notes(notes, format_notes(result).splitlines(),
                     result.short_lists() if k_typed else [])
    return 0


def _print_notes(*notes: str | list[str]) -> None:
    """Notes on stderr, the list alone on stdout: ``similar X > list.txt`` (or ``radio``)
    wrote "graph: no trained graph model yet" into the file. A list of notes: one a line
    (``format_notes(…).splitlines()``); each with its control characters written visibly, as
    a note can name a user's file or title (radio's went through :func:`printable` once)."""
    for note in notes:
        for line in [note] if isinstance(note, str) else note:
            if line:
                print(printable(line if line.startswith(("note:", "graph:", "audio:")) else
                                f"note: {line}"), file=sys.stderr)


@contextmanager
def _notes_before_a_refusal(notes: list[str]) -> Iterator[None]:
    """The QUERY's notes on stderr before a refusal of what follows it: with no vectors,
    `similar 2` said only "no similar tracks: …", not that 2 was read as a track id (and
    which tracks are titled "2"), though the answer was about that track. So for a later
    TRACK that fails, a playlist that refuses the tracks, an ``--m3u`` that cannot be
    written: notes not printed yet are never lost."""
    try:
        yield
    except MusicsageError:
        _print_notes(notes)
        raise


def _resolved(args: argparse.Namespace, ctx: AppContext, query: str, notes: list[str]) -> int:
    """The track QUERY names (``notes`` hears which one was taken among copies of one
    file, and how to name the tracks titled as a bare number read as a track id); one that
    fits several tracks lists them (:func:`_print_candidates`), then fails."""
    from musicsage.search.query import AmbiguousQuery
    from musicsage.usecases.search import resolve_query

    try:  # copies: a file outside the library names its twin for a list, never for a write
        return resolve_query(ctx, query, notes=notes, copies=args.command in ("similar", "radio"))
    except AmbiguousQuery as exc:
        _print_candidates(args, exc)
        raise


def _print_candidates(args: argparse.Namespace, exc) -> None:
    """What an ambiguous QUERY or PLAYLIST matched (stdout), before its one-line error. With
    ``--m3u -`` stdout is the playlist's (``| mpv --playlist=-`` read the list as entries):
    the candidates go to stderr then, beside the error."""
    from musicsage.search.playlist_query import AmbiguousPlaylist
    from musicsage.search.report import format_candidates

    with output_before_failure():  # a closed stdout must not hide the failure that follows
        playlists = isinstance(exc, AmbiguousPlaylist)
        if args.json:
            print_json({"error": str(exc), "total": exc.total, "candidates":
                        exc.as_dicts() if playlists else [c.as_dict() for c in exc.candidates]})
        else:
            print("\n".join(map(printable, exc.lines())) if playlists else
                  format_candidates(exc.candidates, exc.total),
                  file=sys.stderr if m3u_to_stdout(getattr(args, "m3u", None)) else sys.stdout)


@handler("suggest")
def _suggest(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.search.playlist_query import AmbiguousPlaylist
    from musicsage.search.report import format_notes, format_suggestions
    from musicsage.search.suggest import short_lists
    from musicsage.usecases.suggest import resolve_playlist, suggest_tracks

    if args.add and args.remove:
        raise MusicsageError("give --add or --remove, not both")
    _refuse_list_options(args)
    k_typed = args.k is not None  # a list cut short of the default -k is no news
    _fill_list_defaults(args)
    check_m3u(args.m3u, ctx, json=args.json)
    try:
        args.playlist = resolve_playlist(ctx, args.playlist,  # a write takes no piece
                                         exact=bool(args.add or args.remove))
    except AmbiguousPlaylist as exc:
        _print_candidates(args, exc)
        raise
    if args.add:
        return _add_to_playlist(args, ctx)
    if args.remove:
        return _remove_from_playlist(args, ctx)
    result = suggest_tracks(ctx, args.playlist, k=args.k, space=args.space,
                            variety=args.variety, method=args.method)
    _refuse_no_list(result, "no suggestions")
    data = result.to_dict()
    if args.m3u:
        which = "graph" if result.graph else "audio"
        name = f"Suggestions for {result.playlist['name']} ({which})"
        written = write_m3u_option(args.m3u, ctx, result.playlist_tracks(which), name=name)
        data["m3u"] = {**written.as_dict(args.m3u), "space": which}
    if args.json:
        print_json(data)
    else:
        if not m3u_to_stdout(args.m3u):
            print(format_suggestions(result, width=_list_width()))
        if args.m3u:
            print(written.line(m3u_shown(args.m3u)), file=sys.stderr)
        _print_notes(format_notes(result).splitlines(), short_lists(result) if k_typed else [])
    return 0


LIST_DEFAULTS = {"k": 10, "space": "both"}


def _fill_list_defaults(args: argparse.Namespace) -> None:
    """The parser leaves ``-k`` and ``--space`` None when not given, so that a typed
    default can be told from none (``_refuse_list_options``). ``-k 0`` is refused here, as
    typed and before any work (the use case's "k must be at least 1" came after the query)."""
    if args.k is not None and args.k < 1:
        raise MusicsageError(f"-k must be at least 1 (tracks to list), got {args.k}")
    for name, value in LIST_DEFAULTS.items():
        if getattr(args, name) is None:
            setattr(args, name, value)


def _refuse_list_options(args: argparse.Namespace) -> None:
    """``--add``/``--remove`` write tracks into the playlist and list nothing: a list's
    options with them (``--m3u`` never written, ``-k`` unused) were ignored without a word —
    ``-k 10`` too, although it is the default."""
    if not (args.add or args.remove):
        return
    given = [name for name, on in (("-k", args.k is not None),
                                   ("--space", args.space is not None),
                                   ("--variety", args.variety),
                                   ("--method", args.method is not None),
                                   ("--m3u", args.m3u is not None)) if on]
    if given:
        which = "--add" if args.add else "--remove"
        raise MusicsageError(f"{given[0]} goes with a list of suggestions, not with {which} "
                             "(which writes the given tracks and lists nothing); nothing was "
                             "written")


def _refuse_no_list(result, what: str) -> None:
    """A list was asked for and no space asked for can give one (no graph model for
    ``--space graph``, no vectors at all): one line and exit 1, as ``map`` and ``radio``
    do, where a header and a note said exit 0 (docs/cli.md). A list in either space is
    printed with the other's note."""
    wanted = ("graph", "audio") if result.space == "both" else (result.space,)
    if any(result.rows(space) for space in wanted):
        return
    why = "; ".join(f"{s}: {result.notes[s]}" for s in wanted if result.notes.get(s))
    raise MusicsageError(f"{what}: {why or 'no other track has a vector to compare'}")


def _track_ids(args: argparse.Namespace, ctx: AppContext, queries: list[str],
               notes: list[str]) -> list[int]:
    """The tracks TRACK… name (as QUERY); one that fits several lists them, then fails.
    ``notes`` hears what :func:`_resolved` notes (printed here; ``--json`` puts them in its
    ``query_notes``, as ``similar`` its ``query_note``)."""
    with _notes_before_a_refusal(notes):  # `--add 22 zzz`: the note on 22, then zzz's line
        ids = [_resolved(args, ctx, query, notes) for query in queries]
    if not args.json:
        _print_notes(notes)
    return ids


def _with_query_notes(data: dict, notes: list[str]) -> dict:
    return {**data, "query_notes": notes} if notes else data


def _add_to_playlist(args: argparse.Namespace, ctx: AppContext) -> int:
    """``suggest PLAYLIST --add TRACK…``: write the tracks into the playlist's file."""
    from musicsage.usecases.suggest import add_to_playlist

    notes: list[str] = []
    ids = _track_ids(args, ctx, args.add, notes)
    with _notes_before_a_refusal(notes if args.json else []), \
            progress_bars(not args.json) as progress:  # only says it waits for a scan
        report = add_to_playlist(ctx, args.playlist, ids, progress=progress)
    if args.json:
        print_json(_with_query_notes(report.to_dict(), notes))
        return 0
    if report.added:
        print(f"added {counted(len(report.added), 'track')} to {printable(report.path)} "
              f"({report.format}); now {counted(report.entries, 'entry', 'entries')}, "
              f"{report.resolved} resolved; backup: {printable(report.backup)}")
    else:
        print(f"nothing added to {printable(report.path)}: the file was not touched")
    for skip in report.skipped:
        print(f"  skipped #{skip['track_id']}: {printable(skip['reason'])}", file=sys.stderr)
    return 0


def _remove_from_playlist(args: argparse.Namespace, ctx: AppContext) -> int:
    """``suggest PLAYLIST --remove TRACK…``: take every entry of the tracks out of the
    playlist's file; a track listed more than once is said to be."""
    from musicsage.usecases.suggest import remove_from_playlist

    notes: list[str] = []
    ids = _track_ids(args, ctx, args.remove, notes)
    with _notes_before_a_refusal(notes if args.json else []), \
            progress_bars(not args.json) as progress:  # only says it waits for a scan
        report = remove_from_playlist(ctx, args.playlist, ids, progress=progress)
    if args.json:
        print_json(_with_query_notes(report.to_dict(), notes))
        return 0
    if report.removed:
        gone = sum(r["entries"] for r in report.removed)
        print(f"removed {counted(len(report.removed), 'track')} "
              f"({counted(gone, 'entry', 'entries')}) from {printable(report.path)} "
              f"({report.format}); now {counted(report.entries, 'entry', 'entries')}, "
              f"{report.resolved} resolved; backup: {printable(report.backup)}")
        for r in report.removed:
            if r["entries"] > 1:
                print(f"  #{r['track_id']} was listed {r['entries']} times: every entry removed")
    else:
        print(f"nothing removed from {printable(report.path)}: the file was not touched")
    for skip in report.skipped:
        print(f"  skipped #{skip['track_id']}: {printable(skip['reason'])}", file=sys.stderr)
    return 0


@handler("radio")
def _radio(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.search.report import format_radio, track_label
    from musicsage.usecases.radio import radio_tracks

    if args.length < 1:  # before any work, named as typed (as -k: _fill_list_defaults)
        raise MusicsageError(f"--length must be at least 1 (tracks to queue), got {args.length}")
    check_m3u(args.m3u, ctx, json=args.json)
    notes: list[str] = []
    seed = _resolved(args, ctx, args.query, notes)
    with _notes_before_a_refusal(notes):
        result = radio_tracks(ctx, seed, length=args.length, mode=args.mode,
                              variety=args.variety)
        if not result.tracks:  # only the seed (and its copies, missing files) to play
            left_out = result.variety_left_out()  # "" without --variety, or none left out
            advice = f", {left_out}: run without --variety to queue them" if left_out else ""
            raise MusicsageError("no radio: no other track to queue after the seed (copies "
                                 f"of it and missing files are never queued){advice}")
        data = result.to_dict()
        data["requested"] = args.length
        if notes:
            data["query_note"] = notes[0]
        if args.m3u:
            written = write_m3u_option(args.m3u, ctx, result.playlist_tracks(),
                                       name=f"Radio: {track_label(result.seed)}")
            data["m3u"] = written.as_dict(args.m3u)
    short = (f"the queue has {counted(len(result.tracks), 'track')}, not {args.length}: no "
             "other track to pick (no repeats, copies or missing files"
             + (", one per artist" if args.variety else "") + ")"
             if len(result.tracks) < args.length else "")
    if args.json:
        print_json(data)
    else:
        if not m3u_to_stdout(args.m3u):
            print(format_radio(result))
        if args.m3u:
            print(written.line(m3u_shown(args.m3u)), file=sys.stderr)
        _print_notes(notes, result.note, short)
    return 0


@handler("map")
def _map(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.commands.map_notes import as_json, unmapped
    from musicsage.search.types import SPACES
    from musicsage.usecases.search import map_points, refuse_a_library_without_tracks
    from musicsage.usecases.spaces import SearchSpaces

    refuse_a_library_without_tracks(ctx)
    found = SearchSpaces(ctx)
    out: dict[str, Any] = {}
    said: dict[str, dict[str, list[str]]] = {}  # unmapped's lines, apart: never split text
    for space in SPACES if args.space == "both" else (args.space,):
        note = found.get(space)
        if isinstance(note, str):
            out[space] = {"note": note}
            continue
        with progress_bars(not args.json) as progress:
            points = map_points(ctx, space, progress=progress, spaces=found,
                                relayout=args.relayout)
        said[space] = unmapped(ctx, found, points)
        out[space] = {**points.as_dict(points=args.json), **as_json(said[space])}
    if all("note" in v for v in out.values()):
        raise MusicsageError("nothing to map: " + "; ".join(f"{s}: {v['note']}" for s, v in out.items()))
    if args.json:
        print_json(out)
        return 0
    for space, v in out.items():
        if "note" in v:
            print(f"{space}: {printable(v['note'])}", file=sys.stderr)
        else:
            how = "cached" if v["cached"] else f"{v['method']}, {v['seconds']:.1f} s"
            if v["method"] == "placed":  # a saved map carried over: say so, and how to redo it
                what = (f"{counted(v['placed'], 'new or changed track')} placed on the saved map"
                        if v["placed"] else "the saved map kept, less the tracks that left")
                how = f"{what}, {v['seconds']:.1f} s; --relayout lays it out afresh"
            elif v.get("relaid_because"):  # minutes of UMAP: the bar that said why is gone
                how += f"; laid out afresh: {v['relaid_because']}"
            print(f"{space} ({v['model_id']}): {counted(v['tracks'], 'track')} mapped ({how})")
            lines = {"left_out": [v["left_out"]] if v.get("left_out") else [], **said[space]}
            for key in ("left_out", "other_version", "no_vector"):  # short of them above
                for line in lines.get(key, ()):  # no_vector: a line per advice
                    print(f"note: {space}: {printable(line)}", file=sys.stderr)
    return 0
