"""The queue's Previous and Next, and what it does when the player fails: a file that cannot
play is skipped, an audio output that failed stops the queue where it is (it skipped through
every track, one warning each, and a radio refilled for ever). No window, no Qt."""

from __future__ import annotations

from musicsage.controllers.queue import RESTART_AFTER_SECONDS
from musicsage.library.db import connect


def _region(make_app, library, n=4):
    """A queue of ``n`` tracks played in order (a map region), the first one playing."""
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    ids = [t.id for t in app.library.snapshot.tracks[:n]]
    app.queue.play_list(ids, "Region")
    return app, runner, ids


def test_previous_and_next_step_through_the_queue(library, make_app, recorder):
    app, runner, ids = _region(make_app, library)
    q = app.queue
    play = recorder(app.selection.play)
    assert not q.has_previous() and q.has_next(), "the first entry: nothing before it"
    q.next()
    assert play.last[0] == ids[1] and q.current == 1 and q.active
    assert q.has_previous() and q.has_next()
    q.previous(0.5)  # early in the track: the entry before
    assert play.last[0] == ids[0] and q.current == 0
    q.play_at(3)
    assert not q.has_next() and q.has_previous(), "the last entry: nothing after it"


def test_previous_late_in_a_track_restarts_it(library, make_app, recorder):
    app, runner, ids = _region(make_app, library)
    q = app.queue
    q.next()
    play, restart = recorder(app.selection.play), recorder(q.restart)
    q.previous(RESTART_AFTER_SECONDS + 0.5)
    assert len(restart) == 1 and len(play) == 0 and q.current == 1, "the same track, again"
    q.previous(RESTART_AFTER_SECONDS - 0.5)
    assert play.last[0] == ids[0] and len(restart) == 1
    # something else plays (a click on the map): Previous is the queue's entry, not a restart
    q.play_at(2)
    app.selection.play_track(ids[3])
    assert not q.active
    q.previous(RESTART_AFTER_SECONDS + 10)
    assert play.last[0] == ids[1] and len(restart) == 1


def test_previous_and_next_pass_over_missing_files(library, make_app, recorder):
    app, runner, ids = _region(make_app, library, n=4)
    q = app.queue
    q.play_at(2)
    connect(library).execute("UPDATE tracks SET status = 'missing' WHERE id IN (?, ?)",
                             (ids[1], ids[3]))
    app.library.reload()
    runner.drain()
    play = recorder(app.selection.play)
    assert not q.has_next(), "only a missing file after it"
    q.previous(0.0)
    assert play.last[0] == ids[0] and q.current == 0
    assert not q.has_previous()


def test_a_file_that_cannot_play_is_skipped(library, make_app, recorder):
    app, runner, ids = _region(make_app, library)
    q = app.queue
    play = recorder(app.selection.play)
    q.track_failed("file", "cannot play a.wav: damaged audio data?")
    assert play.last[0] == ids[1] and q.current == 1 and q.active
    assert not any("Playback stopped" in text for _level, text in app.notifications)


def test_a_failed_audio_output_stops_the_queue_where_it_is(library, make_app, recorder):
    """Every other track would fail the same way: the queue stays, whole, at the track that
    failed, says so once, and a radio asks for no more."""
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    q = app.queue
    q.play_similar(app.library.snapshot.tracks[0].id)
    runner.drain()
    q.track_ended()
    queued, radios = list(q.tracks), runner.ran.count("radio")
    play = recorder(app.selection.play)
    n = len(app.notifications)
    reason = "cannot open the audio output at 44100 Hz: Error querying device -1"
    q.track_failed("device", reason)
    q.track_failed("device", reason)  # a late second report changes nothing
    runner.drain()
    assert len(play) == 0 and q.current == 1 and not q.active and q.tracks == queued
    assert runner.ran.count("radio") == radios
    said = app.notifications[n:]
    assert len(said) == 1 and said[0][0] == "warning"
    text = said[0][1]
    assert text.startswith("Playback stopped: the audio output failed") and reason in text
    assert "\n" not in text and "queue is kept" in text
    q.next()  # the user goes on once sound works: the queue is where it was
    assert play.last[0] == queued[2] and q.active


def test_a_failure_is_said_once_whoever_says_it(library, make_app, recorder):
    """The player's failure reaches the queue (``play_failed``): a bad file is said in the
    player's words and skipped; a failed output that stops the queue is said only in the
    queue's line (both were said); outside the queue the player's words are all there is."""
    app, runner, ids = _region(make_app, library)
    q = app.queue
    n = len(app.notifications)
    q.play_failed("file", "cannot play a.wav: damaged audio data?")
    assert [text for _l, text in app.notifications[n:]] == [
        "cannot play a.wav: damaged audio data?"] and q.current == 1
    n = len(app.notifications)
    q.play_failed("device", "audio output lost (stream stopped)")
    said = [text for _l, text in app.notifications[n:]]
    assert len(said) == 1 and said[0].startswith("Playback stopped") and not q.active
    n = len(app.notifications)
    q.play_failed("device", "audio output lost (stream stopped)")  # the queue is not playing
    assert [text for _l, text in app.notifications[n:]] == ["audio output lost (stream stopped)"]
