"""The folder watch while the window is open: the library stays current by itself.

:class:`WatchController` runs the watch use case
(:func:`~musicsage.usecases.watch.watch_for_window`: debounced batches of file changes applied
with the scan's own rules) through the window's runner, on a lane of its own as the use case
declares, for as long as the window is open and the setting is on. It decides:

- **when it runs**: once the library is loaded and has folders to watch; again, re-planned,
  when the library's folders or playlists change (a folder added, the demo shown instead of
  the user's library); never while switched off;
- **what a batch shows**: its progress on the status line (with Cancel) while it is applied,
  then a one-line summary; a batch that changed the library reloads the view and the map, and
  new or changed tracks are embedded as the window's own "Add music folder" does (a child
  process, as embedding declares) — but only in a library that was embedded before, and
  one run at a time: a batch during a run waits for it, and is dropped when it is cancelled;
- **what Cancel means**: the batch stops (what it committed is kept) and the watch starts
  again, so that turning the watch off stays the setting's job.

Closing the window cancels the watch with every other job (the watch notices within half a
second and stops its observer threads).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from musicsage.controllers.summaries import describe_watch, watch_details
from musicsage.controllers.tasks import Event, Task
from musicsage.library.paths import DATASET_PREFIX, from_fs
from musicsage.usecases.watch import WATCH_STAGE, watch_for_window

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.controllers.app import AppController
    from musicsage.library.watch import PendingChanges
    from musicsage.library.watch_apply import WatchReport
    from musicsage.progress import Progress

TASK_NAME = "watch"
BATCH_LABEL = "Updating the library"


class WatchController:
    def __init__(self, app: "AppController") -> None:
        self.app = app
        self.enabled = False
        """The setting: watch while the window is open. Off until the window turns it on from
        its saved settings (on by default there), so a controller test never starts one."""
        self.task: Task | None = None
        self.folders: list[str] = []
        """What the running watch observes (empty until it is ready)."""
        self.not_watched: list[tuple[str, str]] = []
        self.batches = 0
        self.last_report: "WatchReport | None" = None
        self._plan_key: tuple | None = None
        self._ctx: "AppContext | None" = None
        """The library the running watch applies its batches to (it goes on a moment after
        another is shown, until its re-planning has stopped it)."""
        self._pending: "PendingChanges | None" = None
        """File events seen and not applied yet, kept from one watch to the next: a watch
        re-planned (a folder added) takes up the batch the last one was still debouncing."""
        self._in_batch = False
        self._restart = False
        self._stopping = False
        self.state_changed = Event()  # the watch started watching, or stopped
        self.applied = Event()  # WatchReport of a batch that changed the library

    @property
    def running(self) -> bool:
        return self.task is not None and self.task.running

    def set_enabled(self, on: bool) -> None:
        """The setting changed: start or stop now."""
        self.enabled = bool(on)
        if self.enabled:
            self.sync()
        else:
            self.stop()

    def sync(self) -> None:
        """Start the watch if it should run; re-plan it when the library's folders changed.
        Called whenever a fresh snapshot of the library arrives."""
        snap = self.app.library.snapshot
        if not self.enabled or snap is None:
            return
        key = self._key(snap)
        if not key[1] and not key[2]:
            self.stop()  # nothing to watch yet: the next scan's snapshot starts it
            return
        if self.running:
            if self._stopping:  # turned off, then on before the old watch ended (it was left
                self._stopping, self._restart = False, True  # off, checked): its end restarts
            elif not self._follows(key):
                self._restart = True
                self.task.cancel()  # what it saw and had not applied yet goes to the next one
            return
        self._start(key)

    def _follows(self, key: tuple) -> bool:
        """Does the running watch cover ``key`` already? It follows the library's music folders
        by itself (one scanned in another terminal, one removed): a snapshot that only caught
        up with that must not restart it — each restart left a moment with no observer, and
        a file added then was missed until the next rescan. Another library, a playlist or
        a music folder it does not watch yet still re-plan it."""
        if self._plan_key is None or key[0] != self._plan_key[0] or key[2] != self._plan_key[2]:
            return False
        watched = {*self._plan_key[1], *(from_fs(f) for f in self.folders),
                   *(from_fs(f) for f, _why in self.not_watched)}
        return set(key[1]) <= watched

    def _key(self, snap) -> tuple:
        """(library, music folders, playlists with a file to watch): a dataset dir's playlists
        (``dataset:`` paths) have none, and counting them started a watch on an imported
        library that stopped at once, "nothing to watch", though the user had asked for none."""
        return (str(self.app.ctx.data_dir), tuple(sorted(snap.stats.roots)),
                tuple(sorted(p.path for p in snap.playlists
                             if not p.path.startswith(DATASET_PREFIX))))

    def _start(self, key: tuple) -> None:
        self._in_batch = False
        self._stopping = False
        from musicsage.library.watch import PendingChanges

        if self._pending is None or self._plan_key is None or key[0] != self._plan_key[0]:
            self._pending = PendingChanges()  # another library: the last one's events are not
        self._plan_key, self._ctx = key, self.app.ctx  # its business
        task = self.app.run(TASK_NAME, watch_for_window, self._ctx, key="watch",
                            pending=self._pending)
        task.on_progress(self._progress)
        task.on_failed(self._failed)
        task.on_finished(lambda t=task: self._ended(t))
        self.task = task

    def stop(self) -> None:
        """Stop watching (the setting was turned off, or nothing is left to watch)."""
        self._restart = False
        if self.running:
            self._stopping = True
            self.task.cancel()

    # -- what the watch says ------------------------------------------------------------------
    def _progress(self, batch: list["Progress"]) -> None:
        for p in batch:
            event = p.extra.get("event") if p.stage == WATCH_STAGE else None
            if event in ("ready", "folders"):  # watching; or watching other folders now
                self._ready(p.extra.get("folders", []), p.extra.get("not_watched", []))
            elif event == "batch":
                self._batch_done(p.extra["report"])
            elif not self._in_batch and self.task is not None:
                self._in_batch = True  # a batch is being applied: the status line shows it
                self.app.tasks.track(self.task, BATCH_LABEL)

    def _ready(self, folders: list[str], not_watched: list) -> None:
        said = set(self.not_watched) if self.task is not None and self.folders else set()
        self.folders = list(folders)
        self.not_watched = [tuple(x) for x in not_watched]
        self.state_changed.emit()
        for folder, why in (x for x in self.not_watched if x not in said):
            self.app.notify(f"Folder watch: {folder} is not watched ({why})", "warning")

    def _batch_done(self, report: "WatchReport") -> None:
        self._end_batch()
        self.batches += 1
        self.last_report = report
        # its embedding, once the library is read: never in another one opened meanwhile
        embed = self.app.library.for_library(self._ctx or self.app.ctx, self._embed_new_tracks)
        if not self.app.library.shows(self._ctx or self.app.ctx):
            # a batch of the library shown before (its watch is being re-planned): nothing is
            # shown or embedded here; what it added without a vector is said back there
            if report.needs_embedding:
                embed()  # not run: it notes that
            return
        if report.error:
            self.app.notify(*describe_watch(report))
            return
        if report.empty:
            return
        # a warning when tracks went missing; the files it names, and more, in its tooltip
        self.app.notify(*describe_watch(report), details=watch_details(report))
        self.app.library.reload(then=lambda: self._read_after_batch(report, embed))
        self.applied.emit(report)

    def _read_after_batch(self, report: "WatchReport", embed: Callable[[], None]) -> None:
        """The selected track's neighbours anew (a retagged one kept its old title and its
        dropped vector's list), then what the batch added or changed is embedded."""
        self.app.selection.refresh_neighbours()
        if report.needs_embedding:
            embed()

    def _end_batch(self) -> None:
        if self._in_batch and self.task is not None:
            self._in_batch = False
            self.app.tasks.release(self.task)

    def _embed_new_tracks(self) -> None:
        """Embed what a batch added or changed, with the model the library already uses (a
        library never embedded is not embedded by the watch). One run at a time: while one
        goes (the watch's, or a scan's), this decides again when it has ended well — a run
        the user cancelled drops it (:meth:`LibraryController.embed_soon`): it embedded all
        150 new tracks a moment after "Embedding cancelled".

        Audio model ▸ "Keep the library's model" (``embed_model`` None) runs a plain embed, as
        Compute embeddings does: naming the snapshot's model instead undid a switch another
        run (``embed --model`` in a terminal) made while this one waited, and fetched that
        model's weights from the network when they were gone."""
        snap = self.app.library.snapshot
        if snap is None or snap.audio_model is None or not snap.needs_embedding:
            return
        self.app.library.embed_soon(self.app.library.embed_model, self._embed_new_tracks)

    def _failed(self, message: str, _details: str) -> None:
        self.app.notify(f"Folder watch stopped: {message}", "warning")

    def _ended(self, task: Task) -> None:
        if task is not self.task:
            return
        self._end_batch()
        self.task = None
        self.folders = []
        self.state_changed.emit()
        restart, self._restart = self._restart, False
        stopping, self._stopping = self._stopping, False
        if not restart:
            self._pending = None  # stopped, or the user's Cancel: not carried over
        if task.state != "failed" and not (restart or stopping) and self.enabled:
            # the user's Cancel on the status line stopped a batch, not the setting (a
            # cancelled watch returns normally: its loop ends when the token is set)
            self.app.notify("Folder watch: update cancelled (what it finished is kept; "
                            "Rescan picks up the rest); still watching")
            restart = True
        if restart and self.enabled:
            self.sync()

