"""The folder-watch use case: keep the library current while it runs.

``musicsage scan --watch`` calls :func:`watch_library` in its main thread; the window will call
it in a worker thread with a :class:`~musicsage.progress.CancelToken` (set it to stop). It sits
above the core packages because one batch crosses them: the library part (scan the touched
paths, playlists, moves: :mod:`musicsage.library.watch`) and then the audio part (embed the new
tracks), which ``library`` may not import.
"""

from __future__ import annotations

from typing import Callable

from musicsage.errors import Cancelled, MusicsageError
from musicsage.progress import CancelToken, ProgressFn, report
from musicsage.usecases.execution import Mode, runs

WATCH_STAGE = "watch"
"""The progress stage of :func:`watch_for_window`'s own reports (``extra["event"]``: ``ready``
or ``batch``); every other stage is the work of a batch (scanning, playlists …)."""


@runs(Mode.THREAD)
def watch_library(ctx, paths=(), playlists=(), *, embed: bool = True,
                  on_batch: Callable | None = None, on_ready: Callable | None = None,
                  on_folders: Callable | None = None, progress: ProgressFn | None = None,
                  cancel: CancelToken | None = None, quiet: float | None = None,
                  pending=None, restart_advice: str = "restart the watch") -> int:
    """Watch ``paths`` (default: every music folder scanned before), the playlist folders and
    players' files imported before and those in ``playlists``; apply each debounced batch of
    changes until ``cancel`` is set. Returns the number of batches that changed the
    library (one that found its files stored already, by another watch, is none).

    ``on_ready(watch)`` is called once the folders are watched (``watch.plan``,
    ``watch.not_watched``), ``on_folders(watch)`` again whenever the folders watched change
    (a music folder scanned meanwhile, one removed, one back); ``on_batch(report)`` after
    every batch with a :class:`~musicsage.library.watch_apply.WatchReport`. With ``embed``,
    tracks a batch added or changed are embedded with the audio model the library already
    uses (``report.embed``); a library never embedded is not embedded by the watch. Once
    watching, it first embeds what the library lacks for that model (``report.catch_up``):
    tracks added while no watch ran, or left by a watch or an ``embed`` stopped half-way,
    which no later batch would embed unless a file of theirs changed.
    ``pending`` (a :class:`~musicsage.library.watch.PendingChanges`) carries the events a
    watch saw and had not applied when it was cancelled over to the next watch given it.
    ``restart_advice``: the caller's words for starting the watch again, said with a folder
    past the system's inotify limit (watchdog never tries it again).
    """
    from musicsage.library.db import connect
    from musicsage.library.scan import resolve_roots
    from musicsage.library.watch import QUIET_SECONDS, plan_watch, watch_folders

    conn = connect(ctx)
    roots = resolve_roots(paths, must_exist=True) if paths else None
    plan = plan_watch(conn, roots, resolve_roots(playlists, must_exist=True))
    if not plan.folders():
        raise MusicsageError("nothing to watch: scan a music folder first "
                             "(e.g. `musicsage scan ~/Music --watch`)")
    after = _embed_step(ctx, progress, cancel) if embed else None
    return watch_folders(conn, plan, on_batch=on_batch, after_batch=after, on_ready=on_ready,
                         on_folders=on_folders, progress=progress, cancel=cancel,
                         quiet=QUIET_SECONDS if quiet is None else quiet, pending=pending,
                         catch_up=embed, restart_advice=restart_advice)


def _embed_step(ctx, progress, cancel) -> Callable:
    """The after-batch hook: embed what the batch added or changed, with the library's model.

    The embed is a plain one (no model named), as ``embed`` without ``--model``: it keeps the
    library's model, and so it also keeps a switch another run (``embed --model spectral`` in
    another terminal) made while it waited for that run, and never downloads weights. Named
    explicitly, the watch's run switched the library back once it ended, and fetched the
    model's weights from the network on a batch when they were gone."""
    from musicsage.usecases.embedding import current_audio_model_id, embed_library

    def after(report) -> None:
        if not (report.needs_embedding or report.catch_up):
            return
        model = current_audio_model_id(ctx)
        lacking = _lacking(ctx, model) if model is not None else 0
        if model is None or (report.catch_up and not lacking):
            return  # a catch-up with nothing to do loads no model (a watch starts at once)
        seen = _EmbedSeen(progress, lacking)
        try:
            report.embed = embed_library(ctx, None, progress=seen, cancel=cancel)
        except Cancelled:
            report.embed = seen  # how far it got: the batch's line says it
            raise
        except MusicsageError as exc:  # e.g. the model's weights went away: keep watching
            report.embed = _EmbedFailed(str(exc))

    return after


