"""Which paths a folder watch looks at: the file events it keeps, and the touched paths a batch
scans (:mod:`musicsage.library.watch`, :mod:`musicsage.library.watch_apply`).

The kernel's limits, and links, are met here rather than in the loop:

- **Events lost.** inotify's queue holds a bounded number of events (``max_queued_events``);
  a burst larger than the watch can read in time (thousands of files copied in while the
  machine is busy) overflows it, and watchdog says so once per watched folder
  (``EventsLostEvent``) instead of naming the files. The folder is then a batch of its own,
  scanned whole (an incremental scan: unchanged files cost a ``stat``), with the playlist
  files in it, so the library still ends as the disk is.
- **A batch of many files.** A batch names each file touched: 1,000 files copied into one
  folder are 1,000 paths, each looked at on its own by the scan (and once refused by SQLite,
  "Expression tree is too large", at every retry). The files of a batch are folded into
  their folders until a few are left (:data:`MAX_TARGETS`): a scan of the folder reads the
  same files, and what did not change costs a ``stat``.
- **Watches run out.** A folder made while the watch runs (an album copied in) needs a watch
  of its own, as a music folder does once its events were lost; past ``max_user_watches``
  watchdog only logs that it could not add one, and the folder's later changes went unseen
  without a word (a copy still going on stayed half read). :class:`UnwatchedFolders` hears
  that log line, so the watch says which folder is not watched and how to raise the limit.
- **A link removed** (or renamed) is a "file" gone: a name that counts only as a folder's is
  scanned as a folder, so the tracks seen through it are marked missing. Most such names
  are plain files (cover.jpg, .nfo, an editor's probe): marked "maybe a link", each is
  dropped before the batch unless a track is under it (:func:`worth_a_batch`), so
  removing one is no batch (no line, no "Updating the library").
- **A link to a folder** made in a music folder is a "file" to inotify, and had no audio
  extension: it was dropped. It is scanned as a folder, as a scan sees through it (not one
  leading back into a music folder: a loop adds no file). What changes later inside the
  folder it leads to is not seen (watchdog does not follow links, which would loop forever
  on `again -> .`): a rescan reads it.
- **A music folder that is a link** (``~/Music -> /mnt/disk/Music``): watchdog does not
  follow a link that ends the path it is given (inotify's ``IN_DONT_FOLLOW``, which acts on
  that path alone; its ``os.walk`` without ``followlinks`` keeps links inside from looping)
  and watched the link itself: a file or folder made at the top of the folder it leads to
  was never heard (one in a sub-folder was). The folder it leads to is observed instead
  (:func:`observed_path`; again once the link leads elsewhere, :func:`led_elsewhere`), each
  path its events name spelled back under the link (:func:`spelled_back`), as the scan
  stored it: one file, one spelling.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import threading
from typing import TYPE_CHECKING

from musicsage.library import paths as P
from musicsage.library.playlists import format_for
from musicsage.library.playlists.store import find_playlist_files, is_playlist_name
from musicsage.library.tags import audio_format
from musicsage.library.walk import is_hidden_folder, is_resource_fork
from musicsage.text import counted

if TYPE_CHECKING:
    from musicsage.library.watch_apply import WatchPlan
    from musicsage.library.watch_events import Batch, PendingChanges

MAX_TARGETS = 100
"""The most paths one batch's scan is given. Any number of folders now makes a valid query
(:mod:`musicsage.library.under_paths`); this bounds the work: each path is walked and
looked up on its own, where a folder holding many of them is one walk of ``stat`` calls."""


def relevant(plan: "WatchPlan", path: str, is_dir: bool) -> bool:
    """Could an event at ``path`` change the library? (Cheap: runs for every event.)

    What the scan's walk skips, the watch drops: a hidden folder (``.Trash-1000``, ``.git``:
    :func:`~musicsage.library.walk.is_hidden_folder`) and what is inside one, and macOS
    ``._*`` files. Every dotted name was dropped: files copied into ``...And Justice for
    All`` or ``.38 Special``, which a scan reads, were seen by no batch."""
    if plan.source_of(path) is not None:
        return True
    name = os.path.basename(path)
    skipped_by_the_walk = is_hidden_folder(name) if is_dir else is_resource_fork(name)
    if skipped_by_the_walk:
        return False
    base = next((r for r in plan.trees() if path.startswith(r.rstrip("/") + "/")), None)
    if base is not None and _in_hidden_folder(path[len(base.rstrip("/")):]):
        return False  # the scan skips it too
    return is_dir or audio_format(name) is not None or format_for(name) is not None


def _in_hidden_folder(relative: str) -> bool:
    """Whether ``relative`` (a path below a watched folder, ``/a/.git/x.wav``) lies inside
    a folder the scan's walk skips as hidden."""
    return any(is_hidden_folder(part) for part in relative.strip("/").split("/")[:-1])


