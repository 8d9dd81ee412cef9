"""Shared set-ups of the folder-watch tests: ``watch_library`` run on a thread for the span of
a ``with`` block, and a kernel that refuses inotify watches for some folders (as it does past
``fs.inotify.max_user_watches``), which no public way brings about at will."""

from __future__ import annotations

import errno
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from musicsage.progress import CancelToken
from musicsage.usecases.watch import watch_library

TIMEOUT = 60.0


@contextmanager
def watch_running(ctx, **kw) -> Iterator[None]:
    """``watch_library`` (no embedding, a 0.3 s quiet time, ``kw`` added) on a thread, ready
    before the block runs; cancelled and joined after it, however the block ends."""
    cancel, ready = CancelToken(), threading.Event()
    thread = threading.Thread(target=lambda: watch_library(
        ctx, embed=False, on_ready=lambda w: ready.set(), cancel=cancel, quiet=0.3, **kw),
        daemon=True)
    thread.start()
    try:
        assert ready.wait(TIMEOUT)
        yield
    finally:
        cancel.cancel()
        thread.join(TIMEOUT)


def refuse_watches_of(monkeypatch, marker: bytes, code: int = errno.ENOSPC) -> None:
    """The kernel refuses a watch (ENOSPC, or ``code``) for every folder whose path holds
    ``marker``."""
    from watchdog.observers.inotify_c import InotifyFD

    add = InotifyFD.add_callback

    def refused(self, path, *args, **kw):
        if marker in path:
            raise OSError(code, "inotify limit reached")
        return add(self, path, *args, **kw)

    monkeypatch.setattr(InotifyFD, "add_callback", refused)
