"""What controllers need to run use cases and tell a view what happened, without Qt.

- :class:`Event` — a list of callbacks (the Qt-free stand-in for a signal).
- :class:`Task` / :class:`Runner` — the interface a controller runs use cases through. The
  window's :class:`~musicsage.gui.workers.WorkerPool` implements it with threads and
  processes; :class:`InlineRunner` runs everything in the calling thread on :meth:`drain`
  (controller tests, scripts).
- :class:`LongTasks` — which long task a status line shows, its progress, and Cancel.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Callable, Protocol

from musicsage.controllers.pace import Pace
from musicsage.controllers.wording import (counted_stage, counted_text, stops_early,
                                           task_words)
from musicsage.errors import Cancelled, MusicsageError
from musicsage.failures import context_in, failure_line
from musicsage.processes import ProcessFailed, bind
from musicsage.progress import CancelToken, Progress

if TYPE_CHECKING:
    from musicsage.context import AppContext


class Event:
    """Callbacks called in connection order by :meth:`emit`."""

    def __init__(self) -> None:
        self._slots: list[Callable[..., Any]] = []

    def connect(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        self._slots.append(fn)
        return fn

    def emit(self, *args: Any) -> None:
        for fn in list(self._slots):
            fn(*args)


class Task(Protocol):
    """One use-case call in flight. Callbacks run where the runner delivers results (the GUI
    thread for the window) and may be connected right after :meth:`Runner.run` returns."""

    name: str
    lane: str
    state: str  # queued | running | succeeded | failed | cancelled
    result: Any
    token: CancelToken  # set by :meth:`cancel`; the call reads it (whether Cancel was pressed)

    @property
    def running(self) -> bool: ...

    def cancel(self) -> None: ...

    def on_result(self, fn: Callable[[Any], None]) -> "Task": ...

    def on_failed(self, fn: Callable[[str, str], None]) -> "Task": ...

    def on_cancelled(self, fn: Callable[[], None]) -> "Task": ...

    def on_progress(self, fn: Callable[[list[Progress]], None]) -> "Task": ...

    def on_finished(self, fn: Callable[[], None]) -> "Task": ...


class Runner(Protocol):
    def run(self, name: str, fn: Callable[..., Any], /, *args: Any, key: str | None = None,
            disposable: bool = False, **kwargs: Any) -> Task:
        """Run use case ``fn(*args, **kwargs)`` as it declares. ``key`` makes it exclusive: an
        unfinished task with the same key is cancelled and its results are dropped.
        ``disposable``: its result is only a cache (the map), so a child process that does
        not stop when cancelled is killed at once (:func:`musicsage.processes.bind`)."""

    def let_go(self) -> None:
        """Another library is shown: close the connections kept to the one left, once the
        task using each (if any) ended; else its -wal and -shm stay beside it while the
        window runs."""


def claim_key(by_key: dict, key: str | None, task) -> None:
    """Make ``task`` the one task of ``key`` (None: no key): an unfinished earlier one is
    cancelled and marked ``superseded``, so its results are dropped (a neighbour search for
    the previous click, say)."""
    if key is None:
        return
    old = by_key.get(key)
    if old is not None and old.running:
        old.superseded = True
        old.cancel()
    by_key[key] = task


class InlineTask:
    """A :class:`Task` of :class:`InlineRunner`. ``library`` is the library among the use
    case's arguments (:func:`~musicsage.failures.context_in`), so that a failure is worded
    as the window's workers word it (:func:`~musicsage.failures.failure_line`)."""

    def __init__(self, name: str, lane: str, call: Callable[..., Any],
                 library: "AppContext | None" = None) -> None:
        self.name, self.lane, self._call = name, lane, call
        self.library = library
        self.state = "queued"
        self.result: Any = None
        self.superseded = False
        self.disposable = False
        """Run as disposable (:meth:`Runner.run`): what a test checks."""
        self.token = CancelToken()
        self._slots: dict[str, list[Callable[..., Any]]] = {
            k: [] for k in ("result", "failed", "cancelled", "progress", "finished")}

    @property
    def running(self) -> bool:
        return self.state in ("queued", "running")

    def cancel(self) -> None:
        self.token.cancel()

    def _on(self, kind: str, fn: Callable[..., Any]) -> "InlineTask":
        self._slots[kind].append(fn)
        return self

    def on_result(self, fn: Callable[[Any], None]) -> "InlineTask":
        return self._on("result", fn)

    def on_failed(self, fn: Callable[[str, str], None]) -> "InlineTask":
        return self._on("failed", fn)

    def on_cancelled(self, fn: Callable[[], None]) -> "InlineTask":
        return self._on("cancelled", fn)

    def on_progress(self, fn: Callable[[list[Progress]], None]) -> "InlineTask":
        return self._on("progress", fn)

    def on_finished(self, fn: Callable[[], None]) -> "InlineTask":
        return self._on("finished", fn)

    def _emit(self, kind: str, *args: Any) -> None:
        for fn in list(self._slots[kind]):
            fn(*args)

    def execute(self) -> tuple[str, str] | None:
        """Run the call and deliver its progress and outcome; returns (message, details) when
        it failed (for the runner's error channel)."""
        reports: list[Progress] = []
        self.state = "running"
        outcome, value = "succeeded", None
        try:
            if self.token.cancelled:
                raise Cancelled()
            value = self._call(progress=reports.append, cancel=self.token)
        except Cancelled:
            outcome = "cancelled"
        except MusicsageError as e:
            outcome, value = "failed", (str(e) or type(e).__name__, "")
        except ProcessFailed as e:
            outcome, value = "failed", (str(e), e.details)
        except Exception as e:  # noqa: BLE001 - a damaged DB, a full disk …: one line; a bug:
            outcome, value = "failed", failure_line(e, self.library)  # with its traceback
        if self.superseded:
            self.state = "cancelled"
        else:
            self._deliver(outcome, value, reports)
        self._emit("finished")
        return value if outcome == "failed" and not self.superseded else None

    def _deliver(self, outcome: str, value: Any, reports: list[Progress]) -> None:
        if reports:
            self._emit("progress", reports)
        self.state = outcome
        if outcome == "succeeded":
            self.result = value
            self._emit("result", value)
        elif outcome == "cancelled":
            self._emit("cancelled")
        else:
            self._emit("failed", *value)


