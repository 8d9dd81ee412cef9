"""A queued track on a network mount gone stale (the server away: a listing there answers
only after the mount's timeout, minutes) fails to play. The queue looked at the disk, on the
window's thread, for whether its music folder was gone: the window froze for the mount's
timeout. The look is now bounded: the queue stops within a second, saying the folder cannot be
found, and Next's check answers at once while the mount still hangs; once the mount answers
again, the folder is found back."""

from __future__ import annotations

import os
import threading
import time

import pytest


@pytest.fixture
def stale(monkeypatch):
    """``stale(folder)``: listing ``folder`` or looking for a file under it hangs until the
    returned event is set (at the latest as the test ends)."""
    released = threading.Event()
    hung: list[str] = []
    real_scandir, real_lexists = os.scandir, os.path.lexists

    def hangs(path) -> bool:
        text = os.fsdecode(path)
        return any(text == f or text.startswith(f + os.sep) for f in hung)

    def scandir(path="."):
        if hangs(path):
            released.wait(30)
        return real_scandir(path)

    def lexists(path):
        if hangs(path):
            released.wait(30)
        return real_lexists(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os.path, "lexists", lexists)

    def make(folder) -> threading.Event:
        hung.append(str(folder))
        return released

    yield make
    released.set()


def test_a_track_failing_on_a_stale_mount_stops_the_queue_without_freezing(
        library, make_app, recorder, tmp_path, stale):
    from music_support import make_music

    from musicsage.controllers.queue_folders import DISK_WAIT_S, folder_gone
    from musicsage.usecases.library import scan_library

    mount, _, _ = make_music(tmp_path / "mount", n_tracks=2, seconds=1.0)
    scan_library(library, [str(mount)])
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    snap = app.library.snapshot
    on_mount = [t.id for t in snap.tracks if t.path.startswith(str(mount))]
    at_home = [t.id for t in snap.tracks if not t.path.startswith(str(mount))]
    ids = [at_home[0], on_mount[0], on_mount[1], at_home[1]]
    q = app.queue
    play = recorder(app.selection.play)
    q.play_list(ids, "Region")
    q.next()
    released = stale(mount)

    started = time.monotonic()
    q.play_failed("file", f"could not read {snap.by_id[ids[1]].path}")
    took = time.monotonic() - started
    assert took < DISK_WAIT_S + 1.0, f"the window waited {took:.1f} s on the stale mount"
    assert not q.active and q.current == 1 and len(play) == 2
    assert app.notifications[-1] == (
        "warning", f"Music folder {mount} cannot be found (a drive not mounted?): the queue "
        "stopped; it is kept — play from it once the folder is back.")

    started = time.monotonic()
    for _ in range(5):  # the buttons ask on each change: no wait while the look hangs
        assert q.has_next()  # the entry from home, after the mount's
    assert time.monotonic() - started < 0.2

    released.set()  # the mount answers again: the folder is back, its tracks play again
    deadline = time.monotonic() + 10
    while folder_gone(str(mount)) and time.monotonic() < deadline:
        time.sleep(0.05)
    q.play_at(2)
    assert play.last[0] == ids[2]