def observed_path(folder: str) -> str:
    """The path the observer is given for ``folder``: the folder it leads to when ``folder``
    is itself a symbolic link (watchdog would watch the link, not its folder), else itself."""
    return os.path.realpath(folder) if os.path.islink(folder) else folder


def led_elsewhere(watches: dict) -> list[str]:
    """The folders of ``watches`` ((folder, recursive) -> watchdog's ObservedWatch) that lead
    elsewhere than the path their watch was given (a link pointed at another folder since:
    watchdog stays on the folder it was given). An ``lstat`` a folder, a ``realpath`` a link."""
    return [f for (f, _rec), w in list(watches.items()) if observed_path(f) != w.path]


def spelled_back(path: str, observed: str, folder: str) -> str:
    """``path``, an event's under the ``observed`` folder, spelled under ``folder`` (the link
    that leads there), as the scan stores its tracks; any other path as it is."""
    if not P.is_under(path, observed):
        return path
    return folder if path == observed else folder.rstrip("/") + path[len(observed.rstrip("/")):]


def named_in(path: str, trees: list[str]) -> str:
    """``path`` (a folder watchdog names, under the folder a link leads to) spelled under the
    one of ``trees`` that is that link; as it is when none is. A ``realpath`` per link."""
    for tree in (t for t in trees if os.path.islink(t)):
        real = os.path.realpath(tree)
        if P.is_under(path, real):
            return spelled_back(path, real, tree)
    return path


def event_handler(plan: "WatchPlan", pending: "PendingChanges",
                  link: tuple[str, str] | None = None):
    """The watchdog handler that adds the events that matter to ``pending``. ``link``: (the
    folder observed, the link it was named by): its events' paths are spelled as the link's."""
    from watchdog.events import FileSystemEventHandler

    def named(raw) -> str:
        path = os.fsdecode(raw)
        return spelled_back(path, *link) if link is not None else path

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            kind = event.event_type
            if kind == "events_lost":  # the kernel's queue overflowed: the folder, whole
                add_lost_folder(plan, pending, named(event.src_path))
                return
            if kind not in ("created", "modified", "moved", "deleted", "closed"):
                return
            if event.is_directory and kind in ("modified", "closed"):
                return  # a folder's own timestamps: its files' events say what changed
            src = named(event.src_path)
            dest = named(event.dest_path) if kind == "moved" else None
            if kind == "created" and _links_to_a_folder(plan, src, event.is_directory):
                pending.add(src, True)  # `ln -s /data/jazz Music/Jazz`: scanned through
                return
            if kind in ("deleted", "moved") and _only_a_folder(plan, src, event.is_directory):
                pending.add(src, True, maybe_link=True)  # `rm Music/Jazz` (a link): its
                # tracks leave; `rm Music/cover.jpg` is dropped before the scan (no track)
                if dest is not None and _links_to_a_folder(plan, dest, False):
                    pending.add(dest, True)  # the link renamed
                if dest is None or not relevant(plan, dest, False):
                    return
            keep_src = relevant(plan, src, event.is_directory)
            keep_dest = dest is not None and relevant(plan, dest, event.is_directory)
            if keep_src and keep_dest:
                pending.add(src, event.is_directory, dest)
            elif keep_src or keep_dest:
                pending.add(dest if keep_dest else src, event.is_directory)

    return Handler()


