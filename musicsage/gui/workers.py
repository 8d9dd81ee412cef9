"""Run use cases off the GUI thread and hand their results back to it.

A use case (:mod:`musicsage.usecases`) declares how it must run: a quick lookup, long work on
a thread, a child process, or the helper process (:mod:`musicsage.usecases.execution`).
:meth:`WorkerPool.run` reads that declaration and runs the call on one of its long-lived
QThreads (which, for the process modes, waits on the other process: :mod:`musicsage.processes`)
and gives back a :class:`Job`, a QObject living in the GUI thread whose signals always fire
*in the GUI thread*:

- progress reports are put in a lock-protected list by the worker and drained by a GUI-side
  timer (~30 Hz), so a service reporting thousands of times a second can never flood the event
  loop, and the loss curve still receives every report (``progress_batch``);
- the outcome crosses threads once, through a queued connection to the Job itself, so slots
  connected to ``succeeded``/``failed``/``cancelled`` may be lambdas touching widgets.

A Job is also the :class:`~musicsage.controllers.tasks.Task` the Qt-free controllers hold:
``on_result``/``on_failed``/… connect their callbacks to its signals.

Failures go to one place (``WorkerPool.error``), which the window routes to its notification
area. ``shutdown()`` cancels everything and waits, so closing the window never leaves a thread
running behind a destroyed object; ``let_go()``, as another library is shown, has each thread
close its connections to the one left (:mod:`musicsage.gui.worker_threads`)."""

from __future__ import annotations

import logging
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot

from musicsage.controllers.tasks import claim_key
from musicsage.errors import Cancelled, MusicsageError
from musicsage.failures import context_in, failure_line
from musicsage.gui.worker_threads import Lane, LetGo
from musicsage.processes import HEAVY, LIGHT, HelperProcess, ProcessFailed, bind
from musicsage.progress import CancelToken, Progress

if TYPE_CHECKING:
    from musicsage.context import AppContext

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_MS = 33


