"""``scan --watch``: keep the library current after the scan, until Ctrl-C or SIGTERM.

The ``scan`` handler (:mod:`musicsage.commands.library`) hands over to :func:`watch` once its
own lines are printed.
"""

from __future__ import annotations

import argparse
import sys

from musicsage.commands.output import print_json_line
from musicsage.commands.stopping import stop_requests
from musicsage.commands.told_commands import on_library
from musicsage.context import AppContext
from musicsage.text import counted, printable


def watch(args: argparse.Namespace, ctx: AppContext) -> int:
    """Watch until Ctrl-C or SIGTERM (how a service manager stops it; a second one forces
    it), one line per update. The signals are taken as every long command takes them
    (:func:`~musicsage.commands.stopping.stop_requests`): one the process was started with
    ignored stays ignored (``sh -c 'musicsage scan --watch &'``: a Ctrl-C meant for the script
    stopped the background watch)."""
    import time

    from musicsage.usecases.watch import watch_library, watched_folders_text

    said: set[tuple[str, str]] = set()

    def ready(watch) -> None:
        print(f"watching {watched_folders_text(watch.plan)}; Ctrl-C stops", file=sys.stderr)
        folders(watch)

    def folders(watch) -> None:
        """Each folder not watched said once: at the start, or once it is found (one made
        while the watch runs, past the system's inotify limit, was never said)."""
        for folder, why in (x for x in watch.not_watched if x not in said):
            said.add((folder, why))
            print(f"  not watched: {printable(folder)} ({printable(why)})", file=sys.stderr)

    def batch(rep) -> None:
        if args.json:
            print_json_line(rep.to_dict())
        elif not rep.empty or rep.error or rep.stopped_reading:  # "nothing that changes
            # the library" is not a line (another watcher stored the files first)
            print(f"{time.strftime('%H:%M:%S')} {printable(rep.summary())}{_rest(ctx, rep)}",
                  flush=True)

    with stop_requests() as stop:
        n = watch_library(ctx, args.paths, args.playlists, on_batch=batch, on_ready=ready,
                          on_folders=folders, cancel=stop.cancel,
                          restart_advice=on_library("start `musicsage scan --watch` again"))
    print(f"stopped watching after {counted(n, 'update')}", file=sys.stderr)
    return 0


def _rest(ctx: AppContext, rep) -> str:
    """What is left to do after a batch the watch was stopped in (Ctrl-C): the embedding of
    its tracks (stopped in it, or before it while its files were read); its command names the
    library watched, as stdout is never rewritten (:mod:`~musicsage.commands.told_commands`)."""
    if rep.interrupted:
        return on_library("; run `musicsage embed` to do the rest")
    if rep.stopped_reading and rep.needs_embedding:
        from musicsage.usecases.embedding import current_audio_model_id

        if current_audio_model_id(ctx) is not None:  # a library never embedded: nothing to say
            return on_library("; `musicsage embed` embeds the new tracks")
    return ""
