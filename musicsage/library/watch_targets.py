"""Which paths a folder watch looks at: the file events it keeps, and the touched paths a batch
scans (:mod:`musicsage.library.watch`, :mod:`musicsage.library.watch_apply`).

The kernel's limits, and links, are met here rather than in the loop:

- **Events lost.** inotify's queue holds a bounded number of events (``max_queued_events``);
  a burst larger than the watch can read in time (thousands of files copied in while the
  machine is busy) overflows it, and watchdog says so once per watched folder
  (``EventsLostEvent``) instead of naming the files. The folder is then a batch of its own,
  scanned whole (an incremental scan: unchanged files cost a ``stat``), with the playlist
  files in it, so the library still ends as the disk is.
- **A batch of many files.** A batch names each file touched; SQLite refuses a query over
  500 of them ("Expression tree is too large"), and a batch of 1,000 files copied into one
  folder was refused at every retry, forever. The files of a batch are folded into their
  folders until a few are left (:data:`MAX_TARGETS`): a scan of the folder reads the same
  files, and what did not change is skipped.
- **Watches run out.** A folder made while the watch runs (an album copied in) needs a watch
  of its own; past ``max_user_watches`` watchdog only logs that it could not add one, and
  the folder's later changes went unseen without a word (a copy still going on stayed half
  read). :class:`UnwatchedFolders` hears that log line, so the watch says which folder is
  not watched and how to raise the limit.
- **A link to a folder** made in a music folder is a "file" to inotify, and had no audio
  extension: it was dropped. It is scanned as a folder, as a scan sees through it (not one
  leading back into a music folder: a loop adds no file). What changes later inside the
  folder it leads to is not seen (watchdog does not follow links, which would loop forever
  on `again -> .`): a rescan reads it.
"""

from __future__ import annotations

import errno
import logging
import os
from typing import TYPE_CHECKING

from musicsage.library import paths as P
from musicsage.library.playlists import format_for
from musicsage.library.tags import audio_format

if TYPE_CHECKING:
    from musicsage.library.watch_apply import WatchPlan
    from musicsage.library.watch_events import PendingChanges

MAX_TARGETS = 100
"""The most paths one batch's scan is given (SQLite's limit is near 500 in one query)."""


def relevant(plan: "WatchPlan", path: str, is_dir: bool) -> bool:
    """Could an event at ``path`` change the library? (Cheap: runs for every event.)"""
    if plan.source_of(path) is not None:
        return True
    name = os.path.basename(path)
    if name.startswith("."):
        return False
    base = next((r for r in plan.trees() if path.startswith(r.rstrip("/") + "/")), None)
    if base is not None and "/." in path[len(base.rstrip("/")):]:
        return False  # inside a hidden folder, which the scan skips too
    return is_dir or audio_format(name) is not None or format_for(name) is not None


def event_handler(plan: "WatchPlan", pending: "PendingChanges"):
    """The watchdog handler that adds the events that matter to ``pending``."""
    from watchdog.events import FileSystemEventHandler

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            kind = event.event_type
            if kind == "events_lost":  # the kernel's queue overflowed: the folder, whole
                add_lost_folder(plan, pending, os.fsdecode(event.src_path))
                return
            if kind not in ("created", "modified", "moved", "deleted", "closed"):
                return
            if event.is_directory and kind in ("modified", "closed"):
                return  # a folder's own timestamps: its files' events say what changed
            src = os.fsdecode(event.src_path)
            dest = os.fsdecode(event.dest_path) if kind == "moved" else None
            if kind == "created" and _links_to_a_folder(plan, src, event.is_directory):
                pending.add(src, True)  # `ln -s /data/jazz Music/Jazz`: scanned through
                return
            keep_src = relevant(plan, src, event.is_directory)
            keep_dest = dest is not None and relevant(plan, dest, event.is_directory)
            if keep_src and keep_dest:
                pending.add(src, event.is_directory, dest)
            elif keep_src or keep_dest:
                pending.add(dest if keep_dest else src, event.is_directory)

    return Handler()


