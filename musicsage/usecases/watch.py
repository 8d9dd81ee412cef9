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
from musicsage.progress import CancelToken, ProgressFn
from musicsage.usecases.execution import Mode, runs


@runs(Mode.THREAD)
def watch_library(ctx, paths=(), playlists=(), *, embed: bool = True,
                  on_batch: Callable | None = None, on_ready: Callable | None = None,
                  progress: ProgressFn | None = None, cancel: CancelToken | None = None,
                  quiet: float | None = None) -> int:
    """Watch ``paths`` (default: every music folder scanned before), the playlist folders and
    players' files imported before and those in ``playlists``; apply each debounced batch of
    changes until ``cancel`` is set. Returns the number of batches applied.

    ``on_ready(watch)`` is called once the folders are watched (``watch.plan``,
    ``watch.not_watched``); ``on_batch(report)`` after every batch with a
    :class:`~musicsage.library.watch_apply.WatchReport`. With ``embed``, tracks a batch added or
    changed are embedded with the audio model the library already uses (``report.embed``);
    a library never embedded is not embedded by the watch.
    """
    from musicsage.library.db import connect
    from musicsage.library.scan import resolve_roots
    from musicsage.library.watch import QUIET_SECONDS, plan_watch, watch_folders

    conn = connect(ctx)
    roots = resolve_roots(paths, must_exist=True) if paths else None
    plan = plan_watch(conn, roots, resolve_roots(playlists, must_exist=True))
    if not plan.folders():
        raise MusicsageError("nothing to watch: scan a music folder first "
                             "(e.g. musicsage scan ~/Music --watch)")
    after = _embed_step(ctx, progress, cancel) if embed else None
    return watch_folders(conn, plan, on_batch=on_batch, after_batch=after, on_ready=on_ready,
                         progress=progress, cancel=cancel,
                         quiet=QUIET_SECONDS if quiet is None else quiet)


def _embed_step(ctx, progress, cancel) -> Callable:
    """The after-batch hook: embed what the batch added or changed, with the library's model."""
    from musicsage.usecases.embedding import current_audio_model_id, embed_library

    def after(report) -> None:
        if not report.needs_embedding:
            return
        model = current_audio_model_id(ctx)
        if model is None:
            return
        try:
            report.embed = embed_library(ctx, model, progress=progress, cancel=cancel)
        except Cancelled:
            raise
        except MusicsageError as exc:  # e.g. the model's weights went away: keep watching
            report.embed = _EmbedFailed(str(exc))

    return after


class _EmbedFailed:
    """Stands in for an embed report when embedding could not run (shown, never raised)."""

    embedded = 0

    def __init__(self, message: str):
        self.message = message

    def as_dict(self) -> dict:
        return {"error": self.message}
