"""After "Play next" / "Add to queue", Play plays what was added — with nothing in the player
or over a track that ended (listened, queued a few, pressed Play: the ended track played
again). The queue's current entry is moved like any other unless the queue plays it. "Add to
queue" onto a queue the user left adds at its end and keeps it whole (Play goes on where the
queue was left, the added tracks after its rest); only "Play next" follows a track playing
outside the queue, and not once its entry was removed again. Several tracks go in at once, in
their order. Without adds, Play, a track's end and a left queue behave as before.
Controllers on a real library, no Qt."""

from __future__ import annotations

from test_queue_play_next_and_add import _ids, _loaded


def _played(play, since):
    return [call[0] for call in play.calls[since:]]


def test_a_queue_that_ended_plays_the_added_track_on_play(library, make_app, recorder):
    app, _runner = _loaded(make_app, library)
    a, b, c, s = _ids(app, 4)
    q, play = app.queue, recorder(app.selection.play)
    q.play_list([a, b], "Region")
    q.track_ended()
    q.track_ended()  # b ended: the queue's end
    app.selection.select(s)
    assert not q.starts_after_end(), "nothing added: Play replays the ended track"
    q.add_to_queue(c)
    assert q.tracks == [a, b, c] and q.name == "Region"
    assert q.starts_after_end(), "Play over the ended track plays the queue's next entry"
    n = len(play)
    q.start()
    assert _played(play, n) == [c] and q.active
    assert not q.starts_after_end(), "played: the wait is over"


def test_a_track_that_ended_outside_any_queue_then_adds(library, make_app, recorder):
    app, _runner = _loaded(make_app, library)
    a, b, c = _ids(app, 3)
    q, play = app.queue, recorder(app.selection.play)
    app.selection.play_track(a)  # a double-click; it ends
    q.track_ended()
    q.add_to_queue(b, c)
    assert q.tracks == [b, c] and q.name == "Queue"
    assert q.starts_after_end()
    n = len(play)
    q.start()
    q.track_ended()
    assert _played(play, n) == [b, c]


def test_without_adds_play_and_a_left_queue_are_as_before(library, make_app, recorder):
    app, _runner = _loaded(make_app, library)
    ids = _ids(app, 6)
    q, play = app.queue, recorder(app.selection.play)
    q.play_list(ids[:4], "Region")
    app.selection.play_track(ids[5])  # a click on the map: the queue is left
    n = len(play)
    q.track_ended()  # the map's track ended
    assert _played(play, n) == [] and not q.starts_after_end(), "a left queue never resumes"
    q.play_list(ids[:3], "Region")
    q.remove(0)  # the playing first entry taken out (it plays on)
    app.selection.select(ids[5])
    n = len(play)
    q.start()  # Play with nothing loaded (say its file failed): the selected track, as before
    assert _played(play, n) == [ids[5]]


def test_the_current_entry_is_moved_unless_it_plays(library, make_app, recorder):
    app, _runner = _loaded(make_app, library)
    a, b, c = _ids(app, 3)
    q, play = app.queue, recorder(app.selection.play)
    q.play_list([a, b, c], "Region")
    q.play_next(a)  # playing: left where it is
    assert q.tracks == [a, b, c] and "current track" in app.notifications[-1][1]
    q.track_ended()
    q.track_ended()
    q.track_ended()  # the queue's end: c is its current entry, not playing
    assert not q.active and q.current == 2
    q.play_next(c)
    assert q.tracks == [a, b, c] and "plays next: left where it is" in app.notifications[-1][1]
    q.add_to_queue(a)
    assert q.tracks == [b, c, a]
    assert app.notifications[-1][1].endswith("moved to the end of the queue")
    n = len(play)
    q.start()
    q.track_ended()
    assert _played(play, n) == [c, a]


