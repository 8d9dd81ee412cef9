"""The lines that name another process holding a library's lock: its pid, never the Python
tuple the lock file's reader returns. ``models --use 1`` beside a running ``train`` said "a
training of this library is running(' (process 28320)', ''): it makes its new model current
…"."""

from __future__ import annotations

import os
import sqlite3

import pytest

from musicsage.errors import MusicsageError
from musicsage.library.lock import library_lock, no_training_running, training_lock


def test_a_switch_beside_a_training_names_the_trainings_process(tmp_path):
    db = tmp_path / "library.sqlite3"
    holder, switch = sqlite3.connect(db), sqlite3.connect(db)
    with training_lock(holder):  # as a training in another process holds it (its own file)
        with pytest.raises(MusicsageError) as refused:
            with no_training_running(switch, "switch models"):
                pass
    assert str(refused.value) == (
        f"a training of this library is running (process {os.getpid()}): it makes its new "
        "model current when it ends; switch models after it finishes")


def test_a_waiting_scan_names_the_process_and_what_it_does(tmp_path):
    """The other reader of the holder's pid: a second scan's waiting line."""
    from musicsage.progress import CancelToken

    db = tmp_path / "library.sqlite3"
    holder, waiter = sqlite3.connect(db), sqlite3.connect(db)
    said, cancel = [], CancelToken()

    def progress(report) -> None:
        said.append(report.message)
        cancel.cancel()  # stop waiting once it has said why

    with library_lock(holder, "scan", stage="import"):
        with pytest.raises(MusicsageError):  # Cancelled
            with library_lock(waiter, "scan", progress=progress, cancel=cancel):
                pass
    assert said == [f"another import of this library is running (process {os.getpid()}); "
                    "waiting for it to finish"]
