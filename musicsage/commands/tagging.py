"""The ``tags`` command: MusiCNN's tags of one audio FILE, or of every library track
(``--library``). Apart from the explore commands (similar, suggest, radio, map), which
list tracks by their vectors: tagging reads audio, runs a model of its own and is stopped
as ``embed`` is, and shares none of their QUERY and list helpers."""

from __future__ import annotations

import argparse
import sys

from musicsage.commands.output import failure_line, print_json, progress_bars
from musicsage.commands.registry import check_limit, handler
from musicsage.context import AppContext, library_option
from musicsage.errors import MusicsageError
from musicsage.text import counted, noun


@handler("tags")
def _tags(args: argparse.Namespace, ctx: AppContext) -> int:
    from musicsage.usecases.tags import EXPLAIN_TAG_MODEL, tag_library, track_tags

    if args.library:
        if args.file:
            raise MusicsageError("give FILE or --library, not both")
        if args.top is not None or args.model is not None:  # they were silently ignored
            raise MusicsageError(f"{'--top' if args.top is not None else '--model'} goes with "
                                 f"FILE; --library stores every track's tags ({EXPLAIN_TAG_MODEL}) for "
                                 "'why this neighbour' and prints only counts")
        check_limit(args.limit)
        rep = _tag_library_stoppably(args, ctx, tag_library)
        if args.json:
            print_json(rep.as_dict())
            return 0
        print(f"tagged {counted(rep.tagged, 'track')} ({rep.known} "
              f"{noun(rep.known, 'was', 'were')} tagged before, {len(rep.failed)} failed, "
              f"{rep.seconds:.1f} s)")
        for path, reason in rep.failed:
            print(f"  failed: {failure_line(path, reason)}", file=sys.stderr)
        return 0
    if not args.file:
        raise MusicsageError("give an audio FILE (or --library to tag the library's tracks)")
    if args.limit is not None:
        raise MusicsageError("--limit goes with --library (FILE is one file)")
    top = 10 if args.top is None else args.top
    if top < 1:
        raise MusicsageError("--top must be at least 1")
    tags = _tags_of_file(args, ctx, track_tags, top)
    if args.json:
        print_json([{"tag": t.tag, "p": round(t.p, 6)} for t in tags])
        return 0
    width = max(len(t.tag) for t in tags)
    for t in tags:
        print(f"{t.tag:<{width}}  {t.p:.3f}")
    return 0


def _tags_of_file(args: argparse.Namespace, ctx: AppContext, track_tags, top: int) -> list:
    """``tags FILE``'s tags. A WAV whose header was never written is refused with the advice
    to rewrite it ending "then try the fixed file" (:data:`~musicsage.library.wav_sizes.
    TRY_FIXED`): the decoder's advice ends "replace it and scan again", right for a library
    track, but FILE is read as given and scans nothing; a playlist file is said to be one
    (it was "not a readable audio file", as a damaged one). Looked at only once the decoder
    has refused a regular file (a FIFO is never opened)."""
    import os

    from musicsage.audio.decode import DecodeError
    from musicsage.library.paths import shown
    from musicsage.library.playlists import format_for
    from musicsage.library.wav_sizes import TRY_FIXED, unwritten_header

    try:
        with progress_bars(not args.json) as progress:  # only shows a first-use download
            return track_tags(ctx, args.file, top=top, model=args.model or "MSD_musicnn",
                              progress=progress)
    except DecodeError as exc:
        fs_path = os.fsdecode(args.file)
        why = unwritten_header(fs_path, TRY_FIXED) if os.path.isfile(fs_path) else None
        if why is None and os.path.isfile(fs_path) and format_for(fs_path) is not None:
            why = "a playlist, not an audio file: give one of its tracks"  # not "unreadable"
        if why is None:
            raise _as_typed(exc, fs_path) from None
        raise DecodeError(f"{shown(os.path.basename(fs_path))}: {why}") from None


def _as_typed(exc: Exception, fs_path: str) -> Exception:
    """``exc`` naming FILE as typed: the decoder names it as a ``Path``, which drops a leading
    ``./``, so ``tags ./~/x.mp3`` said "~/x.mp3: file not found", which reads as a file in the
    home folder (``tags ~/x.mp3`` is one: the shell expands it)."""
    from pathlib import Path

    from musicsage.audio.decode import DecodeError
    from musicsage.library.paths import shown

    said, typed, text = shown(Path(fs_path)), shown(fs_path), str(exc)
    if said == typed or not text.startswith(f"{said}: "):
        return exc
    return DecodeError(typed + text[len(said):])


def _tag_library_stoppably(args: argparse.Namespace, ctx: AppContext, tag_library):
    """``tags --library``, stopped by Ctrl-C or SIGTERM as ``embed`` is: between two tracks
    (or two touched files hashed before the first), in a line that says what was kept and how
    to finish ("looked at": failed tracks and those another run tagged count too). It said
    "interrupted" alone, and a user could not tell that the minutes of tagging done were kept
    (each track's tags are stored as it is done: the run is resumable)."""
    from musicsage.commands.stopping import STOP_ERRORS, stop_requests

    done = {"tracks": 0, "of": None}

    with progress_bars(not args.json) as bars, stop_requests() as stop:
        def seen(p) -> None:
            if p.stage == "tags":
                done.update(tracks=p.done, of=p.total)
            if bars is not None:
                bars(p)

        try:
            return tag_library(ctx, limit=args.limit, progress=seen, cancel=stop.cancel)
        except STOP_ERRORS as exc:
            if not stop.ends(exc):
                raise
            again = f"`musicsage {library_option(ctx.data_dir)}tags --library` again"
            if done["of"] is None:  # still finding the tracks to tag (hashing touched files)
                raise stop.stopped("no new track was tagged (tags found before are kept); run "
                                   f"{again} to tag them") from None
            raise stop.stopped(f"the tags found so far are kept ({done['tracks']} of "
                               f"{done['of']} tracks looked at, failed ones included); run "
                               f"{again} to tag the rest") from None