def _only_a_folder(plan: "WatchPlan", path: str, is_dir: bool) -> bool:
    """A "file" gone from a watched folder whose name counts only as a folder's: it may have
    been a link to a folder (inotify says "a file" for it too), whose tracks the scan of
    its path (not there) marks missing. Nothing is known of it once it is gone."""
    return not is_dir and not relevant(plan, path, False) and relevant(plan, path, True)


def _links_to_a_folder(plan: "WatchPlan", path: str, is_dir: bool) -> bool:
    """A symbolic link to a folder made in a watched folder (inotify says "a file"), which
    the scan sees through as it sees through every link in a music folder, unless it leads
    back into one. Only for names the watch would drop (no audio or playlist extension): one
    ``lstat`` each."""
    if not _only_a_folder(plan, path, is_dir):
        return False
    if not (os.path.islink(path) and os.path.isdir(path)):
        return False
    real = os.path.realpath(path)  # one into a music folder (a loop: `again -> .`) adds no
    return not any(P.is_under(real, os.path.realpath(r)) for r in plan.roots)  # file


def add_lost_folder(plan: "WatchPlan", pending: "PendingChanges", folder: str) -> None:
    """A watched ``folder`` whose events were lost: scanned whole when it holds music (a music
    folder or one inside it), its playlist files and players' files read again, and the music
    "folders" that are single files in it (`scan m/song.wav` watches ``m`` alone)."""
    pending.add(folder, True)
    for root in (r for r in plan.roots if os.path.dirname(r) == folder):
        pending.add(root, os.path.isdir(root))
    recursive = any(P.is_under(folder, t) for t in plan.trees())
    for path in playlist_files(folder, recursive):
        pending.add(path, False)
    for source in (s for s in plan.player_sources if os.path.dirname(s) == folder):
        pending.add(source, False)


def playlist_files(folder: str, recursive: bool) -> list[str]:
    """The playlist files in ``folder`` (and its sub-folders when ``recursive``), as a scan
    of it would import them, by its rule (:func:`~.playlists.store.is_playlist_name`); none
    when it cannot be listed. Not macOS's ``._mix.m3u`` (a Mac's copy onto a USB drive
    leaves one beside each file), which the watch's events drop too: read again, each was
    said as "not a playlist: binary data"."""
    if recursive:
        return find_playlist_files(folder)
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [os.path.join(folder, n) for n in names if is_playlist_name(n)]


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


def others_placed(folders: list[str], trees: list[str]) -> str:
    """"with 29 other folders beside it; ": the refused folders said with the first one named
    ("and 29 other folders" never said which): where they are, beside it or under a folder
    of one of the watch's ``trees``; spread over several, "under /" told nothing."""
    if len(folders) < 2:
        return ""
    others = counted(len(folders) - 1, "other folder")
    parent, common = os.path.dirname(folders[0]), os.path.commonpath(folders)
    if all(os.path.dirname(f) == parent for f in folders):
        return f"with {others} beside it; "
    if common != "/" and any(P.is_under(common, t) for t in trees):
        return f"with {others} under {common}; "
    where = "another music folder" if len(folders) == 2 else "other music folders"
    return f"with {others} in {where}; "


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


