"""What Previous, Next and Space say, pressed while greyed, is the queue's to decide (the
window's key filter only asks it): no sound card, nothing queued, nothing before or after
the queue's current track, a queue that lists tracks but plays none."""

from __future__ import annotations

from musicsage.controllers.queue_plans import step_refused


def _read_app(make_app, library):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    return app


def test_without_a_sound_card_the_keys_say_nothing_can_play(library, make_app):
    app = _read_app(make_app, library)
    app.selection.can_play = lambda: False
    app.selection.cannot_play_reason = lambda: "no audio output device found"
    app.queue.play_list([t.id for t in app.library.snapshot.tracks[:3]], "Region")
    before = len(app.notifications)
    step_refused(app.queue, True)
    said = app.notifications[before:]
    assert len(said) == 1 and said[0][0] == "warning"
    assert "no audio output device found" in said[0][1].lower()


def test_an_empty_queue_says_how_to_start_one(library, make_app):
    app = _read_app(make_app, library)
    step_refused(app.queue, False)
    assert app.notifications[-1][1].startswith("Nothing is queued: start a queue with")


def test_with_another_track_playing_the_line_names_the_queues_current_track(library,
                                                                            make_app):
    """A track double-clicked on the map plays; the queue is kept, inactive. "this track"
    named the one playing, which the queue does not hold."""
    app = _read_app(make_app, library)
    tracks = app.library.snapshot.tracks
    q = app.queue
    q.play_list([tracks[0].id, tracks[1].id], "Region")
    step_refused(q, False)
    assert app.notifications[-1][1] == "Previous: nothing before this track in the queue can play"
    app.selection.play_track(tracks[5].id)  # not in the queue
    assert not q.active and q.tracks
    step_refused(q, False)
    assert app.notifications[-1][1] == "Previous: nothing before the queue's current track can play"
    q.play_at(1)
    app.selection.play_track(tracks[5].id)
    step_refused(q, True)
    assert app.notifications[-1][1] == "Next: nothing after the queue's current track can play"


def test_space_after_the_queue_ended_names_its_tracks_too(library, make_app):
    """The queue stopped at its end, nothing selected: Space's line sent the user to Play
    similar, though a double-click on a queued track plays it."""
    app = _read_app(make_app, library)
    q = app.queue
    q.start()
    assert app.notifications[-1][1] == ("Nothing to play: select a track on the map or in a "
                                        "list (Space then plays it), or start a queue with "
                                        "Play similar")
    q.play_list([t.id for t in app.library.snapshot.tracks[:2]], "Region")
    q.track_ended()
    q.track_ended()  # the last one ended: nothing of the queue plays
    assert not q.active and q.tracks and app.selection.selected is None
    q.start()
    assert app.notifications[-1][1] == (
        "Nothing to play: select a track on the map or in a list (Space then plays it), "
        "double-click a queued track, or start a queue with Play similar")
