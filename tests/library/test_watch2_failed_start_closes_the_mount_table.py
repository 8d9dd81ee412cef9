"""A folder watch that cannot start (the kernel refuses its inotify watches: the limit is
reached) must let go of what it opened. It kept the kernel's mount table open (the watch
polls it for drives mounted inside a music folder): it was left to the garbage collector,
open for as long as the failure is kept (its traceback holds the watch: a log record, a
report of the error), one handle per failed start, and closed with a ResourceWarning
"unclosed file" at best."""

from __future__ import annotations

import errno
import gc
import os
import warnings

import pytest
from watch_support import refuse_watches_of

from musicsage.errors import MusicsageError
from musicsage.library import watch_mounts
from musicsage.library.watch import FolderWatch
from musicsage.library.watch_apply import WatchPlan


def _open_tables() -> int:
    """How many of this process's file handles are on the mount table."""
    fds = "/proc/self/fd"
    table = os.path.realpath(watch_mounts.MOUNTINFO)
    count = 0
    for fd in os.listdir(fds):
        try:
            count += os.path.realpath(os.readlink(os.path.join(fds, fd))) == table
        except OSError:  # the listing's own handle, closed meanwhile
            pass
    return count


def test_a_watch_refused_by_the_inotify_limit_closes_the_mount_table(tmp_path, monkeypatch):
    if not os.path.exists(watch_mounts.MOUNTINFO):
        pytest.skip("no mount table to open (not Linux)")
    table = tmp_path / "mountinfo"  # a file of the test's own: only the watch opens it
    table.write_text("1 1 0:1 / / rw - ext4 /dev/sda1 rw\n")
    monkeypatch.setattr(watch_mounts, "MOUNTINFO", str(table))
    refuse_watches_of(monkeypatch, b"/Full", errno.ENOSPC)
    (tmp_path / "Full music").mkdir()
    kept = []  # the failures, as a caller that reports them keeps them
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always", ResourceWarning)
        for _attempt in range(3):
            with pytest.raises(MusicsageError) as refused:
                with FolderWatch(WatchPlan(roots=[str(tmp_path / "Full music")])):
                    pass
            kept.append(refused)
        assert _open_tables() == 0, "a failed start left the mount table open"
        kept.clear()
        gc.collect()
    assert not [w for w in said if issubclass(w.category, ResourceWarning)
                and str(table) in str(w.message)]
