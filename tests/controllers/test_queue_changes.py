"""What the queue tells its views: a new queue once, its labels made only when read. "Play in
order" of a 28,356-track map told its change twice (the window rebuilt every row twice) and
made every row's label on each change, each next track included. No window, no Qt."""

from __future__ import annotations


def _app(make_app, library):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    return app, [t.id for t in app.library.snapshot.tracks]


def test_play_in_order_tells_the_new_queue_once_with_its_first_track_playing(
        library, make_app, recorder):
    app, ids = _app(make_app, library)
    q = app.queue
    seen = []
    q.changed.connect(lambda: seen.append((list(q.tracks), q.current, q.name)))
    play = recorder(app.selection.play)
    q.play_list(ids[:5], "Region")
    assert seen == [(ids[:5], 0, "Region")], "one change, the first track already current"
    assert play.last[0] == ids[0]
    q.next()
    assert seen[-1][1] == 1 and len(seen) == 2, "each next track: one change"


def test_an_empty_play_in_order_still_tells_the_queue_emptied(library, make_app):
    app, ids = _app(make_app, library)
    q = app.queue
    q.play_list(ids[:3], "Region")
    seen = []
    q.changed.connect(lambda: seen.append(list(q.tracks)))
    q.play_list([], "Nothing")
    assert seen == [[]]


def test_the_queues_labels_are_made_when_read(library, make_app, monkeypatch):
    app, ids = _app(make_app, library)
    q = app.queue
    q.play_list(ids, "Region")
    asked = []
    label = app.selection.label
    monkeypatch.setattr(app.selection, "label", lambda t: asked.append(t) or label(t))
    labels = q.labels()
    assert asked == [] and len(labels) == len(ids)
    assert labels.track_ids == tuple(ids)
    assert labels[2] == app.library.snapshot.label(ids[2]) and asked == [ids[2]]
    assert list(labels) == [app.library.snapshot.label(t) for t in ids]
    q.move(0, 3)
    assert labels.track_ids == tuple(ids), "the labels of the queue as it was when asked"