def _links_to_a_folder(plan: "WatchPlan", path: str, is_dir: bool) -> bool:
    """A symbolic link to a folder made in a watched folder (inotify says "a file"), which
    the scan sees through as it sees through every link in a music folder, unless it leads
    back into one. Only for names the watch would drop (no audio or playlist extension): one
    ``lstat`` each."""
    if is_dir or relevant(plan, path, False) or not relevant(plan, path, True):
        return False
    if not (os.path.islink(path) and os.path.isdir(path)):
        return False
    real = os.path.realpath(path)  # one into a music folder (a loop: `again -> .`) adds no
    return not any(P.is_under(real, os.path.realpath(r)) for r in plan.roots)  # file


def add_lost_folder(plan: "WatchPlan", pending: "PendingChanges", folder: str) -> None:
    """A watched ``folder`` whose events were lost: scanned whole when it holds music (a music
    folder or one inside it), its playlist files and players' files read again."""
    pending.add(folder, True)
    recursive = any(P.is_under(folder, t) for t in plan.trees())
    for path in playlist_files(folder, recursive):
        pending.add(path, False)
    for source in (s for s in plan.player_sources if os.path.dirname(s) == folder):
        pending.add(source, False)


def playlist_files(folder: str, recursive: bool) -> list[str]:
    """The playlist files in ``folder`` (and its sub-folders when ``recursive``), as a scan
    of it would import them; none when it cannot be listed."""
    from musicsage.library.playlists.store import find_playlist_files

    if recursive:
        return find_playlist_files(folder)
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [os.path.join(folder, n) for n in names if format_for(n) is not None]


def audio_targets(plan: "WatchPlan", paths: dict[str, bool], removed: set[str]) -> list[str]:
    """Touched audio files and folders inside the music folders (not ``removed``), outermost
    only, at most :data:`MAX_TARGETS` (:func:`fold_into_folders`); a music folder that is
    gone is scanned whole (it is said as gone, not as files)."""
    roots = [r for r in plan.roots if r not in removed]
    gone = {r: True for r in roots if not os.path.exists(r)
            and any(P.is_under(p, r) for p in paths)}
    picked = [p for p, is_dir in {**paths, **gone}.items()
              if any(P.is_under(p, r) for r in roots)
              and (is_dir or audio_format(os.path.basename(p)) is not None)]
    return fold_into_folders(outermost(picked), roots)


def outermost(paths: list[str]) -> list[str]:
    """``paths`` less those inside another of them, sorted."""
    out: list[str] = []
    for p in sorted(set(paths), key=lambda p: p.rstrip("/") + "/"):  # a folder, then what
        if not out or not P.is_under(p, out[-1]):  # is inside it (`a b` sorts before `a/`)
            out.append(p)
    return out


def fold_into_folders(paths: list[str], roots: list[str],
                      limit: int = MAX_TARGETS) -> list[str]:
    """At most ``limit`` paths covering ``paths``: the deepest are replaced by their folder,
    level by level, never above their music folder (of ``roots``), until few enough are left
    (or only music folders are)."""
    while len(paths) > limit:
        liftable = {p for p in paths if p not in roots}
        if not liftable:
            break
        deepest = max(p.count("/") for p in liftable)
        paths = outermost([os.path.dirname(p) if p in liftable and p.count("/") == deepest
                           else p for p in paths])
    return paths


class UnwatchedFolders(logging.Handler):
    """The folders watchdog could not watch for want of inotify watches (it logs them, as
    ``Unable to watch PATH: ERROR``, and goes on without them), while attached
    (:meth:`attach`, :meth:`detach`); :meth:`take` hands them over once each."""

    LOGGER = "watchdog.observers.inotify"

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self._found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        if (str(record.msg).startswith("Unable to watch") and len(args) == 2
                and getattr(args[1], "errno", None) in (errno.ENOSPC, errno.EMFILE)):
            self._found.append(os.fsdecode(args[0]))  # (under the handler's own lock)

    def take(self) -> list[str]:
        with self.lock:
            found, self._found = self._found, []
        return found

    def attach(self) -> "UnwatchedFolders":
        log = logging.getLogger(self.LOGGER)
        if log.getEffectiveLevel() > logging.WARNING:  # heard even when logging is quieter
            log.setLevel(logging.WARNING)
        log.addHandler(self)
        return self

    def detach(self) -> None:
        logging.getLogger(self.LOGGER).removeHandler(self)