def _lacking(ctx, model_id: str) -> int:
    """How many tracks lack a vector of ``model_id``: whether a watch that starts has any to
    embed (none: no model is loaded), and the "of N" of a run stopped before it counted."""
    from musicsage.library.db import connect
    from musicsage.library.watch_embed_text import tracks_lacking_vectors

    return tracks_lacking_vectors(connect(ctx), model_id)


class _EmbedSeen:
    """The progress callback of a watch's embedding (reports passed on) that keeps how many
    tracks it embedded and stored, how many failed, of how many: a stopped run has no report
    of its own (its line said "5 of 9 embedded and kept" where a 6th had failed)."""

    def __init__(self, progress: ProgressFn | None, total: int):
        self.progress, self.embedded, self.failed, self.total = progress, 0, 0, total

    def __call__(self, p) -> None:
        if p.stage.startswith("embed "):  # committed batches report ``embedded``
            self.total = p.total if p.total is not None else self.total
            self.embedded = int(p.extra.get("embedded", self.embedded))
            self.failed = int(p.extra.get("failed", self.failed))
        if self.progress is not None:
            self.progress(p)

    def as_dict(self) -> dict:
        return {"embedded": self.embedded, "failed": self.failed, "total": self.total,
                "interrupted": True}


class _EmbedFailed:
    """Stands in for an embed report when embedding could not run (shown, never raised)."""

    embedded = 0

    def __init__(self, message: str):
        self.message = message

    def as_dict(self) -> dict:
        return {"error": self.message}


@runs(Mode.THREAD, lane="watch")
def watch_for_window(ctx, progress: ProgressFn | None = None,
                     cancel: CancelToken | None = None, pending=None) -> int:
    """:func:`watch_library` as a window runs it: on a worker thread of its own until
    ``cancel``, everything it has to say going through ``progress`` (the one channel a worker
    hands back to the window's thread):

    - ``Progress("watch", extra={"event": "ready", "folders": [...], "not_watched": [(folder,
      why), ...]})`` once the folders are watched; the same with ``"event": "folders"`` each
      time they change (a music folder scanned in another terminal, one back);
    - the batch's own reports (stage ``scan`` …) while a batch is applied;
    - ``Progress("watch", extra={"event": "batch", "report": WatchReport})`` after each batch.

    ``pending`` is the window's own :class:`~musicsage.library.watch.PendingChanges`: a watch
    re-planned (a folder added) applies what the one before it saw and had not applied yet.

    Embedding is left to the window (``embed=False``): there it runs as its use case declares
    (a child process, since the audio models hold the GIL), not on this thread.
    """

    def ready(watch, event: str = "ready") -> None:
        report(progress, WATCH_STAGE, message="watching", event=event,
               folders=[folder for folder, _recursive in watch.plan.folders()],
               not_watched=list(watch.not_watched))

    def batch(rep) -> None:
        report(progress, WATCH_STAGE, message=rep.summary(), event="batch", report=rep)

    return watch_library(ctx, embed=False, on_batch=batch, on_ready=ready,
                         on_folders=lambda watch: ready(watch, "folders"), progress=progress,
                         cancel=cancel, pending=pending, restart_advice=WINDOW_RESTART_ADVICE)


WINDOW_RESTART_ADVICE = 'turn "Watch folders for changes" off and on'
"""How the window's watch starts again (its setting, gui/window_actions.py), said with a folder
past the inotify limit: "restart musicsage" was more than it takes."""


def watched_folders_text(plan) -> str:
    """"1 music folder and 1 playlist folder": what a watch follows, by kind. "watching 2
    folders" was said where ``stats`` lists one music folder: the other was the folder of
    the playlists imported before, which the user could not tell."""
    import os

    from musicsage.text import counted

    music = {os.path.dirname(r) if os.path.isfile(r) else r for r in plan.roots}
    playlists = plan.playlist_trees | plan.playlist_dirs
    counts = [0, 0, 0]  # music folders, playlist folders, folders of players' files
    for folder, _recursive in plan.folders():
        counts[0 if folder in music else 1 if folder in playlists else 2] += 1
    said = [counted(n, *names) for n, names in zip(counts, _WATCHED_KINDS) if n]
    return " and ".join([", ".join(said[:-1]), said[-1]] if len(said) > 1 else said)


_WATCHED_KINDS = (("music folder", "music folders"), ("playlist folder", "playlist folders"),
                  ("folder of a player's library file", "folders of players' library files"))