class InlineRunner:
    """Runs use cases in the calling thread, in submission order, when :meth:`drain` is
    called; process and helper use cases run in this process too. Failures also go to
    :attr:`error` (name, message, details), as the window's pool reports them."""

    def __init__(self) -> None:
        self.queue: list[InlineTask] = []
        self.error = Event()
        self._by_key: dict[str, InlineTask] = {}
        self.ran: list[str] = []
        """Names of the tasks run so far, in order (what a test checks)."""

    def run(self, name: str, fn: Callable[..., Any], /, *args: Any, key: str | None = None,
            disposable: bool = False, **kwargs: Any) -> InlineTask:
        lane, call = bind(fn, args, kwargs, helper=None, in_process=True, disposable=disposable)
        task = InlineTask(name, lane, call, library=context_in(args))
        task.disposable = disposable
        claim_key(self._by_key, key, task)
        self.queue.append(task)
        return task

    def let_go(self) -> None:
        """Nothing to close: the tasks ran in the caller's thread, whose connections are the
        caller's (a test's or a script's own, which it may still use)."""

    @property
    def busy(self) -> bool:
        return bool(self.queue)

    def drain(self, limit: int = 1000) -> None:
        """Run queued tasks (and those they queue) until none is left."""
        for _ in range(limit):
            if not self.queue:
                return
            task = self.queue.pop(0)
            self.ran.append(task.name)
            failure = task.execute()
            if failure is not None:
                self.error.emit(task.name, *failure)
        raise RuntimeError(f"still busy after {limit} tasks")


STATUS_CHARS = 80
"""The most characters of a progress line (a long file name is cut, with "…" to say so)."""


