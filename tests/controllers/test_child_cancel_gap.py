"""A cancel that lands as a child process starts its use case.

The parent sets the cancel event, then ends a child it sees "interruptible" at once. The child
cleared "interruptible" and called its use case without looking at the event: a kill the
parent decided just before the clear could end the use case mid-write.
"""

from __future__ import annotations

import queue
import threading

import musicsage.processes as processes


def test_a_child_cancelled_before_it_starts_runs_nothing(monkeypatch):
    monkeypatch.setattr(processes, "background_priority", lambda: None)  # the test's thread
    monkeypatch.setattr(processes, "_exit_when_orphaned", lambda parent, event: None)
    called: list = []
    cancel, interruptible = threading.Event(), threading.Event()
    cancel.set()
    interruptible.set()
    results: queue.Queue = queue.Queue()
    processes._child_main(lambda **kw: called.append(kw), (), {}, queue.Queue(), cancel,
                          results, 0, interruptible)
    assert called == [], "the use case started though the parent may be ending the process"
    assert results.get_nowait()[0] == "cancelled" and not interruptible.is_set()
