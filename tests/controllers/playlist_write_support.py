"""What the tests of the window's playlist writes ("Add to playlist", "Remove from playlist")
share: the suggestions of the library's first playlist loaded as the window loads them, and
a scan of the library running (holding the write's lock) while the write waits for it."""

from __future__ import annotations

import threading
from contextlib import ExitStack

import pytest

import musicsage.library.lock as lock
from musicsage.library.db import connect
from musicsage.library.lock import scan_lock

SCAN_ENDS_AFTER = 0.5
"""Seconds after the write said it waits until the other "scan" lets the lock go: without the
cancel heard, the write then goes on."""


def loaded_suggestions(app, runner):
    """The library read, its first playlist chosen, and the ids its suggestions list."""
    app.library.reload()
    runner.drain()
    playlist = app.library.snapshot.playlists[0]
    app.suggestions.show(playlist.id)
    runner.drain()
    result = app.suggestions.result
    return playlist, [row["track_id"] for row in (result.audio or result.graph)]


@pytest.fixture
def scan_running(library, monkeypatch):
    """The library's scan lock held as a running scan holds it (another descriptor: the write
    waits for it), let go ``SCAN_ENDS_AFTER`` seconds after the write says it waits; the
    ``on_wait`` list's callables run when it says so (the user pressing Cancel then)."""
    held, on_wait, timers = ExitStack(), [], []
    held.enter_context(scan_lock(connect(library)))
    real = lock.report

    def told(*args, **kwargs):
        real(*args, **kwargs)
        timers.append(threading.Timer(SCAN_ENDS_AFTER, held.close))
        timers[-1].start()
        for fn in on_wait:
            fn()

    monkeypatch.setattr(lock, "report", told)
    yield on_wait
    for timer in timers:
        timer.join()
    held.close()
