"""A run that waits for another (a lock held by a terminal's ``train``, another ``embed``)
reports it once: no total, the lock's wait words at the end. The command line shows that
sentence whole, the demo leaves its "(1/6)" label off it, and the window's training
controller reads the library again once it is over: all three ask the one
:func:`musicsage.progress.is_wait`, where each had its own copy of the test."""

from __future__ import annotations

import threading
from pathlib import Path

from musicsage.library.db import connect
from musicsage.library.lock import library_lock, output_lock
from musicsage.progress import WAIT_WORDS, Progress, is_wait
from musicsage.usecases.demo import _demo_progress


def _reports_while_held(take) -> list[Progress]:
    """The reports of a lock ``take(progress)`` that another thread holds for a moment."""
    held, done, reports = threading.Event(), threading.Event(), []

    def other_run() -> None:
        with take(None):
            held.set()
            done.wait(1.0)

    holder = threading.Thread(target=other_run)
    holder.start()
    try:
        assert held.wait(30)
        with take(reports.append):
            pass
    finally:
        done.set()
        holder.join(30)
    return reports


def test_the_libraries_lock_and_an_output_folders_lock_report_a_wait(ctx, tmp_path: Path):
    for take in (lambda progress: library_lock(connect(ctx), "training", progress=progress),
                 lambda progress: output_lock(tmp_path / "out", progress=progress)):
        reports = _reports_while_held(take)
        assert len(reports) == 1 and is_wait(reports[0]), reports


def test_a_counted_report_or_a_stage_message_is_no_wait():
    assert is_wait(Progress("train", 0, None, f"another training is running; {WAIT_WORDS}"))
    assert not is_wait(Progress("train", 3, 10, f"step 3; {WAIT_WORDS}"))
    assert not is_wait(Progress("graph", 0, None, "reading the library"))
    assert not is_wait(Progress("train", 0, None, ""))


def test_the_demo_leaves_its_stage_label_off_a_wait_only():
    seen: list[Progress] = []
    forward = _demo_progress(seen.append, "train", 3, 6)
    wait = f"another training of this library is running (process 7); {WAIT_WORDS}"
    forward(Progress("train", 0, None, wait))
    forward(Progress("train", 5, 100, "step 5"))
    assert seen[0].message == wait and is_wait(seen[0])
    assert seen[1].message.endswith("(4/6): step 5") and not is_wait(seen[1])