def test_play_next_of_a_left_queues_current_entry_follows_the_map_track(library, make_app,
                                                                       recorder):
    app, _runner = _loaded(make_app, library)
    ids = _ids(app, 5)
    q, play = app.queue, recorder(app.selection.play)
    q.play_list(ids[:3], "Region")
    app.selection.play_track(ids[4])  # a click on the map
    q.play_next(ids[0])  # the queue's current entry, not playing: moved, not refused
    n = len(play)
    q.track_ended()  # the map's track ended
    assert _played(play, n) == [ids[0]] and q.active


def test_add_to_a_left_queue_keeps_it_whole(library, make_app, recorder):
    """A second review: a new queue in place of a left one threw away what it still held."""
    app, _runner = _loaded(make_app, library)
    ids = _ids(app, 6)
    q, play = app.queue, recorder(app.selection.play)
    q.play_list(ids[:4], "Region")
    app.selection.play_track(ids[5])  # a click on the map: the queue is left
    q.add_to_queue(ids[4])
    assert q.tracks == [*ids[:4], ids[4]] and q.name == "Region"
    assert "at the end of the queue (5 tracks queued)" in app.notifications[-1][1]
    n = len(play)
    q.track_ended()  # the map's track ended: "Add to queue" follows nothing
    assert _played(play, n) == []
    q.start()  # Play: the queue goes on where it was left
    assert _played(play, n) == [ids[1]]


def test_play_next_removed_again_leaves_nothing_to_follow(library, make_app, recorder):
    app, _runner = _loaded(make_app, library)
    ids = _ids(app, 6)
    q, play = app.queue, recorder(app.selection.play)
    q.play_list(ids[:4], "Region")
    app.selection.play_track(ids[5])
    q.play_next(ids[4])
    q.remove(q.tracks.index(ids[4]))
    n = len(play)
    q.track_ended()
    assert _played(play, n) == [] and not q.starts_after_end(), "as if never added"


def test_several_tracks_go_in_in_their_order(library, make_app, recorder):
    app, _runner = _loaded(make_app, library)
    ids = _ids(app, 7)
    q = app.queue
    q.play_list(ids[:2], "Playlist: Mix (2 tracks)")
    q.add_to_queue(ids[2], ids[3], ids[4])
    assert q.tracks == [ids[0], ids[1], ids[2], ids[3], ids[4]]
    assert app.notifications[-1][1] == ("Queued 3 tracks at the end of the queue "
                                        "(5 tracks queued)")
    q.play_next(ids[5], ids[4], ids[6])
    assert q.tracks == [ids[0], ids[5], ids[4], ids[6], ids[1], ids[2], ids[3]]
    assert q.name == "Playlist: Mix (7 tracks)"
    said = app.notifications[-1][1]
    assert said == "Queued 3 tracks to play next (7 tracks queued); 1 was queued already: moved"


def test_what_was_added_before_the_queue_was_left_stays_with_it(library, make_app, recorder):
    app, _runner = _loaded(make_app, library)
    ids = _ids(app, 6)
    q, play = app.queue, recorder(app.selection.play)
    q.play_list(ids[:3], "Region")
    q.add_to_queue(ids[3])  # the queue plays: it goes on to it by itself
    app.selection.play_track(ids[5])  # then a click on the map leaves the queue
    n = len(play)
    q.track_ended()
    assert _played(play, n) == [] and not q.starts_after_end(), "Play replays the map track"


def test_play_right_as_the_queues_track_ends_plays_the_added_one(library, make_app, recorder):
    """The window hears an end up to a poll later: Play pressed before that (the queue still
    marked playing its ended track) played that track again."""
    app, _runner = _loaded(make_app, library)
    a, b, c = _ids(app, 3)
    q, play = app.queue, recorder(app.selection.play)
    q.play_list([a, b], "Region")
    q.track_ended()  # b plays, and ends: not heard yet
    q.play_next(c)
    n = len(play)
    q.start()  # Play over the ended track
    assert _played(play, n) == [c]