class LongTasks:
    """The long tasks (scanning, embedding, training, the demo, the map) a status line shows.

    The newest tracked task is current: its label, then its progress, in a user's words
    (:mod:`musicsage.controllers.wording`; the stages' own names are for the program). When it
    ends, the newest one still running takes over, under its label; when none is left the line
    goes away. A task
    that outlives its bursts of work (the folder watch) is tracked for each burst and
    released (:meth:`release`) in between.

    A counted stage (embedding's tracks) says how many are done and, once a few are, the time
    left (:mod:`musicsage.controllers.pace`; ``clock``: what a test turns). A task tracked
    with ``words`` may say its progress otherwise (the map's first compile).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.current: Task | None = None
        self._tracked: list[Task] = []
        self._hooked: list[Task] = []
        self._labels: dict[int, str] = {}
        """id(task) → the label it was tracked with (what it says when it takes over)."""
        self._panels: dict[int, tuple[str, ...]] = {}
        """id(task) → the panels that draw its progress themselves (the training dock …)."""
        self._words: dict[int, Callable[[Progress], str | None]] = {}
        """id(task) → its own words for a report (None: the usual ones)."""
        self._library: dict[int, tuple[str, str]] = {}
        """id(task) → the library it works on (key, name), once another was shown
        (:meth:`switched`)."""
        self._shown_library = ""
        self._pace = Pace(clock)
        self.shown = Event()  # label: a task started (progress unknown yet)
        self.progressed = Event()  # text, done, total (total None: unknown)
        self.relabelled = Event()  # text: another running task took over
        self.hidden = Event()  # nothing long is running any more
        self.cancelling = Event()  # task: Cancel was asked of it, by whichever Cancel

    def track(self, task: Task, label: str, panels: tuple[str, ...] = (),
              words: Callable[[Progress], str | None] | None = None) -> Task:
        """Show ``task`` on the status line. ``panels``: the views that show its progress bar
        and Cancel themselves (the welcome page, the training dock): while one of them is on
        screen, the status line keeps to the label — two bars for one task read as two tasks.
        ``words(report)``: the line for a report, where it is not the usual one (None)."""
        self.current = task
        self._labels[id(task)] = label
        self._panels[id(task)] = tuple(panels)
        if words is not None:
            self._words[id(task)] = words
        if task not in self._tracked:
            self._tracked.append(task)
        self.shown.emit(label)
        if task not in self._hooked:
            self._hooked.append(task)
            task.on_progress(lambda batch, t=task: self._progress(t, batch[-1]))
            task.on_finished(lambda t=task: self._finished(t))
        return task

    @property
    def panels(self) -> tuple[str, ...]:
        """The panels that draw the current task's progress themselves (none: the line does)."""
        return self._panels.get(id(self.current), ()) if self.current is not None else ()

    def release(self, task: Task) -> None:
        """``task`` goes on but has nothing to show (a watch waiting for the next change):
        the line goes to the next running task, or away."""
        self._finished(task)

    def cancel(self) -> None:
        """Cancel the current task; the status line says so until it stops. (No argument: a
        Qt signal connected here would pass its ``checked`` as one.)"""
        if self.current is not None:
            self.cancel_task(self.current)

    def cancel_task(self, task: Task) -> None:
        """Cancel ``task``; the status line says so until it stops — at once when it is the
        current task, else when it takes over. A panel's own Cancel (the training dock's)
        called ``task.cancel()``: the line said "Training…" until the run ended. Every Cancel
        comes here (the status line's, Ctrl+., a panel's): :attr:`cancelling` tells the panel
        that draws the task (the training dock said "Cancelling…" for its own button only)."""
        task.cancel()
        self.cancelling.emit(task)
        if task not in self._hooked:  # not tracked (any more): nothing of it is shown
            return
        # the reports of what it still commits (an embedding's last batches) keep saying
        # so: they put back "… about 3 min left" until the task ended
        self._words[id(task)] = lambda _p: "Cancelling…"
        self._labels[id(task)] = "Cancelling"  # what it says if it takes over the line
        if task is self.current:
            self.relabelled.emit(self._label(task) + "…")

    def switched(self, old: str, new: str, home: str) -> None:
        """Another library is shown (their data dirs: ``old`` → ``new``; ``home``: the user's
        own, the other one the window shows being the demo). Each task going on was started on
        ``old`` (a task starts on the library shown) and goes on there, with its Cancel: while
        another is shown, its line is its label naming that library instead of its progress
        — "Training…" read as a training of the library on screen."""
        name = "your library" if old == home else "the demo library"
        for task in self._tracked:
            self._library.setdefault(id(task), (old, name))
        self._shown_library = new
        if self.current is not None:
            self.relabelled.emit(self._label(self.current) + "…")

    def _elsewhere(self, task: Task) -> str:
        """The name of the library ``task`` works on when it is not the one shown, else ""."""
        key, name = self._library.get(id(task), ("", ""))
        return name if key and key != self._shown_library else ""

    def _label(self, task: Task) -> str:
        """What ``task`` says when it takes over the line (its library, if not shown)."""
        label = self._labels.get(id(task)) or task_words(task.name)
        name = self._elsewhere(task)
        return f"{label} ({name}, not the one shown)" if name else label

    def _progress(self, task: Task, p: Progress) -> None:
        # paced while another task is shown too; only a counted stage says a time left
        left = self._pace.seconds_left(id(task), p) if counted_stage(p.stage) else None
        if task is self.current:
            # a training run's step limit is not where it ends: a busy bar (total None)
            total = None if stops_early(p) else p.total
            own = self._words.get(id(task))
            text = own(p) if own is not None else None
            if text:  # a stage of its own words counts nothing: "100 %" said it was done
                total = None
            text = text or counted_text(p, left)
            if self._elsewhere(task):  # its bar goes on; its words would read as this one's
                text = self._label(task) + "…"
            cut = (text if len(text) <= STATUS_CHARS
                   else text[:STATUS_CHARS - 1].rstrip(". ") + "…")
            self.progressed.emit(cut, p.done, total)

    def _finished(self, task: Task) -> None:
        if task in self._tracked:
            self._tracked.remove(task)
        if not task.running and task in self._hooked:
            self._hooked.remove(task)
            self._labels.pop(id(task), None)
            self._panels.pop(id(task), None)
            self._words.pop(id(task), None)
            self._library.pop(id(task), None)
            self._pace.forget(id(task))
        if task is not self.current:
            return
        self.current = None
        still = [t for t in self._tracked if t.running]
        if still:
            self.current = still[-1]
            self.relabelled.emit(self._label(still[-1]) + "…")
        else:
            self.hidden.emit()
