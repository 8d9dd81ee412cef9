"""How a use case must run, declared once beside it instead of decided at every call site.

A front end with an event loop (the window) must never run a use case on its own thread,
and *where* it runs depends on the use case, not on who calls it:

- :attr:`Mode.LOOKUP` — quick reads of the DB or the caches (a click, a search): a light
  worker thread, never queued behind long work.
- :attr:`Mode.THREAD` — long work in this process that does not hold the GIL for long
  (scanning: file I/O and SQLite): a heavy worker thread — or a lane of its own
  (``lane=``) for work that lasts as long as the window and mostly waits (the folder watch),
  or that must never hold up the long work (the search warm-up after each reload).
- :attr:`Mode.PROCESS` — long work whose libraries hold the GIL (torch, dgl, umap/numba): a
  child process, so the window's thread keeps running. ``fast_path`` (if any) is tried first
  on the calling thread and answers at once when it returns something (a cached map).
- :attr:`Mode.HELPER` — short calls that need torch (MusiCNN tags on every click): the one
  long-lived helper process, which imports torch once.

The CLI ignores all of this and calls use cases directly. A runner (the window's
:class:`~musicsage.gui.workers.WorkerPool`, the controllers' tests'
:class:`~musicsage.controllers.tasks.InlineRunner`) reads :func:`execution_of`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Callable, TypeVar


class Mode(enum.Enum):
    LOOKUP = "lookup"
    THREAD = "thread"
    PROCESS = "process"
    HELPER = "helper"


@dataclass(frozen=True)
class Execution:
    mode: Mode
    progress: bool = True
    """The function takes ``progress=`` (a runner passes its reporter)."""
    cancel: bool = True
    """The function takes ``cancel=`` (a runner passes its token)."""
    fast_path: Callable[..., Any] | None = None
    """Same arguments, no progress/cancel; a non-None answer is the result (PROCESS only)."""
    lane: str | None = None
    """A lane of its own instead of light/heavy (THREAD only): for work that runs until
    cancelled and mostly sleeps (the folder watch), which must not hold one of the few
    heavy threads for the whole session."""


DEFAULT = Execution(Mode.LOOKUP, progress=False, cancel=False)
"""What an undeclared function gets: a quick call on a light thread."""

F = TypeVar("F", bound=Callable[..., Any])


def runs(mode: Mode, *, progress: bool = True, cancel: bool = True,
         fast_path: Callable[..., Any] | None = None, lane: str | None = None) -> Callable[[F], F]:
    """Declare how the decorated use case must run (the function itself is unchanged, so it
    stays picklable by name for a child process)."""

    def declare(fn: F) -> F:
        fn.execution = Execution(mode, progress, cancel, fast_path,  # type: ignore[attr-defined]
                                 lane)
        return fn

    return declare


def execution_of(fn: Callable[..., Any]) -> Execution:
    """The declared :class:`Execution` of ``fn`` (:data:`DEFAULT` when undeclared)."""
    return getattr(fn, "execution", DEFAULT)
