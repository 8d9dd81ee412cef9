"""A radio whose track ended before its refill came back waits for it; a track the user
chose meanwhile (a double-click on the map) ends that wait. The late refill replaced what the
user chose with the radio's next track. (A radio's first tracks come before its seed plays:
the refill waited for is a later one, so its first batch is kept short here.)"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _short_batches(monkeypatch):
    monkeypatch.setattr("musicsage.controllers.queue.BATCH", 4)


def _near_the_end(q, runner) -> None:
    """The radio started, and its queue played to the last track: a refill is asked for."""
    runner.drain()
    q.play_at(len(q.tracks) - 1)


def test_a_late_refill_leaves_the_track_the_user_chose_playing(library, make_app, recorder):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    ids = [t.id for t in app.library.snapshot.tracks]
    play, q = recorder(app.selection.play), app.queue
    q.play_similar(ids[0])
    _near_the_end(q, runner)  # the last track plays; the refill is still running (not drained)
    last = q.tracks[-1]
    q.track_ended()  # it ends before the refill is back: the radio waits
    assert not q.active and play.last[0] == last
    app.selection.play_track(ids[5])  # the user chooses another track
    runner.drain()  # the refill arrives
    assert play.last[0] == ids[5] and not q.active, "the radio replaced the user's track"
    assert len(q.tracks) > 5, "the refill is queued, for a later Play from the queue"


def test_a_refill_after_the_radio_waited_undisturbed_plays_on(library, make_app, recorder):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    ids = [t.id for t in app.library.snapshot.tracks]
    play, q = recorder(app.selection.play), app.queue
    q.play_similar(ids[0])
    _near_the_end(q, runner)
    q.track_ended()
    runner.drain()
    assert q.active and q.current == 5 and play.last[0] == q.tracks[5]
