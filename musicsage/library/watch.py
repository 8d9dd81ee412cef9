"""A folder watch that keeps the library current: file events in, debounced batches out.

Qt-free and GUI-agnostic: :func:`watch_folders` runs in whatever thread calls it (the CLI's main
thread for ``musicsage scan --watch``, a worker thread in the window) until ``cancel`` is set,
and hands each batch's :class:`~musicsage.library.watch_apply.WatchReport` to a callback. What
runs after the library part (embedding the new tracks) is the caller's ``after_batch`` hook:
``library`` must not import ``audio`` (see :mod:`musicsage.usecases.watch`).

How:

- **Events** come from watchdog (inotify on Linux: the kernel wakes us, nothing is polled, so a
  quiet library costs no CPU). Only what can change the library is kept: audio files and
  playlist files by extension, the players' library files that were imported, and folders
  created, deleted or moved. Opening/reading files (our own scans do that) is not even
  subscribed to; hidden folders and ``._*`` files are ignored as the scan ignores them.
  Which events, and which paths a batch scans: :mod:`~musicsage.library.watch_targets`
  (events the kernel dropped rescan their folder; a batch of many files, their folders; a
  folder past the inotify limit is said not watched, :meth:`FolderWatch.look_at_limits`).
- **Debounce**: a batch is taken once no event came for ``quiet`` seconds (a copy in progress
  keeps producing events, so it is read once it is done), or after ``max_wait`` seconds of
  continuous events at most.
- **Music folders** are those of the library as it is now, looked up once per cycle (one small
  query): a folder scanned in another window or terminal is followed from then on, one folded
  into a folder around it gives way to that folder, one removed (``forget``) is left, and no
  batch brings a removed folder's tracks back (it is checked again before each batch). Folders
  named to the watch (``scan PATH --watch``) stay as named, less those removed.
- **A music folder gone as a whole** (deleted, renamed, a drive unplugged: a rename or an
  unmount makes no event the observer passes on) is looked for once per cycle (a stat per
  folder): one that went is scanned as a batch of its own, which marks its tracks missing
  (never deletes them) and says the folder is gone; one that is there again (or that was not
  there when the watch started) is observed again and scanned, and its tracks are back. So is
  one there but another folder than at the last look (device, inode): a drive mounted again,
  or a folder of its name moved in its place — its observer followed the folder that went.
- **A drive mounted or unmounted inside a music folder** makes no event either: the kernel's
  mount table tells (:mod:`~.watch_mounts`); its folder is observed anew and scanned.
- **Unreadable files** are said once they stay so: one that failed is looked at again a few
  seconds later, and said when it failed as it was (:class:`~.watch_events.Unreadable`).
- **Idle work**: while nothing happens, the content hashes that move detection needs are
  recorded for tracks scanned before they existed, a small chunk per idle tick.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from typing import Callable

from musicsage.errors import Cancelled, MusicsageError
from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.hash_backfill import backfill_hashes
from musicsage.library.playlists import format_for
from musicsage.library.playlists.players import player_source_paths
from musicsage.library.watch_apply import BatchStopped, WatchPlan, WatchReport, apply_changes
from musicsage.library.watch_events import SETTLE_SECONDS, stopped_watches
from musicsage.library.watch_mounts import MountChanges
from musicsage.library.watch_refusals import refused, watch_error
from musicsage.library.watch_targets import (UnwatchedFolders, event_handler, led_elsewhere,
                                             named_in, observed_path, others_placed, outermost,
                                             playlist_files, worth_a_batch)
from musicsage.library.watch_events import Batch, PendingChanges  # noqa: F401 (callers')
from musicsage.progress import CancelToken, ProgressFn

QUIET_SECONDS = 1.0
MAX_WAIT_SECONDS = 30.0
POLL_SECONDS = 0.5
"""How often a waiting watch looks at its cancel token (a sleeping thread costs nothing)."""
NOT_THERE = "not found (unplugged or renamed?): watched again once it is back"
"""Why a music folder is not watched when it is not there (the watch looks for it)."""
RETRY_SECONDS = 10.0
"""How long a batch that failed (the DB locked by another program past its timeout …) waits
before it is tried again."""


# --- what to watch ----------------------------------------------------------------------------


def plan_watch(conn, roots: list[str] | None = None, playlists: list[str] = ()) -> WatchPlan:
    """What a watch follows: ``roots`` (default: every remembered music folder), the folders of
    playlist files imported before, playlist folders/files and players' files in ``playlists``."""
    from musicsage.library.playlists import player_format_for

    remembered = q.library_roots(conn)
    follows = roots is None
    if roots is None:
        roots = [P.to_fs(r) for r in remembered]
    plan = WatchPlan(roots=[os.path.abspath(r) for r in roots], remembered=set(remembered),
                     follows_library=follows)
    for (path,) in conn.execute("SELECT path FROM playlists ORDER BY id"):
        if P.is_file_path(path):
            plan.playlist_dirs.add(os.path.dirname(P.to_fs(path)))
    plan.player_sources.update(player_source_paths(conn))
    for p in (os.path.abspath(p) for p in playlists):
        if os.path.isdir(p):
            plan.playlist_trees.add(p)
        elif format_for(p) is None and player_format_for(p) is not None:
            plan.player_sources.add(p)
        else:
            plan.playlist_dirs.add(os.path.dirname(p))
    return plan


