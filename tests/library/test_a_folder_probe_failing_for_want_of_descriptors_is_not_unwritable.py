"""Whether a library can be made in a folder is asked by writing a probe file there. Only a
refusal (permission denied, a read-only filesystem) means the folder is not writable: a probe
that failed for want of file descriptors (or a full disk) was said "the folder is not writable
(Too many open files)", sending the user to change permissions that were fine — by the
database's opening (any "unable to open" with no database yet) and by the line of a command
that finds no library, which now share one check."""

from __future__ import annotations

import errno
import os
import resource
from contextlib import contextmanager
from pathlib import Path

import musicsage.files  # noqa: F401 - imported before no descriptor is left
from musicsage.context import no_library_message
from musicsage.library.db_problems import cannot_make_library_problem


@contextmanager
def no_descriptor_left():
    """Every file descriptor this process may open is taken (EMFILE), until the block ends."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    taken: list[int] = []
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(soft, 256), hard))
    try:
        while True:
            try:
                taken.append(os.open(os.devnull, os.O_RDONLY))
            except OSError as exc:
                assert exc.errno == errno.EMFILE, exc
                break
        yield
    finally:
        for fd in taken:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_no_library_is_said_unmakable_for_want_of_descriptors(tmp_path: Path):
    data = tmp_path / "library"
    data.mkdir()
    with no_descriptor_left():
        problem = cannot_make_library_problem(data / "library.sqlite3")
        line = no_library_message(data)
    assert problem is None, problem  # opening says SQLite's own words, as before
    assert "not writable" not in line, line
    assert "start one with" in line, line
