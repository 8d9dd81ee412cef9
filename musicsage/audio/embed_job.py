"""The embed job: every track lacking a current embedding → one vector in the library DB.

Pipeline (one model, one frame policy):

- **Decode workers** (a small thread pool): probe the file, read only the spans the embedder
  asks for, run ``embedder.prepare`` (numpy; soundfile, PyAV, soxr and numpy release the GIL).
  A few tracks are decoded ahead so the model never waits on I/O.
- **Inference** (the calling thread): units of ready tracks are batched — across tracks — up to
  ``embedder.batch_size`` and inferred; a batch is started as soon as the next track is not
  ready yet, so the pipeline never idles waiting to fill a batch.
- **Commit per batch**: the finished tracks of each batch are written in one transaction
  (vector, cleared error, ``needs_analysis = 0``), so a
  killed process loses at most the batch in flight and a re-run skips every committed track
  (``tracks_needing_embedding`` compares model id *and* version).
- **Failures** (missing, corrupt, truncated, unsupported files) are recorded per track in
  ``errors`` with stage ``embed:<model_id>`` and the job goes on; a track that later succeeds
  has its error cleared.

Progress is reported per committed batch; ``cancel`` is polled between batches and stops the
job with :class:`~musicsage.errors.Cancelled` after committing what is finished.
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from musicsage.audio import decode
from musicsage.audio.embedder import AudioEmbedder
from musicsage.errors import Cancelled, MusicsageError
from musicsage.library.paths import display, to_fs
from musicsage.progress import CancelToken, ProgressFn, check_cancel, report

if TYPE_CHECKING:
    from musicsage.context import AppContext

log = logging.getLogger(__name__)


@dataclass
class EmbedReport:
    """What one embed run did (plain data for the CLI, the GUI and ``--json``)."""

    model_id: str
    model_version: str
    device: str
    total: int = 0  # tracks that needed an embedding when the run started
    embedded: int = 0
    failed: int = 0
    seconds: float = 0.0
    reason: str = ""  # why this model was used (default choice)
    errors: list[tuple[str, str]] = field(default_factory=list)  # first few (path, message)

    @property
    def remaining(self) -> int:
        return self.total - self.embedded - self.failed

    def as_dict(self) -> dict[str, Any]:
        return {"model_id": self.model_id, "model_version": self.model_version,
                "device": self.device, "total": self.total, "embedded": self.embedded,
                "failed": self.failed, "remaining": self.remaining,
                "seconds": round(self.seconds, 3), "reason": self.reason,
                "errors": [{"path": p, "message": m} for p, m in self.errors]}


@dataclass
class _Prepared:
    track_id: int
    path: str
    units: np.ndarray | None = None
    error: str | None = None


MAX_LISTED_ERRORS = 20


def prepare_track(embedder: AudioEmbedder, track_id: int, path: str) -> _Prepared:
    """Decode the policy's spans of one file and prepare its units (runs in a worker thread).

    Never raises for a bad file: the failure comes back as ``error`` for the job to record.
    """
    try:
        info = decode.probe(to_fs(path))
        excerpts = decode.read_spans(to_fs(path), embedder.spans(info.duration_s),
                                     sr=embedder.sample_rate, info=info)
        units = embedder.prepare(excerpts)
        if len(units) == 0:
            raise MusicsageError("no frames to embed")
        return _Prepared(track_id, path, units=units)
    except MusicsageError as exc:
        return _Prepared(track_id, path, error=str(exc))
    except Exception as exc:  # a decoder or DSP failure on odd data is still one track's problem
        log.warning("embedding %s failed", path, exc_info=True)
        return _Prepared(track_id, path, error=f"{os.path.basename(path)}: "
                                               f"{type(exc).__name__}: {exc}")


def run_embed_job(ctx: "AppContext", embedder: AudioEmbedder, *, limit: int | None = None,
                  workers: int | None = None, prefetch: int | None = None,
                  progress: ProgressFn | None = None, cancel: CancelToken | None = None,
                  reason: str = "") -> EmbedReport:
    """Embed every present track lacking ``embedder``'s (model_id, model_version) vector."""
    from musicsage.library.db import connect, transaction
    from musicsage.library.queries import (clear_error, mark_analysed, record_error,
                                           store_embedding, tracks_needing_embedding)

    conn = connect(ctx)
    rows = tracks_needing_embedding(conn, embedder.model_id, embedder.model_version)
    if limit is not None:
        rows = rows[:max(0, int(limit))]
    rep = EmbedReport(embedder.model_id, embedder.model_version, embedder.device,
                      total=len(rows), reason=reason)
    stage = f"embed:{embedder.model_id}"
    progress_stage = f"embed {embedder.model_id}"
    started = time.perf_counter()
    report(progress, progress_stage, 0, rep.total, embedder.describe())
    if not rows:
        return rep

    workers = workers or min(4, max(1, (os.cpu_count() or 2)))
    prefetch = prefetch or max(2 * workers, 4)
    todo = deque((int(r["id"]), str(r["path"])) for r in rows)
    pending: deque[Future] = deque()

    def commit(done: list[_Prepared], vectors: list[np.ndarray]) -> None:
        with transaction(conn):
            for item, vector in zip(done, vectors):
                store_embedding(conn, item.track_id, embedder.model_id,
                                embedder.model_version, vector)
                clear_error(conn, item.path, stage)
            mark_analysed(conn, [item.track_id for item in done])
        rep.embedded += len(done)

    def fail(item: _Prepared) -> None:
        record_error(conn, item.path, stage, item.error or "failed", track_id=item.track_id)
        rep.failed += 1
        if len(rep.errors) < MAX_LISTED_ERRORS:
            rep.errors.append((item.path, item.error or "failed"))

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="musicsage-decode")
    try:
        def top_up() -> None:
            while todo and len(pending) < prefetch:
                track_id, path = todo.popleft()
                pending.append(pool.submit(prepare_track, embedder, track_id, path))

        top_up()
        while pending:
            check_cancel(cancel)
            batch: list[_Prepared] = []
            n_units = 0
            # Take ready tracks (waiting only for the first) until the batch is full.
            while pending and n_units < embedder.batch_size and (not batch or pending[0].done()):
                item = pending.popleft().result()
                top_up()
                if item.error is not None:
                    fail(item)
                    continue
                batch.append(item)
                n_units += len(item.units)
            if batch:
                vectors = _infer_and_pool(embedder, batch)
                commit(batch, vectors)
            rep.seconds = time.perf_counter() - started
            report(progress, progress_stage, rep.embedded + rep.failed, rep.total,
                   _short(batch[-1].path if batch else ""), failed=rep.failed,
                   embedded=rep.embedded)
    except Cancelled:
        rep.seconds = time.perf_counter() - started
        raise Cancelled(f"cancelled after {rep.embedded} of {rep.total} tracks "
                        "(finished tracks are kept; run embed again to resume)") from None
    finally:
        for fut in pending:
            fut.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
    rep.seconds = time.perf_counter() - started
    return rep


def _infer_and_pool(embedder: AudioEmbedder, batch: list[_Prepared]) -> list[np.ndarray]:
    """One model pass over the batch's units (chunked to ``batch_size``), pooled per track."""
    units = np.concatenate([item.units for item in batch], axis=0)
    outs = [embedder.infer(units[i:i + embedder.batch_size])
            for i in range(0, len(units), embedder.batch_size)]
    embs = np.concatenate(outs, axis=0)
    vectors, start = [], 0
    for item in batch:
        n = len(item.units)
        vectors.append(embedder.pool(embs[start:start + n]))
        start += n
    return vectors


def _short(path: str) -> str:
    return os.path.basename(display(path))[:60]
