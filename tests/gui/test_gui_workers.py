"""The worker pool: results, progress and errors arrive in the GUI thread; cancel and shutdown;
each use case runs where it declares."""

from __future__ import annotations

import threading
import time

import pytest

from musicsage.errors import MusicsageError
from musicsage.gui.workers import StallProbe, WorkerPool
from musicsage.progress import check_cancel, report
from musicsage.usecases.execution import Mode, runs


def counting_service(n, *, progress=None, cancel=None, delay=0.0):
    for i in range(n):
        check_cancel(cancel)
        report(progress, "count", i + 1, n, step=i, loss=1.0 / (i + 1))
        if delay:
            time.sleep(delay)
    return {"n": n, "thread": threading.current_thread().name}


@pytest.fixture
def pool(qtbot):
    p = WorkerPool()
    yield p
    p.shutdown(timeout_s=5)


def test_result_and_every_progress_report_arrive_in_gui_thread(qtbot, pool):
    main = threading.current_thread()
    seen_threads, batches, results = set(), [], []
    job = pool.submit("count", counting_service, 2000)
    job.progress_batch.connect(lambda b: (batches.append(b), seen_threads.add(threading.current_thread())))
    job.succeeded.connect(lambda r: (results.append(r), seen_threads.add(threading.current_thread())))
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert results and results[0]["n"] == 2000
    assert results[0]["thread"] != main.name  # the service ran on a worker
    assert seen_threads == {main}
    steps = [p.extra["step"] for b in batches for p in b]
    assert steps == list(range(2000))  # nothing lost, in order
    assert len(batches) < 2000  # coalesced, not one event per report
    assert not pool.busy


def test_cancel_stops_the_service(qtbot, pool):
    job = pool.submit("slow", counting_service, 10_000, delay=0.001)
    outcome = []
    job.cancelled.connect(lambda: outcome.append("cancelled"))
    job.succeeded.connect(lambda r: outcome.append("succeeded"))
    qtbot.waitUntil(lambda: job.last_progress is not None, timeout=30_000)
    with qtbot.waitSignal(job.finished, timeout=30_000):
        job.cancel()
    assert outcome == ["cancelled"]


def test_expected_error_and_bug_go_to_the_one_error_channel(qtbot, pool):
    def user_error(*, progress=None, cancel=None):
        raise MusicsageError("folder not found: /nope")

    def bug(*, progress=None, cancel=None):
        return 1 / 0

    errors = []
    pool.error.connect(lambda name, msg, details: errors.append((name, msg, details)))
    j1 = pool.submit("scan", user_error)
    with qtbot.waitSignal(j1.finished, timeout=30_000):
        pass
    j2 = pool.submit("train", bug)
    with qtbot.waitSignal(j2.finished, timeout=30_000):
        pass
    assert errors[0] == ("scan", "folder not found: /nope", "")
    assert errors[1][0] == "train" and "ZeroDivisionError" in errors[1][1]
    assert "Traceback" in errors[1][2]


def test_keyed_job_supersedes_the_previous_one(qtbot, pool):
    got = []
    first = pool.submit("similar", counting_service, 5000, delay=0.001, key="similar")
    first.succeeded.connect(lambda r: got.append(("first", r)))
    second = pool.submit("similar", counting_service, 3, key="similar")
    second.succeeded.connect(lambda r: got.append(("second", r["n"])))
    with qtbot.waitSignals([first.finished, second.finished], timeout=10_000):
        pass
    assert got == [("second", 3)]


def test_shutdown_while_running_waits_and_silences(qtbot):
    pool = WorkerPool()
    started = threading.Event()
    delivered = []

    def long_service(*, progress=None, cancel=None):
        started.set()
        while True:
            check_cancel(cancel)
            time.sleep(0.005)

    job = pool.submit("train", long_service)
    job.finished.connect(lambda: delivered.append("finished"))
    assert started.wait(5)
    t0 = time.monotonic()
    assert pool.shutdown(timeout_s=5)
    assert time.monotonic() - t0 < 2
    qtbot.wait(100)  # let any queued event through: none may reach the (closed) receivers
    assert delivered == []
    with pytest.raises(RuntimeError):
        pool.submit("again", counting_service, 1)


def test_stall_probe_sees_a_blocked_gui_thread(qtbot):
    probe = StallProbe()
    probe.start()
    qtbot.wait(50)
    time.sleep(0.25)  # block the GUI thread
    qtbot.wait(50)
    probe.stop()
    assert probe.max_stall_ms > 150


@runs(Mode.PROCESS)
def stubborn_service(n, *, progress=None, cancel=None):
    """A use case declared to run in a child process (module level, so the child can import
    it)."""
    import os

    for i in range(n):
        check_cancel(cancel)
        report(progress, "count", i + 1, n, step=i, pid=os.getpid())
        time.sleep(0.01)
    return {"n": n, "pid": os.getpid()}


