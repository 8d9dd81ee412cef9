"""The controller tests' runner words a failure as the window's workers do
(:func:`musicsage.failures.failure_line`): a damaged library database or a folder the system
refused is the one line a user can act on, without a traceback; only a bug is "Type: message"
with its traceback. It said "DatabaseError: database disk image is malformed" for damage the
window words as "the library database … is damaged (…)", so a test passed on words the user
never sees."""

from __future__ import annotations

import errno
import sqlite3

from musicsage.controllers.tasks import InlineRunner
from musicsage.library.db_problems import is_damaged_line
from musicsage.usecases.execution import Mode, runs


@runs(Mode.LOOKUP, progress=False, cancel=False)
def read_damaged(ctx) -> None:
    raise sqlite3.DatabaseError("database disk image is malformed")


@runs(Mode.LOOKUP, progress=False, cancel=False)
def write_refused(ctx) -> None:
    raise PermissionError(errno.EACCES, "Permission denied", str(ctx.data_dir / "x.json"))


@runs(Mode.LOOKUP, progress=False, cancel=False)
def buggy(ctx) -> None:
    raise KeyError("track_id")


def failures_of(fn, ctx) -> list[tuple[str, str]]:
    runner = InlineRunner()
    failed: list[tuple[str, str]] = []
    runner.run("read", fn, ctx).on_failed(lambda message, details: failed.append((message,
                                                                                 details)))
    runner.drain()
    return failed


def test_a_damaged_database_fails_in_the_windows_one_line(ctx):
    [(message, details)] = failures_of(read_damaged, ctx)
    assert is_damaged_line(message) and str(ctx.db_path) in message, message
    assert details == "", "no traceback for damage a user can act on"


def test_a_refused_library_folder_fails_in_the_windows_one_line(ctx):
    [(message, details)] = failures_of(write_refused, ctx)
    assert message.startswith(f"the library folder {ctx.data_dir} is not writable"), message
    assert details == ""


def test_a_bug_keeps_its_type_and_traceback(ctx):
    [(message, details)] = failures_of(buggy, ctx)
    assert message == "KeyError: 'track_id'"
    assert "Traceback" in details and "buggy" in details
