"""Closing the window does not wait on a map whose process checks no cancel: with an empty
numba cache the first layout compiles its code for up to a minute, and closing the window
then took 30 s ("musicsage-map_points ignored cancel for 30 s: terminating it"). The map is
a cache, made again at the next start: its process is killed at once."""

from __future__ import annotations

import time

from musicsage.gui.workers import WorkerPool
from musicsage.progress import report
from musicsage.usecases.execution import Mode, runs


@runs(Mode.PROCESS)
def deaf_map(*, progress=None, cancel=None):
    """A first map compiling numba code: no cancel check for a long while."""
    report(progress, "map: neighbours", 91, 91)
    time.sleep(120)


def test_closing_does_not_wait_on_a_map_compiling_its_code(qtbot):
    pool = WorkerPool()
    job = pool.run("map", deaf_map, disposable=True)
    qtbot.waitUntil(lambda: job.last_progress is not None, timeout=60_000)
    t0 = time.monotonic()
    assert pool.shutdown(timeout_s=60)
    assert time.monotonic() - t0 < 10, "the 30 s grace of work the user made"
