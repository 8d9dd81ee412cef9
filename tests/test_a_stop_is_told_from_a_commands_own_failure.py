"""Inside a command's stop block (``scan``, ``embed``, ``demo``, ``tags --library``) the
block itself tells which failure is the stop a Ctrl-C or SIGTERM asked for — the cancel, or
SQLite giving up on another program's lock that the signal could not cut short — and which is
the command's own failure, said as it is: a Ctrl-C must not turn "no such table" into
"interrupted", and a lock given up on without any Ctrl-C stays "the database is locked"."""

from __future__ import annotations

import signal
import sqlite3

from musicsage.commands.stopping import STOP_ERRORS, stop_requests
from musicsage.errors import Cancelled, MusicsageError


def _locked_error(tmp_path) -> sqlite3.OperationalError:
    """The error of a real write that another connection's write lock kept out."""
    db = tmp_path / "library.sqlite3"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        other.execute("INSERT INTO t VALUES (1)")
    except sqlite3.OperationalError as exc:
        return exc
    finally:
        other.close()
        holder.rollback()
        holder.close()
    raise AssertionError("the write was not kept out")


def _opening_failed(cause: sqlite3.OperationalError) -> MusicsageError:
    """A use case's own line for a failed open, its SQLite error as its cause."""
    try:
        raise MusicsageError("cannot open the library") from cause
    except MusicsageError as exc:
        return exc


def test_without_a_signal_no_failure_is_taken_for_a_stop(tmp_path):
    locked = _locked_error(tmp_path)
    with stop_requests() as stop:
        for exc in (KeyboardInterrupt(), Cancelled("cancelled"), locked,
                    _opening_failed(locked)):
            assert isinstance(exc, STOP_ERRORS)
            assert not stop.ends(exc), exc


def test_after_a_ctrl_c_the_stop_and_a_lock_given_up_on_are_the_stop(tmp_path):
    locked = _locked_error(tmp_path)
    with stop_requests() as stop:
        signal.raise_signal(signal.SIGINT)  # the first one cancels: nothing is raised
        assert stop.cancel.cancelled
        for exc in (KeyboardInterrupt(), Cancelled("cancelled"), locked,
                    _opening_failed(locked)):
            assert stop.ends(exc), exc
        own = sqlite3.OperationalError("no such table: tracks")
        for exc in (own, _opening_failed(own), MusicsageError("the folder is gone")):
            assert not stop.ends(exc), exc
