""""Play next" and "Add to queue" on any track, as a user of a desktop music player expects
them: the track goes right after the queue's current entry, or at its end; without a queue one
named "Queue" is made and nothing starts playing; with a track playing that the queue does not
hold, the queue goes on after it once "Play next" put a track in it. A radio keeps its name
and refills without bringing the track again; a named queue's count follows. A missing file
is refused in Play's words, and a track already queued is moved, never held twice.
Controllers on a real library, no Qt."""

from __future__ import annotations

from musicsage.library.db import connect


def _loaded(make_app, ctx):
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    return app, runner


def _ids(app, n):
    return [t.id for t in app.library.snapshot.tracks[:n]]


def _said(app, since):
    return [text for _level, text in app.notifications[since:]]


def test_without_a_queue_adding_makes_one_and_plays_nothing(library, make_app, recorder):
    app, _runner = _loaded(make_app, library)
    a, b = _ids(app, 2)
    q, play = app.queue, recorder(app.selection.play)
    n = len(app.notifications)
    q.add_to_queue(a)
    q.play_next(b)  # nothing of it played yet: the top
    assert q.tracks == [b, a] and q.name == "Queue" and not q.radio
    assert len(play) == 0, "an add starts nothing"
    said = _said(app, n)
    assert len(said) == 2 and "at the end of the queue" in said[0]
    assert "to play next" in said[1]
    assert q.can_start()
    q.start()  # Play with nothing in the player: the queue from its top
    assert play.last[0] == b
    q.track_ended()
    assert play.last[0] == a


def test_play_next_and_add_in_a_playing_named_queue(library, make_app, recorder):
    app, _runner = _loaded(make_app, library)
    ids = _ids(app, 5)
    q, play = app.queue, recorder(app.selection.play)
    q.play_list(ids[:3], "Playlist: Mix (3 tracks)")
    assert play.last[0] == ids[0]
    q.add_to_queue(ids[4])
    q.play_next(ids[3])
    assert q.tracks == [ids[0], ids[3], ids[1], ids[2], ids[4]]
    assert q.name == "Playlist: Mix (5 tracks)"
    assert q.current == 0 and q.marked == 0
    for expected in (ids[3], ids[1], ids[2], ids[4]):
        q.track_ended()
        assert play.last[0] == expected
    q.remove(0)
    assert q.name == "Playlist: Mix (4 tracks)"


def test_a_radio_keeps_its_name_and_never_brings_the_added_track_again(library, make_app,
                                                                       monkeypatch):
    from musicsage.controllers import queue, queue_refills

    for module in (queue, queue_refills):  # a short radio: the library has tracks left over
        monkeypatch.setattr(module, "BATCH", 3)
    app, runner = _loaded(make_app, library)
    app.selection.can_play = lambda: False
    q = app.queue
    q.play_similar(app.library.snapshot.tracks[0].id)
    runner.drain()
    name, radio = q.name, list(q.tracks)
    outside = next(t.id for t in app.library.snapshot.tracks if t.id not in radio)
    q.play_next(outside)
    assert q.tracks[1] == outside and q.name == name and q.radio
    q.play_at(len(q.tracks) - 2)  # near the end: the radio asks for more
    runner.drain()
    assert runner.ran.count("radio") == 2, "the refill was asked for"
    assert len(q.tracks) > len(radio) + 1, "the refill brought tracks"
    assert q.tracks.count(outside) == 1 and len(q.tracks) == len(set(q.tracks))


def test_a_track_playing_outside_the_queue_is_followed_by_the_added_one(library, make_app,
                                                                        recorder):
    app, _runner = _loaded(make_app, library)
    ids = _ids(app, 4)
    q, play = app.queue, recorder(app.selection.play)
    q.play_list(ids[:2], "Region")
    app.selection.play_track(ids[3])  # a click on the map: the queue stops following
    assert not q.active
    q.play_next(ids[2])
    assert q.tracks == [ids[0], ids[2], ids[1]]
    q.track_ended()  # the map's track ended
    assert play.last[0] == ids[2] and q.active
    q.track_ended()
    assert play.last[0] == ids[1]


def test_a_missing_file_is_refused_in_plays_words(library, make_app, recorder):
    app, runner = _loaded(make_app, library)
    ids = _ids(app, 3)
    connect(library).execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (ids[2],))
    app.library.reload()
    runner.drain()
    q = app.queue
    q.play_list(ids[:2], "Region")
    n = len(app.notifications)
    q.add_to_queue(ids[2])
    q.play_next(ids[2])
    assert q.tracks == ids[:2] and q.name == "Region"
    title = app.library.snapshot.by_id[ids[2]].display_title
    said = _said(app, n)
    assert said == [said[0]] * 2
    assert said[0].startswith(f"Cannot queue '{title}': the file is missing")


def test_a_queued_track_is_moved_never_held_twice(library, make_app, recorder):
    app, _runner = _loaded(make_app, library)
    ids = _ids(app, 4)
    q = app.queue
    q.play_list(ids, "Region")
    q.play_next(ids[3])
    assert q.tracks == [ids[0], ids[3], ids[1], ids[2]]
    q.add_to_queue(ids[3])
    assert q.tracks == [ids[0], ids[1], ids[2], ids[3]] and q.current == 0
    assert "moved" in app.notifications[-1][1]
    n = len(app.notifications)
    q.play_next(ids[0])  # the current entry stays where it is
    assert q.tracks == ids and q.current == 0
    assert len(_said(app, n)) == 1
    q.next()
    q.add_to_queue(ids[0])  # a played entry queued again: moved to the end, plays again
    assert q.tracks == [ids[1], ids[2], ids[3], ids[0]] and q.current == 0
