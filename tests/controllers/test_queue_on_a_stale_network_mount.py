"""A queued track on a network mount that answers slowly or not at all (the server away: a
listing there answers only after the mount's timeout, minutes) fails to play. The queue looked
at the disk, on the window's thread, for whether its music folder was gone: the window froze
for the mount's timeout. The look is now one, bounded to DISK_WAIT_S, and no answer is not
"gone": the track is skipped and the queue plays on, as for any damaged file — a slow but
working drive stopped the queue with "Music folder … cannot be found (a drive not mounted?)".
The skipped track's line says the drive did not answer: the player's error alone ("the file
is damaged") pointed away from the drive.
"""

from __future__ import annotations

import os
import threading
import time

import pytest


@pytest.fixture
def slow(monkeypatch):
    """``slow(folder, seconds)``: listing ``folder``, or looking for a file under it, answers
    after ``seconds`` (a hung mount: at the latest once the test ends)."""
    released = threading.Event()
    delays: dict[str, float] = {}
    real_scandir, real_lexists = os.scandir, os.path.lexists

    def wait(path) -> None:
        text = os.fsdecode(path)
        for folder, seconds in delays.items():
            if text == folder or text.startswith(folder + os.sep):
                released.wait(seconds)

    def scandir(path="."):
        wait(path)
        return real_scandir(path)

    def lexists(path):
        wait(path)
        return real_lexists(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os.path, "lexists", lexists)

    def make(folder, seconds: float) -> None:
        delays[str(folder)] = seconds

    yield make
    released.set()


def _queue_across(library, make_app, tmp_path, recorder):
    """A queue of four: home, mount, mount, home; the first plays."""
    from music_support import make_music

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
    play = recorder(app.selection.play)
    app.queue.play_list(ids, "Region")
    app.queue.next()
    return app, mount, ids, play


@pytest.mark.parametrize("seconds", [0.8, 30.0], ids=["slow drive", "hung mount"])
def test_a_track_failing_on_a_drive_that_does_not_answer_is_skipped_without_freezing(
        library, make_app, recorder, tmp_path, slow, seconds):
    from musicsage.controllers.queue_folders import DISK_WAIT_S

    app, mount, ids, play = _queue_across(library, make_app, tmp_path, recorder)
    q = app.queue
    path = app.library.snapshot.by_id[ids[1]].path
    slow(mount, seconds)  # both the file's check and its folder's listing

    started = time.monotonic()
    q.play_failed("file", f"Cannot play {path}: the file is damaged")
    took = time.monotonic() - started
    assert took < DISK_WAIT_S + 0.3, f"the window waited {took:.1f} s on the drive"
    assert q.active and q.current == 2 and play.last[0] == ids[2], "the queue went on"
    assert app.notifications[-1] == ("warning", f"Cannot play {path}: the file is damaged; "
                                     "the drive does not answer (a network share?)")
    assert not any("cannot be found" in text for _level, text in app.notifications)

    started = time.monotonic()
    for _ in range(5):  # the buttons ask on each change: no wait while a look hangs
        assert q.has_next()
    assert time.monotonic() - started < 0.2


def test_a_track_failing_on_a_drive_that_answers_says_only_the_players_error(
        library, make_app, recorder, tmp_path):
    app, _mount, ids, play = _queue_across(library, make_app, tmp_path, recorder)
    path = app.library.snapshot.by_id[ids[1]].path
    app.queue.play_failed("file", f"Cannot play {path}: the file is damaged")
    assert app.queue.current == 2 and play.last[0] == ids[2], "the queue went on"
    assert app.notifications[-1] == ("warning", f"Cannot play {path}: the file is damaged")
