"""A queued track on a network mount that answers slowly or not at all (the server away: a
listing there answers only after the mount's timeout, minutes) fails to play. The queue looked
at the disk, on the window's thread, for whether its music folder was gone: the window froze
for the mount's timeout. The look is now one, bounded to DISK_WAIT_S, and no answer is not
"gone": the track is skipped and the queue plays on, as for any damaged file — a slow but
working drive stopped the queue with "Music folder … cannot be found (a drive not mounted?)".
The skipped track's line says the drive did not answer: the player's error alone ("the file
is damaged") pointed away from the drive. A drive that stays silent stops the queue, though,
once, at the next failed track of its folder (it played on through every track, one warning
and one hung look each, a radio refilling from there for ever); a slow drive that answered
meanwhile does not.
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

    def make(folder, seconds: float) -> threading.Event:
        delays[str(folder)] = seconds
        return released  # set: the drive answers

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


def _answered(folder, within: float = 5.0) -> bool:
    """Whether the look at ``folder`` ended within ``within`` seconds."""
    from musicsage.controllers.bounded_look import still_looking
    from musicsage.controllers.queue_folders import FOLDER_LOOK

    deadline = time.monotonic() + within
    while still_looking(FOLDER_LOOK, str(folder)) and time.monotonic() < deadline:
        time.sleep(0.02)
    return not still_looking(FOLDER_LOOK, str(folder))


def _looks_hanging() -> int:
    return sum(t.name == "musicsage-disk-look" for t in threading.enumerate())


def test_a_second_failure_in_a_folder_that_stays_silent_stops_the_queue_once(
        library, make_app, recorder, tmp_path, slow):
    from musicsage.controllers.queue_folders import DISK_WAIT_S

    app, mount, ids, play = _queue_across(library, make_app, tmp_path, recorder)
    q, snap, hanging = app.queue, app.library.snapshot, _looks_hanging()
    released = slow(mount, 30.0)  # a hung mount: each track's decode fails in turn

    started = time.monotonic()
    for index in (1, 2):
        q.play_failed("file", f"Cannot play {snap.by_id[ids[index]].path}: timed out")
    took = time.monotonic() - started
    assert took < DISK_WAIT_S + 0.3, f"the window waited {took:.1f} s on the mount"
    assert not q.active and q.current == 2 and play.last[0] == ids[2], "the queue stopped"
    stop = (f"Music folder {mount} does not answer (a network share away?): the queue "
            "stopped; it is kept — play from it once the folder answers again.")
    assert [text for _level, text in app.notifications[-2:]] == [
        f"Cannot play {snap.by_id[ids[1]].path}: timed out; the drive does not answer "
        "(a network share?)", stop]

    started = time.monotonic()
    for _ in range(5):  # the buttons ask on each change: no wait while the look hangs
        assert q.has_next()  # the entry from home
    q.play_at(1)
    assert time.monotonic() - started < 0.2
    assert app.notifications[-1] == ("warning", f"Cannot play '{snap.by_id[ids[1]].display_title}"
                                     f"': music folder {mount} does not answer (a network "
                                     "share away?); play it once it answers.")
    assert play.last[0] == ids[2] and _looks_hanging() - hanging <= 1, "one look per folder"

    released.set()  # the server is back: the folder answers, its tracks play again
    assert _answered(mount)
    q.play_at(1)
    assert play.last[0] == ids[1] and q.active


def test_a_slow_drive_that_answered_meanwhile_skips_another_bad_track_too(
        library, make_app, recorder, tmp_path, slow):
    app, mount, ids, play = _queue_across(library, make_app, tmp_path, recorder)
    q, snap = app.queue, app.library.snapshot
    slow(mount, 0.8)  # answers, late: two damaged files on a slow network drive
    q.play_failed("file", f"Cannot play {snap.by_id[ids[1]].path}: the file is damaged")
    assert _answered(mount)
    q.play_failed("file", f"Cannot play {snap.by_id[ids[2]].path}: the file is damaged")
    assert q.active and q.current == 3 and play.last[0] == ids[3], "the queue went on"
    assert not any("answers again" in text or "cannot be found" in text
                   for _level, text in app.notifications)


def test_a_track_failing_on_a_drive_that_answers_says_only_the_players_error(
        library, make_app, recorder, tmp_path):
    app, _mount, ids, play = _queue_across(library, make_app, tmp_path, recorder)
    path = app.library.snapshot.by_id[ids[1]].path
    app.queue.play_failed("file", f"Cannot play {path}: the file is damaged")
    assert app.queue.current == 2 and play.last[0] == ids[2], "the queue went on"
    assert app.notifications[-1] == ("warning", f"Cannot play {path}: the file is damaged")