@runs(Mode.PROCESS)
def failing_service(kind, *, progress=None, cancel=None):
    if kind == "user":
        raise MusicsageError("no audio embeddings yet")
    return {}["missing"]


def test_run_in_process_forwards_progress_result_and_errors(qtbot, pool):
    import os

    batches, results = [], []
    job = pool.run("train", stubborn_service, 20)  # declared PROCESS: the pool picks it
    assert job.lane == "heavy"
    job.progress_batch.connect(batches.append)
    job.succeeded.connect(results.append)
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass
    assert results[0]["n"] == 20 and results[0]["pid"] != os.getpid()  # ran elsewhere
    assert [p.extra["step"] for b in batches for p in b] == list(range(20))

    errors = []
    pool.error.connect(lambda name, msg, details: errors.append((msg, details)))
    for kind in ("user", "bug"):
        j = pool.run("train", failing_service, kind)
        with qtbot.waitSignal(j.finished, timeout=60_000):
            pass
    assert errors[0] == ("no audio embeddings yet", "")
    assert "KeyError" in errors[1][0] and "Traceback" in errors[1][1]


def test_run_in_process_cancel_stops_the_child(qtbot, pool):
    job = pool.run("train", stubborn_service, 100_000)
    qtbot.waitUntil(lambda: job.last_progress is not None, timeout=60_000)
    outcome = []
    job.cancelled.connect(lambda: outcome.append("cancelled"))
    t0 = time.monotonic()
    with qtbot.waitSignal(job.finished, timeout=30_000):
        job.cancel()
    assert outcome == ["cancelled"] and time.monotonic() - t0 < 10


def cached_answer(n, **_):
    return {"n": n, "pid": "cached"} if n == 1 else None


@runs(Mode.PROCESS, fast_path=cached_answer)
def cached_or_computed(n, *, progress=None, cancel=None):
    import os

    return {"n": n, "pid": os.getpid()}


@runs(Mode.LOOKUP, progress=False, cancel=False)
def quick_lookup(n):
    return {"n": n, "thread": threading.current_thread().name}


def test_declared_execution_picks_lane_thread_and_process(qtbot, pool):
    """A lookup runs on a light thread without progress/cancel; a process use case answers
    from its fast path when that finds something, else in a child process."""
    import os

    results = []
    jobs = [pool.run("lookup", quick_lookup, 3), pool.run("map", cached_or_computed, 1),
            pool.run("map", cached_or_computed, 2)]
    for job in jobs:
        job.succeeded.connect(results.append)
    with qtbot.waitSignals([j.finished for j in jobs], timeout=60_000):
        pass
    assert [j.lane for j in jobs] == ["light", "heavy", "heavy"]
    cached, computed, lookup = sorted(results, key=lambda r: r["n"])
    assert "light" in lookup["thread"]
    assert cached["pid"] == "cached"
    assert computed["pid"] != os.getpid()


@runs(Mode.THREAD)
def database_trouble(ctx, kind, *, progress=None, cancel=None):
    """Fails as a library's database or disk can, mid-work (after it opened)."""
    import errno
    import sqlite3

    if kind == "damaged":
        raise sqlite3.DatabaseError("database disk image is malformed")
    if kind == "full":
        raise OSError(errno.ENOSPC, "No space left on device", str(ctx.data_dir / "x"))
    raise sqlite3.OperationalError("no such column: nonsense")  # a bug in our SQL


@runs(Mode.PROCESS)
def database_trouble_in_a_child(ctx, kind, *, progress=None, cancel=None):
    return database_trouble(ctx, kind)


@pytest.mark.parametrize("service", [database_trouble, database_trouble_in_a_child])
def test_a_damaged_database_or_full_disk_is_the_users_one_line_not_a_bug(qtbot, pool, ctx,
                                                                         service):
    """What the command line says for these, the window says too (it showed a bare
    'DatabaseError: database disk image is malformed' and logged a traceback); a real bug in
    a query keeps its traceback."""
    errors = []
    pool.error.connect(lambda name, msg, details: errors.append((msg, details)))
    for kind in ("damaged", "full", "bug"):
        job = pool.run("library", service, ctx, kind)
        with qtbot.waitSignal(job.finished, timeout=60_000):
            pass
    damaged, full, bug = errors
    assert damaged == (f"the library database {ctx.db_path} is damaged (database disk image is "
                       "malformed): move it aside (or put back a copy of it) and scan your music "
                       "again; your music and playlist files are untouched", "")
    assert full == (f"No space left on device: {ctx.data_dir / 'x'}", "")
    assert bug[0] == "OperationalError: no such column: nonsense" and "Traceback" in bug[1]
