"""Progress reporting and cancellation shared by every long-running service.

Services take ``progress: ProgressFn | None`` and ``cancel: CancelToken | None``. They call
``progress(Progress(...))`` now and then and ``cancel.raise_if_cancelled()`` between units of
work, so that the CLI (tqdm), the GUI (a worker thread posting to the main thread) and tests all
drive the same code. Nothing here knows about Qt or terminals.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from musicsage.errors import Cancelled


@dataclass(frozen=True)
class Progress:
    """One progress report: ``done`` of ``total`` units of ``stage`` (total None = unknown).

    ``extra[KEEP]`` true marks a stage's last word, worth keeping on screen once the stage
    is over: a training run that early stopping ended before its step limit reports
    ``done == total`` (its bar complete) with the message "stopped early at step 500, best
    at 350", and the command line leaves that bar standing (a bar left at "500/3000 17%"
    said nothing of why it ended)."""

    stage: str
    done: int = 0
    total: int | None = None
    message: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return min(1.0, self.done / self.total)


ProgressFn = Callable[[Progress], None]

KEEP = "keep"
"""The ``Progress.extra`` key of a report whose bar stays on screen (see :class:`Progress`)."""


class CancelToken:
    """A thread-safe flag a front end sets and a worker polls."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


def report(progress: ProgressFn | None, stage: str, done: int = 0, total: int | None = None,
           message: str = "", **extra: Any) -> None:
    """Call ``progress`` if there is one (saves every caller the ``if``)."""
    if progress is not None:
        progress(Progress(stage, done, total, message, dict(extra)))


WAIT_WORDS = "waiting for it to finish"
"""How a run's one report ends while it waits for another holder of a lock to finish
(:mod:`musicsage.library.lock` says it so): :func:`is_wait` tells such a report apart."""


def is_wait(p: Progress) -> bool:
    """Whether ``p`` is a run's report that it waits for another run to finish (no total,
    ending with :data:`WAIT_WORDS`). It is no stage of the run's own, so the command line
    shows it whole, the demo leaves its stage label off it, and the window's training
    controller reads the library again once it is over; each had its own copy of this test."""
    return p.total is None and p.message.endswith(WAIT_WORDS)


def check_cancel(cancel: CancelToken | None) -> None:
    """Raise :class:`Cancelled` if ``cancel`` is set."""
    if cancel is not None:
        cancel.raise_if_cancelled()