class Job(QObject):
    """One use-case call running on a worker thread; all signals fire in the GUI thread."""

    progressed = Signal(object)  # the latest Progress
    progress_batch = Signal(list)  # every Progress since the previous emission, in order
    succeeded = Signal(object)  # the service's return value
    failed = Signal(str, str)  # one-line message, details (traceback for bugs, else "")
    cancelled = Signal()
    finished = Signal()  # always last, whatever the outcome

    _outcome = Signal(str, object)  # emitted by the worker thread, delivered queued
    _wake = Signal()  # emitted by the worker thread: progress waits (on-demand draining)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.lane = "light"  # the pool's lane it runs in ("heavy": long work)
        self.token = CancelToken()
        self.superseded = False
        self.state = "queued"  # queued | running | succeeded | failed | cancelled
        self.result: Any = None
        self.error: str = ""
        self.last_progress: Progress | None = None
        self._pending: list[Progress] = []
        self._lock = threading.Lock()
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setInterval(PROGRESS_INTERVAL_MS)
        self._timer.timeout.connect(self._drain_progress)
        self._outcome.connect(self._on_outcome, Qt.ConnectionType.QueuedConnection)
        self._on_demand = False
        self._wake.connect(self._drain_soon, Qt.ConnectionType.QueuedConnection)

    def drain_on_demand(self) -> None:
        """Drain progress only when some arrives (one timer shot per burst), not ~30 times a
        second: for a job that lasts the session and is idle most of it (the folder watch),
        so that an idle window does not wake up for nothing."""
        self._on_demand = True
        self._timer.setSingleShot(True)

    # -- called from the worker thread ----------------------------------------------------
    def execute(self, fn: Callable[..., Any], args: tuple, kwargs: dict,
                library: "AppContext | None") -> None:
        """Run ``fn`` on this (worker) thread and post what came of it: the value, a cancel,
        the user's one line for a failure they can act on, or a bug with its traceback."""
        self.state = "running"
        try:
            if self.token.cancelled:
                raise Cancelled()
            value = fn(*args, **kwargs)
        except Cancelled:
            self.post("cancelled", None)
        except MusicsageError as e:
            self.post("failed", (str(e) or type(e).__name__, ""))
        except ProcessFailed as e:  # a bug in a child process: its own traceback
            log.error("job %s failed in its process: %s\n%s", self.name, e, e.details)
            self.post("failed", (str(e), e.details))
        except BaseException as e:  # a damaged DB, a full disk …: one line; a bug: its traceback
            message, details = failure_line(e, library)
            if details:
                log.error("job %s failed\n%s", self.name, details)
            self.post("failed", (message, details))
        else:
            self.post("succeeded", value)

    def post(self, kind: str, value: object) -> None:
        """Hand the outcome (succeeded, failed, cancelled) to the GUI thread."""
        try:
            self._outcome.emit(kind, value)
        except RuntimeError:  # the window (and the Job with it) is already gone
            pass

    def report(self, p: Progress) -> None:
        """The ``progress`` callback handed to the service (any thread)."""
        with self._lock:
            first = not self._pending
            self._pending.append(p)
        if first and self._on_demand:
            try:
                self._wake.emit()
            except RuntimeError:  # the window (and the Job with it) is already gone
                pass

    # -- GUI thread -------------------------------------------------------------------------
    def cancel(self) -> None:
        """Ask the service to stop at its next check; ``cancelled`` follows when it has."""
        self.token.cancel()

    @property
    def running(self) -> bool:
        return self.state in ("queued", "running")

    # -- the Task interface of the controllers (callbacks run in the GUI thread) ------------
    def on_result(self, fn: Callable[[Any], None]) -> "Job":
        self.succeeded.connect(fn)
        return self

    def on_failed(self, fn: Callable[[str, str], None]) -> "Job":
        self.failed.connect(fn)
        return self

    def on_cancelled(self, fn: Callable[[], None]) -> "Job":
        self.cancelled.connect(fn)
        return self

    def on_progress(self, fn: Callable[[list[Progress]], None]) -> "Job":
        self.progress_batch.connect(fn)
        return self

    def on_finished(self, fn: Callable[[], None]) -> "Job":
        self.finished.connect(fn)
        return self

    @Slot()
    def _drain_soon(self) -> None:
        if not self._closed and not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _drain_progress(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, []
        if not batch or self._closed or self.superseded:
            return
        self.last_progress = batch[-1]
        self.progress_batch.emit(batch)
        self.progressed.emit(batch[-1])

    @Slot(str, object)
    def _on_outcome(self, kind: str, value: object) -> None:
        self._timer.stop()
        if self._closed:
            return
        self._drain_progress()
        self.state = kind
        if self.superseded:
            self.state = "cancelled"
        elif kind == "succeeded":
            self.result = value
            self.succeeded.emit(value)
        elif kind == "cancelled":
            self.cancelled.emit()
        else:
            message, details = value  # type: ignore[misc]
            self.error = message
            self.failed.emit(message, details)
        self.finished.emit()

    def _close(self) -> None:
        """Window is going away: no signal may reach (possibly deleted) widgets any more."""
        self._closed = True
        self._timer.stop()


GUI_SWITCH_INTERVAL_S = 0.001


class WorkerPool(QObject):
    """Runs use cases on worker threads; one error channel; clean shutdown.

    Two lanes, because the GUI thread shares the GIL with every worker: with several
    CPU-bound Python threads CPython hands the GIL round among them and the GUI thread can
    wait hundreds of milliseconds for its turn (``bench/gui_responsiveness.py``). So long work
    (scan, embed, train, map, demo) runs in the ``heavy`` lane, two at a time at most, and
    quick lookups (library snapshot, neighbours, search, tags) in the ``light`` lane, so a
    click is never queued behind a training run. The GIL switch interval is also lowered
    (5 ms → 1 ms) while a pool exists: a waiting GUI thread asks for the GIL sooner.
    """

    error = Signal(str, str, str)  # job name, one-line message, details
    busy_changed = Signal(bool)
    job_started = Signal(object)  # Job

    def __init__(self, parent: QObject | None = None, *, heavy_threads: int = 2,
                 light_threads: int = 2) -> None:
        super().__init__(parent)
        sys.setswitchinterval(min(sys.getswitchinterval(), GUI_SWITCH_INTERVAL_S))
        self._switches = LetGo()
        self._lanes = {HEAVY: Lane(HEAVY, heavy_threads, self._switches),
                       LIGHT: Lane(LIGHT, light_threads, self._switches)}
        self._jobs: list[Job] = []
        self._by_key: dict[str, Job] = {}
        self._shut = False
        self.helper = HelperProcess()

    @property
    def jobs(self) -> list[Job]:
        """Jobs not finished yet (queued or running)."""
        return list(self._jobs)

    @property
    def busy(self) -> bool:
        """Work is in progress: a job of the light or heavy lane is unfinished. A job of a
        lane of its own (the folder watch, which lasts the session and mostly waits) does
        not count, or the window would never be idle."""
        return any(j.lane in (LIGHT, HEAVY) for j in self._jobs)

    def _lane(self, name: str) -> Lane:
        """The lane ``name``; a lane declared by a use case (``runs(lane=…)``) is made on
        first use, with one thread: its jobs run one after the other."""
        lane = self._lanes.get(name)
        if lane is None:
            lane = self._lanes[name] = Lane(name, 1, self._switches)
        return lane

    def run(self, name: str, fn: Callable[..., Any], /, *args: Any, key: str | None = None,
            disposable: bool = False, **kwargs: Any) -> Job:
        """Run use case ``fn(*args, **kwargs)`` as it declares (lane, thread or process; see
        :func:`musicsage.processes.bind`, which says what ``disposable`` does), with this
        job's progress and cancel."""
        lane, call = bind(fn, args, kwargs, helper=self.helper, disposable=disposable)
        return self.submit(name, call, key=key, lane=lane, library=context_in(args))

    def submit(self, name: str, fn: Callable[..., Any], /, *args: Any, key: str | None = None,
               progress: bool = True, cancel: bool = True, lane: str = "light",
               library: "AppContext | None" = None, **kwargs: Any) -> Job:
        """Run ``fn(*args, progress=job.report, cancel=job.token, **kwargs)`` on a worker.

        ``lane``: ``"heavy"`` for long work (minutes), ``"light"`` for quick lookups.

        ``key`` makes the job exclusive: a previous unfinished job with the same key is
        cancelled and its results are dropped (e.g. a neighbour lookup for the previous
        selection). ``progress``/``cancel`` False leave those arguments out for functions that
        do not take them. ``library``: the library the work reads, named in a failure's line.
        """
        if self._shut:
            raise RuntimeError("worker pool is shut down")
        job = Job(name, self)
        job.lane = lane
        claim_key(self._by_key, key, job)
        if progress:
            kwargs["progress"] = job.report
        if cancel:
            kwargs["cancel"] = job.token
        was_busy = self.busy
        self._jobs.append(job)
        job.finished.connect(lambda j=job: self._forget(j))
        job.failed.connect(lambda msg, details, j=job: self.error.emit(j.name, msg, details))

        if lane in (LIGHT, HEAVY):
            job._timer.start()
        else:
            job.drain_on_demand()
        self._lane(lane).start(lambda: job.execute(fn, args, kwargs, library))
        self.job_started.emit(job)
        if self.busy and not was_busy:
            self.busy_changed.emit(True)
        return job

    def let_go(self) -> None:
        """Another library is shown: each thread closes its connections to the one left once
        its task (if any) ends, so that its -wal and -shm go (:mod:`worker_threads`)."""
        self._switches.ask()
        for lane in self._lanes.values():
            lane.let_go()

    def _forget(self, job: Job) -> None:
        was_busy = self.busy
        if job in self._jobs:
            self._jobs.remove(job)
        for k, j in list(self._by_key.items()):
            if j is job:
                del self._by_key[k]
        job.deleteLater()
        if was_busy and not self.busy:
            self.busy_changed.emit(False)

    def shutdown(self, *, timeout_s: float = 30.0) -> bool:
        """Cancel every job, drop queued ones, stop and join the threads. True if all stopped.

        Called from the window's closeEvent. After this, no job signal reaches a widget, and
        no QThread object can be destroyed while its thread runs.
        """
        if self._shut:
            return True
        self._shut = True
        for lane in self._lanes.values():
            lane.clear()  # queued tasks never start
        for job in self._jobs:
            job.cancel()
            job._close()
        t0 = time.monotonic()
        deadline = t0 + timeout_s
        self.helper.shutdown()
        done = all([lane.stop(deadline) for lane in self._lanes.values()])
        if not done:
            log.warning("workers still running after %.1f s", time.monotonic() - t0)
            # Keep the QThread objects alive (never destroy a running thread); they end with
            # the process.
            _LEAKED.extend(t for lane in self._lanes.values() for t in lane.threads if t.isRunning())
        self._jobs.clear()
        self._by_key.clear()
        return done


_LEAKED: list[QThread] = []


class StallProbe(QObject):
    """Measures how long the GUI thread's event loop goes without running a timer.

    A 10 ms timer records the gap between its ticks; ``max_stall_ms`` is the worst extra delay
    beyond the interval. Used by tests and ``bench/gui_responsiveness.py`` to show that
    embedding and training never freeze the window.
    """

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = 10) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.gaps_ms: list[float] = []
        self._last: float | None = None
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.gaps_ms.clear()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.gaps_ms.append((now - self._last) * 1000.0)
        self._last = now

    @property
    def max_stall_ms(self) -> float:
        """Worst delay beyond the timer interval (0 when no tick came late)."""
        if not self.gaps_ms:
            return 0.0
        return max(0.0, max(self.gaps_ms) - self.interval_ms)