# --- the observer -----------------------------------------------------------------------------

_EVENTS = ("FileCreatedEvent", "FileModifiedEvent", "FileMovedEvent", "FileDeletedEvent",
           "FileClosedEvent", "DirCreatedEvent", "DirDeletedEvent", "DirMovedEvent",
           "EventsLostEvent")  # the kernel's queue overflowed: a folder is scanned whole


class FolderWatch:
    """The watchdog observer over a :class:`WatchPlan`; a context manager (stops and joins)."""

    def __init__(self, plan: WatchPlan, pending: PendingChanges | None = None,
                 restart_advice: str = "restart the watch"):
        self.plan = plan
        self.pending = pending if pending is not None else PendingChanges()
        """Events not applied yet; one handed in outlives this watch (the next one takes up
        what this one saw and had not applied when it was cancelled)."""
        self.not_watched: list[tuple[str, str]] = []
        """(folder, reason) for what could not be watched: not found, or past the system's
        inotify limit."""
        self.restart_advice = restart_advice
        """How the user starts the watch again (said with a folder past the inotify limit):
        the caller's words for it."""
        self._limit_said: set[str] = set()
        """Folders said past the inotify limit (the first of a cycle's named, the cause once)."""
        self._observer = None
        self._handler = None
        self._watches: dict[tuple[str, bool], object] = {}
        """(folder, recursive) -> watchdog's ObservedWatch, to unschedule what is no longer
        followed."""
        self._absent: set[str] = set()
        """Music folders not there at the last look (or a file in a gone one's place)."""
        self._folders: set[str] = set()  # seen as folders: a file in one's place is no return
        self._roots: dict[str, tuple[int, int] | None] = {}
        """Music folders -> their identity at the last look: one mounted again, or swapped for
        another, is there all along, its observer following the one that went."""
        self._lists: dict[str, tuple[int, int] | None] = {}
        """Playlist folders watched on their own -> their identity (device, inode) at the last
        look, None when not there: one deleted and made again is another folder, which the
        observer of the first one never sees."""

    def __enter__(self) -> "FolderWatch":
        from watchdog.observers import Observer

        self._handler = event_handler(self.plan, self.pending)
        self._observer = Observer()
        self._unwatched = UnwatchedFolders().attach()
        self._mounts = MountChanges()  # the drives mounted now: watched as they are
        self._mounts.since_last_look(self.plan.trees())
        try:
            self._roots, self._absent = _roots_now(self.plan.roots)
            self.plan.gone |= self._absent  # when they are back, the batch says so
            self._lists = {f: _identity(f) for f in self._playlist_folders()}
            self._schedule(self.plan.folders())
            self._observer.start()
        except BaseException as exc:  # the logger as it was, whatever stopped the start
            self._observer.stop()
            self._unwatched.detach()
            self._mounts.close()  # the table kept open: one file handle leaked a failed start
            if isinstance(exc, OSError):
                raise MusicsageError(watch_error(exc)) from None
            raise
        return self

    def _schedule(self, folders: list[tuple[str, bool]]) -> None:
        import watchdog.events as ev

        wanted = [getattr(ev, name) for name in _EVENTS]
        for folder, recursive in folders:
            if (folder, recursive) in self._watches:
                continue
            if not os.path.isdir(folder):
                why = NOT_THERE if folder in self.plan.roots else "not found"
                if (folder, why) not in self.not_watched:  # said once, not at each re-watch
                    self.not_watched.append((folder, why))
                continue
            observed = observed_path(folder)  # a link: the folder it leads to, its events
            if any(w.path == observed and w.is_recursive == recursive
                   for w in self._watches.values()):
                continue  # one folder by two spellings: its events heard once, by the first
            handler = self._handler if observed == folder else event_handler(  # spelled
                self.plan, self.pending, (observed, folder))  # as the link's (watch_targets)
            self._watches[(folder, recursive)] = self._observer.schedule(
                handler, observed, recursive=recursive, event_filter=wanted)

    @property
    def watched(self) -> list[tuple[str, bool]]:
        """(folder, recursive) observed now: the plan's folders that were there to watch."""
        return list(self._watches)

    def refollow(self) -> None:
        """Observe the plan's folders as they are now (its roots changed): the new ones first,
        then the old ones go, so no event in a folder followed before and after is lost; then
        those skipped for an old one's watch of their folder (:meth:`_schedule`) are observed."""
        folders, self.not_watched = self.plan.folders(), []
        self._schedule_each(folders)
        for key in [k for k in self._watches if k not in folders]:
            self._observer.unschedule(self._watches.pop(key))
        self._schedule_each(folders)  # `scan --watch Music disk/Music`, `forget Music`

    def _schedule_each(self, folders: list[tuple[str, bool]]) -> None:
        """Each of ``folders`` not said unwatched yet, one at a time (one refused is said)."""
        for one in [f for f in folders if f[0] not in {x for x, _why in self.not_watched}]:
            try:
                self._schedule([one])
            except OSError as exc:  # the inotify limit: what was watched before still is
                self.not_watched.append((one[0], self._refused(exc)))

    def look_at_roots(self) -> bool:
        """Once per cycle: a music folder that went as a whole, came back (a file in its place
        is no return), or is another folder than at the last look (a drive mounted again, a
        folder or file of its name put in its place, or one seen gone by a look between `mv a b;
        mv c a`: its batch finds c) is a batch of its own, observed again (watchdog follows a
        renamed folder, never saw one not there, or stopped); so is a playlist folder back."""
        seen, absent = _roots_now(self.plan.roots)
        ended = stopped_watches(self._observer, self._watches)  # deleted, maybe made again
        self._folders |= {r for r, was in self._roots.items() if was is not None}
        stand_in = {r for r, now in seen.items()  # a file where a folder was: its tracks
                    if now is None and r not in absent and r in self._folders}  # stay gone
        for root in sorted(absent - self._absent):
            self._rewatch(root, gone=True)  # renamed: its observer follows the new name
            self.pending.add(root, True)
        back = sorted((self._absent - absent - stand_in) & set(self.plan.roots))
        replaced = sorted(r for r, now in seen.items() if r not in back and r not in absent
                          and ((r in self._roots and self._roots[r] != now)  # a file now, or
                               or (now is not None and r in ended)))  # a folder again
        self.plan.replaced.update([*replaced, *(absent - self._absent)])  # said back, not "1 new"
        for root in back + replaced:
            self._rewatch(root)  # a folder now a file: its parent, alone (plan.folders)
            self.pending.add(root, True)
        self._absent, self._roots = absent | (stand_in & self._absent), seen
        for tree, points in self._mounts.by_tree(self.plan.trees()).items():  # a drive mounted
            self._rewatch(tree)  # or unmounted inside it: inotify said nothing, and its watches
            for point in points:  # ended, or follow the bare folder (the tree once, all drives)
                self.pending.add(point, True)
        return any([self._look_at_playlist_folders(ended), self._look_at_links(), back, replaced])

    def _look_at_links(self) -> bool:
        """A watched link led elsewhere now (`ln -sfn /mnt/other ~/Music`) that no identity tells
        (a single file in it, a player's file): observed there, its files followed read again."""
        moved = led_elsewhere(self._watches)
        for folder in moved:
            self._rewatch(folder)
            for path in (*self.plan.roots, *self.plan.player_sources):
                if os.path.dirname(path) == folder:  # a music folder in it stays a folder
                    self.pending.add(path, os.path.isdir(path))
        return bool(moved)

    def _playlist_folders(self) -> dict[str, bool]:
        """The playlist folders observed on their own (not inside a music folder) -> with
        their sub-folders."""
        lists = self.plan.playlist_trees | self.plan.playlist_dirs
        return {f: rec for f, rec in self.plan.folders() if f in lists}

    def _look_at_playlist_folders(self, ended: set[str]) -> bool:
        """A playlist folder (``--playlists``, or one holding imported playlists) there again
        or deleted and made again: observed again (the watch never came back to it: a
        playlist saved into it later was never imported), and its playlist files are a batch
        (those new are imported; one whose file is not there now leaves the library, as a
        re-scan does). ``ended``: the folders whose watch stopped (:meth:`look_at_roots`
        found them; re-watching a music folder leaves the playlist folders, outside it, as
        they were). True when one came back."""
        folders, back = self._playlist_folders(), []
        now = {f: _identity(f) for f in folders}
        for folder, seen in now.items():
            if seen is not None and folder in self._lists and (seen != self._lists[folder]
                                                               or folder in ended):
                back.append(folder)
                self._rewatch(folder)
                for path in playlist_files(folder, folders[folder]):
                    self.pending.add(path, False)
                self.pending.add(folder, True)
        self._lists = now
        return bool(back)

    def _rewatch(self, root: str, gone: bool = False) -> None:
        folders = self.plan.folders()  # and, unless it is gone, no more a file root's folder
        for key in [k for k in self._watches if P.is_under(k[0], root)
                    or (not gone and k not in folders)]:
            try:
                self._observer.unschedule(self._watches.pop(key))
            except KeyError:  # its emitter is gone already
                pass
        self.not_watched = [x for x in self.not_watched if x[0] != root]
        try:
            self._schedule(folders)
        except OSError as exc:
            self.not_watched.append((root, self._refused(exc)))

    def _refused(self, exc: OSError) -> str:
        """Why a folder could not be watched, with how to start this watch again past the
        inotify limit (:func:`~musicsage.library.watch_refusals.refused`)."""
        return refused(exc, self.restart_advice)

    def look_at_limits(self) -> bool:
        """Once per cycle: folders of this watch's own that could not be watched meanwhile
        (made past the inotify limit, or a music folder's watches not rebuilt after its events
        were lost) join ``not_watched``, with how to raise the limit and that the watch must
        start again (watchdog never tries them again); only the outermost of a refused tree,
        none inside one said already; one line a cycle at most (the first folder, how many
        others where), the cause and advice in the watch's first only (30 albums copied in
        over 15 cycles were 15 lines, each with the same advice). True when some did."""
        trees = self.plan.trees()
        found = [f for f in (named_in(f, trees) for f in self._unwatched.take())
                 if any(P.is_under(f, t) for t in trees)]  # another watch's are its business
        said = [f for f, _why in self.not_watched] + sorted(self._limit_said)
        new = [f for f in outermost(found) if not any(P.is_under(f, s) for s in said)]
        if not new:
            return False
        why = (self._refused(OSError(errno.ENOSPC, "inotify watch limit reached"))
               if not self._limit_said else  # the window shows one line at a time
               f"past the inotify limit too; raise it, then {self.restart_advice}")
        self._limit_said.update(new)
        self.not_watched.append((new[0], others_placed(new, self.plan.trees()) + why))
        return True

    def __exit__(self, *exc) -> None:
        if self._observer is not None:  # stopped first: a folder refused meanwhile is heard,
            self._observer.stop()  # never printed as a bare warning
            self._observer.join(timeout=10)
            self._observer = None
        self._unwatched.detach()
        self._mounts.close()