class UnwatchedFolders:
    """The folders watchdog could not watch for want of inotify watches, while attached
    (:meth:`attach`, :meth:`detach`); :meth:`take` hands them over once each. Watchdog logs
    them and goes on without them: ``Unable to watch PATH: ERROR`` (a folder made meanwhile),
    ``Unable to rebuild recursive inotify watches below PATH`` (a whole music folder, after
    its events were lost). One filter on watchdog's logger hears them for every watch
    attached (a handler of each watch heard every watch's folders, and took Python's own
    printing of the logger's other warnings away); those heard are said by the watch, every
    other record goes on as it would have."""

    LOGGER = "watchdog.observers.inotify"
    _lock = threading.Lock()
    _attached: list["UnwatchedFolders"] = []
    _saved_level: int = logging.NOTSET
    _shown_from: int = logging.WARNING
    """The level from which the logger's records were shown before the first attach."""

    def __init__(self) -> None:
        self._found: list[str] = []

    def take(self) -> list[str]:
        with self._lock:
            found, self._found = self._found, []
        return found

    def attach(self) -> "UnwatchedFolders":
        """Hear the folders refused from now on; the first watch attached saves the logger's
        level (given back by the last :meth:`detach`)."""
        cls, log = type(self), logging.getLogger(self.LOGGER)
        with self._lock:
            if not cls._attached:  # the filter first: no record passes unheard meanwhile
                cls._saved_level, cls._shown_from = log.level, log.getEffectiveLevel()
                log.addFilter(_hear_unwatched)
                if cls._shown_from > logging.WARNING:  # heard even when logging is quieter
                    log.setLevel(logging.WARNING)
            cls._attached.append(self)
        return self

    def detach(self) -> None:
        """Stop hearing; the last watch to detach gives the logger back the level saved at
        the first attach (a level set by someone else while watches were attached is lost)."""
        cls, log = type(self), logging.getLogger(self.LOGGER)
        with self._lock:
            if self not in cls._attached:
                return
            cls._attached.remove(self)
            if not cls._attached:  # the level first: no warning is printed unfiltered
                log.setLevel(cls._saved_level)
                log.removeFilter(_hear_unwatched)


def _hear_unwatched(record: logging.LogRecord) -> bool:
    """The logger's filter: a folder not watched goes to every watch attached (each keeps
    its own, :meth:`musicsage.library.watch.FolderWatch.look_at_limits`) and is not printed
    (the watch says it in a line of its own, not a traceback); any other record passes as it
    would have without the watch."""
    folder = _unwatched_folder(record)
    if folder is None:
        return record.levelno >= UnwatchedFolders._shown_from
    with UnwatchedFolders._lock:
        for one in UnwatchedFolders._attached:
            one._found.append(folder)
    return False


def _unwatched_folder(record: logging.LogRecord) -> str | None:
    """The folder a watchdog record says is not watched, or None."""
    args = record.args if isinstance(record.args, tuple) else ()
    msg = str(record.msg)
    if (msg.startswith("Unable to watch") and len(args) == 2
            and getattr(args[1], "errno", None) in (errno.ENOSPC, errno.EMFILE)):
        return os.fsdecode(args[0])
    exc = record.exc_info[1] if record.exc_info else None
    if (msg.startswith("Unable to rebuild recursive inotify watches") and len(args) == 1
            and getattr(exc, "errno", None) in (errno.ENOSPC, errno.EMFILE)):
        return os.fsdecode(args[0])  # after an overflow: the whole folder is not watched
    return None


def worth_a_batch(conn, batch: "Batch | None") -> "Batch | None":
    """``batch`` less the paths marked "maybe a link" (a name without an audio or playlist
    extension removed or renamed) that are no folder now and have no track under them:
    cover.jpg, a .nfo, vim's ``4913`` probe each started a batch ("Updating the library", a
    JSON line) that changed nothing; so did a file saved in place (vim renames notes.txt
    away, writes a new one): a plain file there holds no tracks, and a link to a folder made
    again takes the mark away by its own event. None when nothing is left. One indexed query
    per such path; a busy DB keeps them all (the scan finds nothing there)."""
    from musicsage.library.under_paths import any_track_under

    if batch is None or not batch.maybe_links:
        return batch
    try:
        for path in [p for p in batch.maybe_links if p in batch.paths]:
            if os.path.isdir(path) or any_track_under(conn, P.from_fs(path)):
                continue
            del batch.paths[path]
            batch.moves = [m for m in batch.moves if path not in m]
    except sqlite3.OperationalError:
        pass
    batch.maybe_links.clear()
    return batch if batch.paths or batch.moves else None
