"""The worker pool lets go of a library the window left (WorkerPool.let_go, called as another
library is shown): a thread that read it, idle since, closes its connection at once; and a
task of that library submitted before the switch but started after it (queued behind a long
one) closes what it opened when it ends. Before, every such connection stayed open until the
window closed, and the library's -wal and -shm with it."""

from __future__ import annotations

import os
import threading
import time

import pytest


def open_under(folder) -> list[str]:
    """This process's open files inside ``folder``."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(folder) + os.sep):
            found.append(os.path.basename(target))
    return found


def read_library(ctx, **_ignored) -> int:
    """A task of the library ``ctx``: a read through this thread's own connection."""
    from musicsage.library.db import connect

    return connect(ctx).execute("SELECT count(*) FROM tracks").fetchone()[0]


@pytest.fixture
def pool(qtbot):
    from musicsage.gui.workers import WorkerPool

    made = WorkerPool()
    yield made
    made.shutdown()


def wait_closed(qtbot, folder) -> list[str]:
    deadline = time.monotonic() + 3
    while open_under(folder) and time.monotonic() < deadline:
        qtbot.wait(50)
    return open_under(folder)


def test_an_idle_thread_lets_go_of_the_library_left(qtbot, pool, ctx):
    from musicsage.library.db import close_thread_connections

    close_thread_connections()  # the test's own
    job = pool.submit("read", read_library, ctx, lane="solo")
    qtbot.waitUntil(lambda: job.state == "succeeded", timeout=10_000)
    assert open_under(ctx.data_dir), "the thread keeps its connection while the library is shown"
    pool.let_go()
    assert wait_closed(qtbot, ctx.data_dir) == []


def test_a_task_queued_before_the_switch_closes_what_it_opened(qtbot, pool, ctx):
    from musicsage.library.db import close_thread_connections

    close_thread_connections()
    go = threading.Event()
    pool.submit("long", lambda **_kw: go.wait(30), lane="solo")
    late = pool.submit("read", read_library, ctx, lane="solo")  # waits behind the long one
    pool.let_go()
    go.set()
    qtbot.waitUntil(lambda: late.state == "succeeded", timeout=10_000)
    assert wait_closed(qtbot, ctx.data_dir) == []
