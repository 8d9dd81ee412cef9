"""The embed job: every track lacking a current embedding → one vector in the library DB.

Pipeline (one model, one frame policy), laid out by :mod:`musicsage.audio.threads`:

- **Decode workers** (a small thread pool, :mod:`musicsage.audio.embed_prepare`): probe the
  file, reserve the memory its analysis needs, read only the spans the embedder asks for, run
  ``embedder.prepare`` (numpy; soundfile, PyAV, soxr and numpy release the GIL). Tracks are
  decoded ahead so the model never waits on I/O.
- **Inference lanes**: units of ready tracks are batched — across tracks — up to
  ``embedder.batch_size`` and inferred; a batch is started as soon as a lane is free and a
  track is ready, so the pipeline never idles waiting to fill a batch. On the CPU there is one
  lane per core, each a single-threaded pass (``embedder.parallel_infer``): both cores stay
  busy with no thread team spinning at a barrier; a GPU gets one lane with large batches.
- **Commit per batch** (the calling thread, which owns the DB connection): the finished
  tracks of each batch are written in one transaction (vector, cleared error,
  ``needs_analysis = 0``), so a killed process loses at most the batches in flight and a
  re-run skips every committed track (``tracks_needing_embedding`` compares model id *and*
  version).
- **Failures** (missing, corrupt, truncated, unsupported files) are recorded per track in
  ``errors`` with stage ``embed:<model_id>`` and the job goes on; a track that later succeeds
  has its error cleared.

Progress is reported per committed batch; ``cancel`` is polled between batches and stops the
job with :class:`~musicsage.errors.Cancelled` after committing what is finished (batches
already in a lane finish and are kept). The decode workers see it too: a track waiting for
memory, or not yet started, is given up at once (tracks being decoded finish, unused). A run
that ends otherwise (a model pass failed, a commit failed) gives them up the same way
(:class:`_RunStop`) before its error is shown, nothing recorded of them.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Iterator

import numpy as np

from musicsage.audio import threads
from musicsage.audio.embed_files import file_gone, file_identity, short_name
from musicsage.audio.embed_prepare import Prepared, prepare_track
from musicsage.audio.embed_words import damaged_note, failed_advice, non_finite_error
from musicsage.audio.embedder import AudioEmbedder
from musicsage.errors import Cancelled, MusicsageError
from musicsage.library.paths import display, json_fields
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
    embedded: int = 0  # vectors stored
    failed: int = 0
    gone: int = 0  # removed from the library (forget) while the run analysed them: not stored
    seconds: float = 0.0
    reason: str = ""  # why this model was used (default choice)
    errors: list[tuple[str, str]] = field(default_factory=list)
    """The first few (path, message), the path stored form: ``--json`` writes it as every
    path in JSON is (docs/cli.md, "Paths in JSON"), the text shows it with U+FFFD."""
    reanalysis: str = ""  # why vectors the library had were redone ("" when none were)
    vanished: int = 0
    """Of ``failed``, the tracks whose file was gone (deleted or moved since the last scan)."""
    short_of_memory: int = 0
    """Of ``failed``, the tracks whose analysis ran out of memory (:func:`.memory_error`)."""
    too_short: int = 0
    """Of ``failed``, the tracks whose audio is too short to analyse (a click: not damaged,
    and given no vector; :func:`.too_short_error`)."""

    @property
    def remaining(self) -> int:
        return self.total - self.embedded - self.failed - self.gone

    @property
    def failed_advice(self) -> str:
        """What to do about the files that failed ("" when none did), in the one wording the
        command line and the window give: a failed track stays in the library and every run
        tries it again (a file may become readable), so a line that only said "1 failed"
        came back on every run with nothing to act on (:func:`.failed_advice`)."""
        return failed_advice(self.failed, self.vanished, self.short_of_memory, self.too_short)

    def as_dict(self) -> dict[str, Any]:
        return {"model_id": self.model_id, "model_version": self.model_version,
                "device": self.device, "total": self.total, "embedded": self.embedded,
                "failed": self.failed, "gone": self.gone, "remaining": self.remaining,
                "seconds": round(self.seconds, 3), "reason": self.reason,
                "errors": [json_fields({"path": p, "message": display(m)})
                           for p, m in self.errors],
                "reanalysis": self.reanalysis, "vanished": self.vanished,
                "short_of_memory": self.short_of_memory, "too_short": self.too_short}


MAX_LISTED_ERRORS = 20
MAX_REQUEUES = 3
CHANGING_WORDS = ("its file changed on every try while it was analysed (still being "
                  "written?): embed again once it is complete")


def run_embed_job(ctx: "AppContext", embedder: AudioEmbedder, *, limit: int | None = None,
                  workers: int | None = None, prefetch: int | None = None,
                  cores: int | None = None, progress: ProgressFn | None = None,
                  cancel: CancelToken | None = None, reason: str = "",
                  stale_note: Callable[[list[int]], str] | None = None) -> EmbedReport:
    """Embed every present track lacking ``embedder``'s (model_id, model_version) vector.

    ``cores``: CPU cores the job may keep busy (default, and at most: all this process may run
    on); the inference lanes and decode threads follow from it and the embedder's device
    (:func:`musicsage.audio.threads.budget_for`). ``workers`` (decode threads) and
    ``prefetch`` (tracks decoded ahead) override that layout. ``stale_note``: the caller's
    line on the vectors this run redoes, given the ids of the tracks it analyses (``limit``
    applied) once the library is this run's: asked before, a run that waited for another one
    said "re-analysing 7 vectors", then "embedded 0 of 1".
    """
    from musicsage.library.damaged_vectors import damaged_vector_tracks, failed_since_change
    from musicsage.library.db import connect
    from musicsage.library.lock import library_lock
    from musicsage.library.queries import tracks_needing_embedding

    if cores is not None and cores < 1:
        raise MusicsageError(f"threads must be at least 1 (got {cores})")
    if cores is not None and cores > threads.cpu_cores():
        # more cores than the process may run on busy nothing more: ``--threads 100000``
        # started that many lanes and decoders, and decoded every track ahead at once
        cores = threads.cpu_cores()
    conn = connect(ctx)
    progress_stage = f"embed {embedder.model_id}"
    # one embedding run per library at a time (library/lock.py): a second one waits, then
    # lists only what the first left, instead of embedding the same tracks again
    with library_lock(conn, "embed", progress=progress, cancel=cancel, stage=progress_stage):
        rows = tracks_needing_embedding(conn, embedder.model_id, embedder.model_version)
        damaged = damaged_vector_tracks(conn, embedder.model_id, embedder.model_version)
        rows = sorted([*rows, *damaged], key=lambda row: int(row["id"]))
        if limit is not None:  # tracks never tried first: failed ones blocked every run
            failed = failed_since_change(conn, embedder.model_id)
            rows = sorted(rows, key=lambda row: int(row["id"]) in failed)[:max(0, int(limit))]
        chosen = [int(r["id"]) for r in rows]
        redone = len({int(r["id"]) for r in damaged}.intersection(chosen))  # --limit counted
        notes = (stale_note(chosen) if stale_note is not None else "", damaged_note(redone))
        rep = EmbedReport(embedder.model_id, embedder.model_version, embedder.device,
                          total=len(rows), reason=reason, reanalysis="; ".join(filter(None, notes)))
        report(progress, progress_stage, 0, rep.total, embedder.describe())
        if not rows:
            return rep
        budget = threads.budget_for(embedder.device, cores=cores,
                                    uses_torch=embedder.parallel_infer)
        workers = max(1, workers or budget.decoders)
        job = _Job(conn, embedder, rep, progress, cancel, lanes=budget.lanes,
                   prefetch=prefetch or max(2 * workers, 2 * budget.lanes, 4))
        with threads.applied(budget):
            job.run([(int(r["id"]), str(r["path"]), r["updated_at"]) for r in rows], workers)
    return rep


def lane_failure(rep: EmbedReport, exc: BaseException) -> str:
    """The one line for a model pass that failed (a GPU out of memory): the run stops, as the
    next batch would fail the same way, with the batches finished in the other lanes kept."""
    from musicsage.errors import named_first_line

    memory = isinstance(exc, MemoryError) or "out of memory" in str(exc).lower()
    if not memory:  # a bug, say: the line alone hid its traceback everywhere
        log.warning("%s failed on a batch", rep.model_id, exc_info=exc)
    reason = named_first_line(exc)
    if len(reason) > 200:  # cut at a space (mid-word only in a word that long), marked cut
        reason = reason[:199].rsplit(" ", 1)[0] + "\u2026"
    kept = ("the finished tracks are kept: run embed again to resume" if rep.embedded
            else "run embed again")
    advice = " (with --device cpu, or fewer --threads, as the memory ran out)" if memory else ""
    return (f"embedding stopped after {rep.embedded} of {rep.total} tracks: {rep.model_id} "
            f"failed on a batch ({reason}); {kept}{advice}")


class _RunStop(CancelToken):
    """What the decode workers poll: the run's Cancel, or the job's own stop once the run ends
    any other way. Only a Cancel gave the waiting tracks up: after a failed lane or commit each
    track waiting for memory was still probed and decoded, one after another (a long mix
    seconds each), and thrown away before the error was shown."""

    def __init__(self, cancel: CancelToken | None) -> None:
        super().__init__()
        self.run_cancel = cancel

    @property
    def cancelled(self) -> bool:
        return super().cancelled or (self.run_cancel is not None and self.run_cancel.cancelled)

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            raise Cancelled()


class _Job:
    """One run's moving parts: the decode queue, the lanes in flight, commits, the report."""

    def __init__(self, conn, embedder: AudioEmbedder, rep: EmbedReport,
                 progress: ProgressFn | None, cancel: CancelToken | None, *, lanes: int,
                 prefetch: int) -> None:
        self.conn, self.embedder, self.rep = conn, embedder, rep
        self.progress, self.cancel = progress, cancel
        self.stop = _RunStop(cancel)  # the decode workers'
        self.lanes, self.prefetch = lanes, prefetch
        self.stage = f"embed:{embedder.model_id}"
        self.progress_stage = f"embed {embedder.model_id}"
        self.started = time.perf_counter()
        self.todo: deque[tuple[int, str, str | None]] = deque()
        self.requeued: dict[int, int] = {}  # track id → times analysed again (changed)
        self.decoding: deque[Future] = deque()
        self.inferring: set[Future] = set()

    def run(self, tracks: list[tuple[int, str, str | None]], workers: int) -> None:
        self.todo.extend(tracks)
        decoders = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="musicsage-decode")
        infer = ThreadPoolExecutor(max_workers=self.lanes, thread_name_prefix="musicsage-infer")
        try:
            self._loop(decoders, infer)
        except Cancelled:
            self._drain()  # what a lane finished is kept
            self.rep.seconds = time.perf_counter() - self.started
            raise Cancelled(f"cancelled after {self.rep.embedded} of {self.rep.total} tracks "
                            "(finished tracks are kept; run embed again to resume)") from None
        finally:
            self.stop.cancel()  # whatever ended the run: no track is decoded for nothing
            for fut in self.decoding:
                fut.cancel()
            decoders.shutdown(wait=True, cancel_futures=True)
            infer.shutdown(wait=True, cancel_futures=True)
        self.rep.seconds = time.perf_counter() - self.started

    def _loop(self, decoders: ThreadPoolExecutor, infer: ThreadPoolExecutor) -> None:
        while self.todo or self.decoding or self.inferring:
            self._top_up(decoders)  # tracks a scan changed meanwhile come back (``_requeued``)
            check_cancel(self.cancel)
            while len(self.inferring) < self.lanes and self.decoding:
                # Block for a decoded track only when no lane is busy (nothing else to wait on).
                batch = self._take_batch(decoders, block=not self.inferring)
                if not batch:
                    break
                self.inferring.add(infer.submit(_infer_and_pool, self.embedder, batch))
            if not self.inferring:
                continue  # only failures were ready: record them, look again
            waits = set(self.inferring)
            if len(self.inferring) < self.lanes and self.decoding:
                waits.add(self.decoding[0])  # a free lane starts as soon as a track is ready
            finished, _ = wait(waits, return_when=FIRST_COMPLETED)
            for fut in finished & self.inferring:
                self.inferring.discard(fut)
                if fut.exception() is not None:  # the other lanes' batches are kept first
                    self.stop.cancel()  # (the tracks waiting are given up meanwhile)
                    self._drain()
                    raise MusicsageError(lane_failure(self.rep, fut.exception())) from None
                self._commit(*fut.result())

    def _top_up(self, decoders: ThreadPoolExecutor) -> None:
        while self.todo and len(self.decoding) < self.prefetch:
            track_id, path, stamp = self.todo.popleft()
            self.decoding.append(decoders.submit(prepare_track, self.embedder, track_id, path,
                                                 stamp, self.stop))

    def _take_batch(self, decoders: ThreadPoolExecutor, *, block: bool) -> list[Prepared]:
        """Ready tracks (waiting for the first one only if ``block``) up to a full batch."""
        batch: list[Prepared] = []
        n_units = 0
        while (self.decoding and n_units < self.embedder.batch_size
               and (self.decoding[0].done() or (block and not batch))):
            item = self.decoding.popleft().result()
            self._top_up(decoders)
            if item.error is not None:
                self._fail(item)
                continue
            batch.append(item)
            n_units += len(item.units)
        return batch

    def _commit(self, done: list[Prepared], vectors: list[np.ndarray]) -> None:
        """Store the batch's vectors, in one transaction, for the tracks still in the library.
        A folder forgotten while its tracks were analysed took them out: storing their vectors
        failed (FOREIGN KEY constraint), and a count of the batch said "embedded" for vectors
        that were never stored; they are counted as ``gone`` instead. A vector with NaN or
        infinite values (a float file whose samples are far out of range overflows the front
        end) is a failure of its track: stored, it was counted "embedded", then redone as
        "damaged" on every run, stored again and counted "embedded" again."""
        from musicsage.library.db import transaction
        from musicsage.library.queries import (clear_error, mark_analysed, store_embedding,
                                               track_exists)

        e = self.embedder
        finite = [bool(np.isfinite(vector).all()) for vector in vectors]
        for item in (item for item, ok in zip(done, finite) if not ok):
            self._fail(replace(item, error=non_finite_error(e.model_id)))
        done = [item for item, ok in zip(done, finite) if ok]
        vectors = [vector for vector, ok in zip(vectors, finite) if ok]
        if not done:
            return
        with transaction(self.conn):  # BEGIN IMMEDIATE: no forget between check and store
            present = [(item, vector) for item, vector in zip(done, vectors)
                       if track_exists(self.conn, item.track_id)]
            kept = [(item, vector) for item, vector in present if not self._requeued(item)]
            for item, vector in kept:
                store_embedding(self.conn, item.track_id, e.model_id, e.model_version, vector)
                clear_error(self.conn, item.path, self.stage)
            mark_analysed(self.conn, [item.track_id for item, _ in kept])
        self.rep.embedded += len(kept)
        self.rep.gone += len(done) - len(present)
        self._report(done[-1].path)

    def _requeued(self, item: Prepared) -> bool:
        """Whether a scan changed the track since it was listed and its file is not the one
        decoded (a re-rip), which puts it back in this run's queue (stored, its vector or
        failure was the new file's for good). The file is told by size, mtime and inode, not by
        ``updated_at``, which any scan moves: a file touched before the run and scanned during
        it was decoded again, one a tagger renamed on every try failed (a retag saved after its
        decode still is). One changing on every try is requeued 3 times, then fails."""
        from musicsage.library.queries import get_track

        row = get_track(self.conn, item.track_id)
        if item.stamp is None or row is None or row["updated_at"] == item.stamp \
                or row["status"] != "present":  # its file gone: kept, as by a run before
            return False
        if item.file is not None and file_identity(str(row["path"])) == item.file:
            # rescanned, or moved: the file decoded (no stat before decoding: not known to be)
            item.path = str(row["path"])  # its failure recorded, its error cleared, there
            return False
        tries = self.requeued[item.track_id] = self.requeued.get(item.track_id, 0) + 1
        if tries > MAX_REQUEUES:
            self._fail(replace(item, stamp=None, error=CHANGING_WORDS))
        else:
            self.todo.append((item.track_id, str(row["path"]), row["updated_at"]))
        return True

    def _fail(self, item: Prepared) -> None:
        """Record the track's failure; a damaged vector of this model it still holds (stored
        by an older version) goes with it, or every embed re-analysed it and failed again."""
        from musicsage.library.damaged_vectors import drop_damaged_vector
        from musicsage.library.db import transaction
        from musicsage.library.queries import record_error, track_exists

        with transaction(self.conn):  # no scan between the check and the record (its date)
            if self._requeued(item):
                return
            gone = not track_exists(self.conn, item.track_id)
            if not gone:  # a forgotten track's failure is nobody's concern any more
                record_error(self.conn, item.path, self.stage, item.error or "failed",
                             track_id=item.track_id)
                drop_damaged_vector(self.conn, item.track_id, self.embedder.model_id)
        if gone:
            self.rep.gone += 1
            self._report(item.path)
            return
        self.rep.failed += 1
        vanished = file_gone(item.path)  # (then not also said short of memory)
        self.rep.vanished += vanished
        self.rep.short_of_memory += item.memory and not vanished
        self.rep.too_short += item.short and not vanished
        if len(self.rep.errors) < MAX_LISTED_ERRORS:
            self.rep.errors.append((item.path, item.error or "failed"))
        self._report(item.path)

    def _report(self, path: str) -> None:
        rep = self.rep
        rep.seconds = time.perf_counter() - self.started
        report(self.progress, self.progress_stage, rep.total - rep.remaining, rep.total,
               short_name(path), failed=rep.failed, embedded=rep.embedded, vanished=rep.vanished,
               short_of_memory=rep.short_of_memory, too_short=rep.too_short)

    def _drain(self) -> None:
        """After a cancel: let the lanes finish their batches and commit them."""
        if self.inferring:
            finished, _ = wait(self.inferring)
            for fut in finished:
                if fut.exception() is None:
                    self._commit(*fut.result())
            self.inferring.clear()


