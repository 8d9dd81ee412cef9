"""Run a use case in another process: a fresh child per call, or the long-lived helper.

Qt-free (the window's worker pool calls these from its worker threads; a controller test can
too). Why processes at all: torch, dgl and numba hold the GIL in stretches a GUI thread
feels, and importing torch alone freezes a process's other threads for seconds. A child
process shares no GIL with the window. :func:`bind` turns a use case and its declared
:class:`~musicsage.usecases.execution.Execution` into the call a worker thread makes.
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from musicsage.decoder_noise import real_stderr
from musicsage.errors import Cancelled, MusicsageError
from musicsage.failures import context_in, failure_line
from musicsage.progress import CancelToken, Progress, check_cancel
from musicsage.usecases.execution import Mode, execution_of

log = logging.getLogger(__name__)

BACKGROUND_NICE = 10  # ~1/10 of a normal process's CPU share, only when the CPU is contended


def background_priority() -> None:
    """Lower the calling thread's CPU priority (Linux: per-thread nice; threads it starts, such
    as torch's compute threads, inherit it). On a busy CPU the GUI thread then gets the
    processor as soon as it wakes; on an idle one the work loses nothing."""
    try:
        tid = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, tid)
        if current < BACKGROUND_NICE:
            os.setpriority(os.PRIO_PROCESS, tid, BACKGROUND_NICE)
    except (AttributeError, OSError):  # not Linux/Unix, or not allowed: keep the default
        pass


def leave_ctrl_c_to_the_window() -> None:
    """Run first in every child (a use case's own, the helper). The terminal sends Ctrl-C's
    SIGINT to its whole foreground group, the window's children too: each raised
    ``KeyboardInterrupt`` wherever it was ("job map failed in its process:
    KeyboardInterrupt", a traceback on the terminal; a tag lookup raised it in a worker
    thread of the window), while the window was closing and cancelling that work the normal
    way. Held back since the child's start (:func:`_interrupt_held`), a SIGINT that came
    meanwhile is dropped here."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _helper_setup(parent: int) -> None:
    """The helper process's start: Ctrl-C is the window's, it works in the background, and
    it ends when the window's process (``parent``) is gone. Ignoring SIGINT, it outlived a
    window ended at once (Ctrl-C twice: ``os._exit``, no shutdown), idle with torch loaded,
    forever: its pool's queue never closes, the helper holding both of its ends."""
    leave_ctrl_c_to_the_window()
    background_priority()
    _exit_when_orphaned(parent)


@contextmanager
def _interrupt_held() -> Iterator[None]:
    """SIGINT blocked in this thread while it starts a child, which inherits the mask: a
    Ctrl-C in the child's own start-up (Python's, its imports) waits for
    :func:`leave_ctrl_c_to_the_window`, which drops it, instead of ending the child with a
    traceback. The window's other threads still take it. multiprocessing's resource tracker
    is started first: starting it unblocks SIGINT in the thread that starts it."""
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


# --- a use case in its own process ------------------------------------------------------------
# Training holds the GIL in stretches the GUI thread feels (sparse kernels called from autograd
# without releasing it: stalls of 100-170 ms measured by bench/gui_responsiveness.py). A child
# process shares no GIL with the window. The parent side runs on an ordinary worker thread, so
# the window's Job machinery (progress batches, cancel, one error channel, shutdown) is the
# same for every execution mode.

PROCESS_POLL_S = 0.05
PROCESS_CANCEL_GRACE_S = 30.0
DISPOSABLE_CANCEL_GRACE_S = 1.0
"""The grace of a child whose result is only a cache made again on demand (the map): a cold
numba cache compiles for up to a minute without a cancel check, and closing the window
waited the whole 30 s grace on it ("ignored cancel for 30 s: terminating it"). Killing it
loses nothing the user made; the next start lays the map out again."""


class _ProcessCancelToken(CancelToken):
    """A CancelToken the parent sets through a multiprocessing Event; ``interruptible``
    (another Event) is set while the child may be ended at once (:func:`killable`)."""

    def __init__(self, event: Any, interruptible: Any = None) -> None:  # noqa: D107
        self._event = event
        self.interruptible = interruptible


@contextmanager
def killable(cancel: CancelToken | None) -> Iterator[None]:
    """The block writes nothing and holds nothing that outlives its process (flock locks do
    not) — a use case's start-up (imports of torch and dgl: seconds), its reads, its
    computing — so a cancel may end it at once: in a child process the parent terminates
    it (its next cancel check could be seconds away: a Retrain's start-up looked as if
    Cancel was ignored), and the use case raises :class:`Cancelled` at the block's end if
    it was cancelled meanwhile."""
    interruptible = getattr(cancel, "interruptible", None)
    if interruptible is not None:
        interruptible.set()
    try:
        yield
    finally:
        if interruptible is not None:
            interruptible.clear()
    check_cancel(cancel)


ORPHAN_POLL_S = 1.0


def _exit_when_orphaned(parent: int, cancel_event: Any = None) -> None:
    """Stop this child if the window's process dies without stopping it (killed, crashed,
    ended at once by a second Ctrl-C).

    ``daemon=True`` only covers a parent that exits normally; a killed parent would leave the
    child training on, unseen, at full CPU. The child is re-parented when its parent dies, so
    a ``getppid()`` other than ``parent`` (the pid the window process passed down, so a parent
    killed while the child was still importing counts too) means nobody is waiting for the
    result: cancel (``cancel_event``, where the child's work has one), then exit.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(ORPHAN_POLL_S)
        if cancel_event is not None:
            cancel_event.set()
            time.sleep(PROCESS_CANCEL_GRACE_S / 3)
        os._exit(1)

    threading.Thread(target=watch, name="orphan-watch", daemon=True).start()


def _child_main(fn: Callable[..., Any], args: tuple, kwargs: dict, progress_q: Any, cancel_event: Any,
                result_q: Any, parent: int, interruptible: Any = None) -> None:
    """Runs in the child: call ``fn`` and send back progress, then one outcome message.
    ``interruptible``: set by the parent (the child's imports can be ended at once), cleared
    here: ``fn`` says where it may be (:func:`killable`)."""
    background_priority()
    _exit_when_orphaned(parent, cancel_event)
    if interruptible is not None:
        interruptible.clear()
        if cancel_event.is_set():  # the parent may have read "interruptible" before the
            # clear and be about to end this process: ``fn`` must not start (it could write)
            result_q.put(("cancelled", "cancelled", ""))
            return

    def progress(p: Progress) -> None:
        progress_q.put(p)

    try:
        token = _ProcessCancelToken(cancel_event, interruptible)
        value = fn(*args, progress=progress, cancel=token, **kwargs)
    except Cancelled as e:
        result_q.put(("cancelled", str(e), ""))
    except MusicsageError as e:
        result_q.put(("failed", str(e) or type(e).__name__, ""))
    except BaseException as e:  # noqa: BLE001 - a damaged DB …: one line; a bug: its traceback
        message, details = failure_line(e, context_in(args))
        result_q.put(("bug" if details else "failed", message, details))
    else:
        result_q.put(("succeeded", value, ""))


def _child_entry(*args: Any) -> None:
    """A child's target: Ctrl-C left to the window, then :func:`_child_main` (``args``)."""
    leave_ctrl_c_to_the_window()
    _child_main(*args)


class ProcessFailed(Exception):
    """A bug in the child process; the message carries its type and text, ``details`` its traceback."""

    def __init__(self, message: str, details: str) -> None:
        super().__init__(message)
        self.details = details


def run_in_process(fn: Callable[..., Any], /, *args: Any, progress: Any = None,
                   cancel: CancelToken | None = None,
                   cancel_grace_s: float = PROCESS_CANCEL_GRACE_S, **kwargs: Any) -> Any:
    """Call ``fn(*args, progress=…, cancel=…, **kwargs)`` in a fresh (spawned) process.

    ``fn`` and its arguments must be picklable (a module-level use case and an AppContext
    are). Progress reports are forwarded to ``progress``; ``cancel`` is relayed to
    the child, which stops at its next check; a child that ignores it is terminated after
    ``cancel_grace_s`` (:data:`DISPOSABLE_CANCEL_GRACE_S` for work that is only a cache).
    Raises what the child raised (MusicsageError/Cancelled keep their message).
    """
    child, progress_q, result_q, cancel_event, interruptible = _start_child(fn, args, kwargs)
    outcome = None
    cancel_sent_at: float | None = None
    try:
        while outcome is None:
            if cancel is not None and cancel.cancelled and cancel_sent_at is None:
                cancel_event.set()
                cancel_sent_at = time.monotonic()
            if cancel_sent_at is not None and interruptible.is_set():
                outcome = _end_killable(child)
                break
            _forward(progress_q, progress)
            try:
                outcome = result_q.get(timeout=PROCESS_POLL_S)
            except queue.Empty:
                if not child.is_alive():
                    try:  # the outcome may have landed just as the child exited
                        outcome = result_q.get(timeout=0.5)
                    except queue.Empty:
                        break
                elif cancel_sent_at is not None and time.monotonic() - cancel_sent_at > cancel_grace_s:
                    log.warning("%s ignored cancel for %.0f s: terminating it", child.name,
                                cancel_grace_s)
                    child.terminate()
                    outcome = ("cancelled", "cancelled", "")
        _forward(progress_q, progress)
    finally:
        child.join(10)
        if child.is_alive():
            child.terminate()
            child.join(5)
    if outcome is None:
        raise MusicsageError(_stopped_line(child.exitcode))
    kind, value, details = outcome
    if kind == "succeeded":
        return value
    if kind == "cancelled":
        raise Cancelled(value or "cancelled")
    if kind == "failed":
        raise MusicsageError(value)
    raise ProcessFailed(value, details)


def _stopped_line(exitcode: int | None) -> str:
    """What a child that ended without an outcome means to the user. A negative exit code is
    a signal that killed it: "exit code -9" told nothing, while SIGKILL is most often the
    kernel's out-of-memory killer (a training on a large library)."""
    if exitcode is None:
        return "the background process stopped unexpectedly; try again"
    if exitcode >= 0:
        return f"the background process stopped unexpectedly (exit code {exitcode})"
    number = -exitcode
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = "an unknown signal"
    if number == signal.SIGKILL:
        return (f"the background process was killed (signal {number}, {name}: out of "
                "memory?); try again, or close other programs")
    return f"the background process was killed (signal {number}, {name}); try again"


def _start_child(fn: Callable[..., Any], args: tuple, kwargs: dict) -> tuple:
    """The spawned child of :func:`run_in_process`, its queues (progress, result) and its
    events (cancel, interruptible)."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    with real_stderr(), _interrupt_held():  # the child inherits descriptor 2 and the mask
        progress_q, result_q, cancel_event = ctx.Queue(), ctx.Queue(), ctx.Event()
        interruptible = ctx.Event()
        interruptible.set()  # until the child runs ``fn``: its imports
        child = ctx.Process(target=_child_entry, args=(fn, args, kwargs, progress_q, cancel_event,
                                                      result_q, os.getpid(), interruptible),
                            name=f"musicsage-{getattr(fn, '__name__', 'task')}", daemon=True)
        child.start()
    return child, progress_q, result_q, cancel_event, interruptible


def _end_killable(child: Any) -> tuple[str, str, str]:
    """A child cancelled where it may be ended at once (:func:`killable`): terminated."""
    log.info("%s cancelled where nothing is lost: ending it", child.name)
    child.terminate()
    return ("cancelled", "cancelled", "")


def _forward(progress_q: Any, progress: Any) -> None:
    while True:
        try:
            p = progress_q.get_nowait()
        except queue.Empty:
            return
        if progress is not None:
            progress(p)


def _call_then_close(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """Run in the helper: ``fn(*args, **kwargs)``, then the helper's connections to the
    library closed. The helper outlives the library it was called for: a connection kept
    there held the library's -wal and -shm open after the window showed another library,
    until the window closed. Opening one again costs a few milliseconds a call."""
    from musicsage.library.db import close_thread_connections

    try:
        return fn(*args, **kwargs)
    finally:
        close_thread_connections()


class HelperProcess:
    """One long-lived spawned process for short calls that need heavy libraries.

    MusiCNN tags run on every track click and need torch. Importing torch in the window's
    process freezes its GUI thread for 0.4–3.5 s (module initialisation holds the GIL; measured
    on a loaded 2-core machine), and a process per click would take seconds to start. This
    process imports torch once, on its first call, and then answers in well under a second.
    """

    def __init__(self) -> None:
        self._executor: Any = None
        self._lock = threading.Lock()

    def call(self, fn: Callable[..., Any], /, *args: Any, progress: Any = None,
             cancel: CancelToken | None = None, **kwargs: Any) -> Any:
        """``fn(*args, **kwargs)`` in the helper process (``progress`` is not forwarded;
        ``cancel`` abandons the wait — the helper finishes that call and moves on)."""
        import concurrent.futures as cf

        with self._lock, real_stderr(), _interrupt_held():  # submit may start the helper
            future, executor = self._submit(fn, args, kwargs)
            workers = list((getattr(executor, "_processes", None) or {}).values())
        while True:
            try:
                return future.result(timeout=PROCESS_POLL_S)
            except cf.TimeoutError:
                if cancel is not None and cancel.cancelled:
                    future.cancel()
                    raise Cancelled() from None
            except cf.process.BrokenProcessPool as e:
                with self._lock:
                    if self._executor is executor:  # not a fresh one another call started
                        self._executor = None  # start a fresh one next time
                raise MusicsageError(_stopped_line(_exitcode_of(workers))) from e

    def _submit(self, fn: Callable[..., Any], args: tuple, kwargs: dict) -> tuple[Any, Any]:
        """``fn`` submitted to the helper (started if need be), and the pool it went to; under
        ``self._lock``. A pool found broken (its helper died between two calls, or in another
        thread's call that has yet to say so) raised its raw BrokenProcessPool: the call has
        not run, so a fresh helper runs it."""
        import concurrent.futures as cf
        import multiprocessing as mp

        if self._executor is not None:
            try:
                return self._executor.submit(_call_then_close, fn, *args, **kwargs), self._executor
            except cf.process.BrokenProcessPool:
                self._executor = None
        # the helper inherits descriptor 2 and the signal mask (_helper_setup)
        self._executor = cf.ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn"),
                                                initializer=_helper_setup, initargs=(os.getpid(),))
        return self._executor.submit(_call_then_close, fn, *args, **kwargs), self._executor

    def shutdown(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is None:
            return
        processes = list(getattr(executor, "_processes", {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for p in processes:  # a call may still be running: it must not outlive the window
            p.terminate()
        for p in processes:
            p.join(5)


def _exitcode_of(workers: list[Any]) -> int | None:
    """The exit code of the helper's dead worker among ``workers`` (None: none could be read).
    The pool only says "A process in the process pool was terminated abruptly", where a
    worker's exit code says by what (:func:`_stopped_line`: the out-of-memory killer's
    SIGKILL). The pool's own thread reaps the worker too: its code may take a moment. No
    worker to wait for (a pool without ``_processes``, a private name): None at once."""
    if not workers:
        return None
    deadline = time.monotonic() + 2.0
    while True:
        codes = [p.exitcode for p in workers if p.exitcode is not None]
        if codes or time.monotonic() > deadline:
            return next((c for c in codes if c != 0), codes[0] if codes else None)
        time.sleep(0.02)


LIGHT, HEAVY = "light", "heavy"
"""Worker lanes: quick lookups never wait behind long work (see the window's WorkerPool)."""


def bind(fn: Callable[..., Any], args: tuple, kwargs: dict, *, helper: "HelperProcess | None",
         in_process: bool = False, disposable: bool = False) -> tuple[str, Callable[..., Any]]:
    """``(lane, call)`` for running use case ``fn(*args, **kwargs)`` as it declares.

    ``call(progress=…, cancel=…)`` is what a worker thread runs: a LOOKUP or THREAD use case is
    called directly; a PROCESS one in a fresh child (after its ``fast_path``, if any, found
    nothing); a HELPER one in ``helper``. ``in_process=True`` calls every use case directly
    (tests of controllers, which need no child processes). ``disposable``: its result is only
    a cache, so a child that does not stop when cancelled is killed at once
    (:data:`DISPOSABLE_CANCEL_GRACE_S`), not after half a minute.
    """
    ex = execution_of(fn)
    lane = ex.lane or (LIGHT if ex.mode in (Mode.LOOKUP, Mode.HELPER) else HEAVY)

    def call(*, progress: Any = None, cancel: CancelToken | None = None) -> Any:
        if ex.mode is Mode.HELPER and not in_process and helper is not None:
            return helper.call(fn, *args, cancel=cancel, **kwargs)
        if ex.mode is Mode.PROCESS and ex.fast_path is not None:
            found = ex.fast_path(*args, **kwargs)
            if found is not None:
                return found
        if ex.mode is Mode.PROCESS and not in_process:
            grace = DISPOSABLE_CANCEL_GRACE_S if disposable else PROCESS_CANCEL_GRACE_S
            return run_in_process(fn, *args, progress=progress, cancel=cancel,
                                  cancel_grace_s=grace, **kwargs)
        extra = {}
        if ex.progress:
            extra["progress"] = progress
        if ex.cancel:
            extra["cancel"] = cancel
        return fn(*args, **kwargs, **extra)

    return lane, call
