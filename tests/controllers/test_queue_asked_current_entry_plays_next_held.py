""""Play next" on the entry the queue is at, not playing it (the flag that it plays next):
what came after it broke that promise. A restored queue whose ▶ row was removed played the
row after the removed one on Play (Next and the kept file said the asked row); "Add to queue"
on that entry afterwards moved it to the end, and the entry before it — heard already —
played next; a radio waiting at its end for a refill played the refill's first track, and
the asked entry never. The track lists' line said it was "moved to play next", and it stays.
Controllers on a real library, no Qt."""

from __future__ import annotations

from test_queue_play_next_and_add import _ids, _loaded

from musicsage.usecases.queue_file import SavedQueue


def _played(play, since: int = 0) -> list[int]:
    return [call[0] for call in play.calls[since:]]


def _restored(make_app, library, current: int):
    app, _ = _loaded(make_app, library)
    ids, q = _ids(app, 5), app.queue
    snap = app.library.snapshot
    q.restore(SavedQueue(tuple(ids), current, "Region", "named",
                         paths={t: snap.by_id[t].path for t in ids}), snap)
    return app, q, ids


def test_a_restored_queue_plays_the_row_asked_after_its_marked_row_was_removed(
        library, make_app, recorder):
    app, q, ids = _restored(make_app, library, 2)
    play = recorder(app.selection.play)
    q.remove(2)  # Delete on the ▶ row
    q.move_next(1)  # the Queue tab's Play next on the row above it
    assert app.notifications[-1][1].endswith("plays next: left where it is")
    kept = q.kept()
    assert q.tracks[kept.current] == ids[1] and not kept.left, "after a restart: this row"
    q.start()  # Play
    assert _played(play) == [ids[1]], "Play played the row after the removed one"
    q.track_ended()
    assert _played(play) == [ids[1], ids[3]]


def test_add_to_queue_on_the_entry_asked_to_play_next_plays_no_row_heard(
        library, make_app, recorder):
    app, _ = _loaded(make_app, library)
    ids, q = _ids(app, 6), app.queue
    q.play_list(ids[:4], "Region")
    q.next()  # the 2nd plays
    app.selection.play_track(ids[5])  # a click on the map: the queue is left at its 2nd
    q.move_next(1)  # the Queue tab's Play next on the ▶ row
    q.add_to_queue(ids[1])  # then Add to queue on that track: to the end
    assert q.tracks == [ids[0], ids[2], ids[3], ids[1]]
    play = recorder(app.selection.play)
    q.track_ended()  # the map's track ends
    assert ids[0] not in _played(play), "the 1st, heard already, played again"
    assert _played(play) == [ids[2]]
    q.track_ended()
    q.track_ended()
    assert _played(play) == [ids[2], ids[3], ids[1]]


def test_a_radio_waiting_for_its_refill_plays_the_entry_asked(library, make_app, recorder,
                                                               monkeypatch):
    from musicsage.controllers import queue, queue_refills
    for module in (queue, queue_refills):
        monkeypatch.setattr(module, "BATCH", 3)
    app, runner = _loaded(make_app, library)
    q, play = app.queue, recorder(app.selection.play)
    q.play_similar(app.library.snapshot.tracks[0].id)
    runner.drain()
    for _ in range(len(q.tracks)):
        q.track_ended()  # played to its end before its refill came
    assert q.finding_more and not q.active
    last = q.tracks[q.current]
    q.move_next(q.current)  # the Queue tab's Play next on the ▶ (last) entry
    n = len(play)
    runner.drain()  # the refill comes before Play
    assert _played(play, n) == [last], "the refill's first track played instead"
    assert len(q.tracks) > q.current + 1, "the refill's tracks follow it"


def test_the_track_lists_say_the_current_entry_plays_next_where_it_is(library, make_app,
                                                                      recorder):
    app, _ = _loaded(make_app, library)
    ids, q = _ids(app, 6), app.queue
    q.play_list(ids[:4], "Region")
    q.next()
    app.selection.play_track(ids[5])  # left at its 2nd
    title = app.library.snapshot.by_id[ids[1]].display_title
    q.play_next(ids[1])  # a track list's Play next on it
    assert q.tracks == ids[:4] and q.marked == 1
    assert app.notifications[-1][1] == f"'{title}' plays next: left where it is"


def test_add_to_queue_on_a_restored_queue_s_entry_plays_no_row_heard(library, make_app,
                                                                      recorder):
    """A restored queue (every restart gives one): Add to queue on its ▶ entry, with or
    without Play next first, moved it to the end, and Play replayed the entry before it."""
    from musicsage.usecases.queue_file import decode, encode

    for asked_first in (True, False):
        app, q, ids = _restored(make_app, library, 1)  # ▶ on the second entry
        play = recorder(app.selection.play)
        if asked_first:
            q.play_next(ids[1])
        q.add_to_queue(ids[1])
        assert q.tracks[-1] == ids[1]
        kept = decode(encode(q.kept()))
        q.start()
        assert _played(play) == [ids[2]], "the entry after the moved one, not one heard"
        again, q2, _ = _restored(make_app, library, 1)  # a restart with the kept file
        play_again = recorder(again.selection.play)
        q2.restore(kept, again.library.snapshot)
        q2.start()
        assert _played(play_again) == [ids[2]], "a restart goes on so too"