def _infer_and_pool(embedder: AudioEmbedder,
                    batch: list[Prepared]) -> tuple[list[Prepared], list[np.ndarray]]:
    """One model pass over the batch's units (chunked to ``batch_size``), pooled per track.
    numpy's overflow warnings are kept quiet in pooling: a vector that overflows is a failure
    of its track (``_Job._commit``), and the warning's bare source line ("ret = umr_sum(…)")
    landed among the command's lines."""
    embs = np.concatenate([embedder.infer(chunk) for chunk in _chunks(batch, embedder.batch_size)],
                          axis=0)
    vectors, start = [], 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # this thread's
        for item in batch:
            n = len(item.units)
            vectors.append(embedder.pool(embs[start:start + n]))
            start += n
    return batch, vectors


def _chunks(batch: list[Prepared], size: int) -> Iterator[np.ndarray]:
    """The batch's units ``size`` at a time, in order across its tracks, each chunk what
    slicing their join gave (so the same vectors): only a chunk that spans two tracks is
    copied. The batch was joined whole first, a copy of every track's units: a long track
    batched behind a short one (a batch takes tracks while it has fewer units than
    ``batch_size``) was copied whole, twice the memory its decode had reserved (a 2-hour
    track's OpenL3 frames, 1.4 GB more)."""
    pieces: list[np.ndarray] = []
    taken = 0
    for item in batch:
        units, start = item.units, 0
        while start < len(units):
            piece = units[start:start + size - taken]
            pieces.append(piece)
            taken, start = taken + len(piece), start + len(piece)
            if taken == size:
                yield pieces[0] if len(pieces) == 1 else np.concatenate(pieces)
                pieces, taken = [], 0
    if pieces:
        yield pieces[0] if len(pieces) == 1 else np.concatenate(pieces)
