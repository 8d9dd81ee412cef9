"""Previous onto an entry whose file cannot play (damaged, or deleted since the scan): the
queue skipped forward from it, back to the track Previous was pressed on, so the entries
before the damaged one could never be reached with Previous. It now goes on backwards."""

from __future__ import annotations


def _region(make_app, library, n=4):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    ids = [t.id for t in app.library.snapshot.tracks[:n]]
    app.queue.play_list(ids, "Region")
    return app, ids


def test_previous_onto_a_damaged_file_goes_on_to_the_entry_before_it(library, make_app,
                                                                     recorder):
    app, ids = _region(make_app, library)
    q = app.queue
    q.play_at(2)
    play = recorder(app.selection.play)
    q.previous(0.0)
    assert play.last[0] == ids[1]
    q.track_failed("file", "cannot play b.wav: damaged audio data?")
    assert play.last[0] == ids[0] and q.current == 0 and q.active, "back, not forward"
    assert not q.has_previous()


def test_next_after_a_previous_skips_forward_again(library, make_app, recorder):
    app, ids = _region(make_app, library)
    q = app.queue
    q.play_at(1)
    q.previous(0.0)  # to the first entry, which plays
    q.next()  # onwards: a failure now skips forward, as ever
    play = recorder(app.selection.play)
    q.track_failed("file", "cannot play b.wav: damaged audio data?")
    assert play.last[0] == ids[2] and q.current == 2


def test_previous_onto_a_damaged_first_entry_plays_the_one_pressed_on_again(library, make_app,
                                                                            recorder):
    """Nothing before the damaged first entry: the track Previous was pressed on plays on."""
    app, ids = _region(make_app, library)
    q = app.queue
    q.play_at(1)
    q.previous(0.0)
    play = recorder(app.selection.play)
    q.track_failed("file", "cannot play a.wav: damaged audio data?")
    assert play.last[0] == ids[1] and q.current == 1 and q.active


def test_a_track_that_played_after_previous_and_failed_mid_track_goes_forward(library, make_app,
                                                                              recorder):
    """Queue A,B,C,D on D, Previous: C plays; damage at 2:31 stops it with the same "file"
    error as a file that will not open. It had played: the queue goes on to D, as after any
    failure, not back to B."""
    app, ids = _region(make_app, library)
    q = app.queue
    q.play_at(3)
    q.previous(0.0)
    assert q.current == 2
    q.track_started()  # the player played it (the window: its state "playing")
    play = recorder(app.selection.play)
    q.track_failed("file", "cannot play c.flac past 2:31: damaged audio data")
    assert play.last[0] == ids[3] and q.current == 3 and q.active, "forward, not back"