def _identity(folder: str) -> tuple[int, int] | None:
    """(device, inode) of ``folder``; None when it is not a folder that is there."""
    return _look(folder)[1]


def _look(path: str) -> tuple[bool, tuple[int, int] | None]:
    """(whether ``path`` is there, its :func:`_identity`) from one ``os.stat``: a music
    folder that is a file (a single file scanned) is there, without an identity."""
    try:
        st = os.stat(path)
    except OSError:
        return False, None
    return True, (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None


def _roots_now(roots: list[str]) -> tuple[dict[str, tuple[int, int] | None], set[str]]:
    """(each music folder -> its :func:`_identity`, those not there), one ``os.stat`` each:
    a look at the roots stated each twice, once for which folder, once for whether there."""
    looks = {r: _look(r) for r in roots}
    return ({r: ident for r, (_there, ident) in looks.items()},
            {r for r, (there, _ident) in looks.items() if not there})


# --- the loop ---------------------------------------------------------------------------------


def _backfill_some(conn, cursor: int | None) -> int | None:
    """One idle tick of hash backfill; a busy DB just means: next tick."""
    if cursor is None:
        return None
    try:
        return backfill_hashes(conn, after=cursor)
    except sqlite3.OperationalError:
        return cursor


def _follow_library(conn, watch: FolderWatch) -> bool:
    """Once per cycle (at most every ``POLL_SECONDS``): follow the library's music folders as
    another window or terminal changes them (scanned, folded, removed). One small query; a busy
    DB just means: next cycle. True when the folders watched changed."""
    try:
        now = q.library_roots(conn)
    except sqlite3.OperationalError:
        return False
    if watch.plan.follow(now):
        watch.refollow()
        return True
    return False


def watch_folders(conn, plan: WatchPlan, *, on_batch: Callable[[WatchReport], None] | None = None,
                  after_batch: Callable[[WatchReport], None] | None = None,
                  on_ready: Callable[[FolderWatch], None] | None = None,
                  on_folders: Callable[[FolderWatch], None] | None = None,
                  progress: ProgressFn | None = None, cancel: CancelToken | None = None,
                  quiet: float = QUIET_SECONDS, max_wait: float = MAX_WAIT_SECONDS,
                  backfill: bool = True, pending: PendingChanges | None = None,
                  catch_up: bool = False, restart_advice: str = "restart the watch") -> int:
    """Watch until ``cancel`` is set; returns how many batches changed the library.

    Each batch: :func:`apply_changes` (incremental scan of just the touched paths, playlists),
    then ``after_batch(report)`` (e.g. embed), then ``on_batch(report)``. A batch cancelled
    half-way keeps what it committed; the watch then ends — a batch stored and cancelled in
    ``after_batch`` is still counted and handed to ``on_batch`` (``report.interrupted``), one
    stopped while it read its files is handed on with what it stored (``stopped_reading``).
    With ``catch_up``, ``after_batch`` first gets a :class:`WatchReport` of no batch
    (``catch_up``), once the folders are watched: what an earlier stop, or files added while
    no watch ran, left it to do; it is handed on unless it stays empty.
    ``on_folders(watch)`` after the folders watched changed (the library's music folders
    did, or one came back). A ``pending`` handed in keeps what was seen and not applied when
    cancelled, for the next watch given it. ``restart_advice``: how the user starts the
    watch again, said with a folder past the inotify limit (the CLI's and window's words)."""
    cancel = cancel or CancelToken()
    batches, cursor = 0, (0 if backfill else None)
    with FolderWatch(plan, pending, restart_advice) as watch:
        if on_ready is not None:
            on_ready(watch)
        if catch_up and after_batch is not None:  # observed already: no event is missed
            rep = _after(after_batch, WatchReport(catch_up=True))
            if not rep.empty:  # one that embedded nothing (failed, could not run) is said
                batches += 1 if rep.interrupted or getattr(rep.embed, "embedded", 0) else 0
                if on_batch is not None:
                    on_batch(rep)
        while not cancel.cancelled:
            changed = _follow_library(conn, watch) | watch.look_at_limits()
            if (watch.look_at_roots() or changed) and on_folders is not None:
                on_folders(watch)
            batch = worth_a_batch(conn, watch.pending.take(quiet=quiet, max_wait=max_wait,
                                                           timeout=POLL_SECONDS))
            if batch is None:
                cursor = _backfill_some(conn, cursor)
                continue
            try:
                rep = apply_changes(conn, plan, batch, progress=progress, cancel=cancel)
                watch.pending.recheck(rep.look_again, SETTLE_SECONDS)  # said once it stays
                if after_batch is not None and not rep.empty:
                    rep = _after(after_batch, rep)
            except Cancelled as exc:
                watch.pending.put_back(batch, 0.0)  # for a next watch given ``pending``
                if not isinstance(exc, BatchStopped):
                    break
                rep = exc.report  # what it stored, how to read the rest; then the watch ends
            except (MusicsageError, sqlite3.OperationalError) as exc:
                watch.pending.put_back(batch, RETRY_SECONDS)
                rep = WatchReport(paths=len(batch.paths), error=f"{exc} (tried again in "
                                                               f"{RETRY_SECONDS:.0f} s)")
            batches += 0 if rep.empty or rep.error else 1  # empty: another watcher stored it
            if on_batch is not None:
                on_batch(rep)
    return batches


def _after(after_batch: Callable[[WatchReport], None], rep: WatchReport) -> WatchReport:
    """``after_batch(rep)``; stopped in it (Ctrl-C while it embeds), ``rep`` is marked
    ``interrupted``: the batch is stored (committed), and dropping its report said "stopped
    watching after 0 updates" of 240 tracks stored, 125 of them embedded. The watch ends on
    its own (``cancel`` is set)."""
    try:
        after_batch(rep)
    except Cancelled:
        rep.interrupted = True
    return rep
