"""The Queue tab's "Play next" moves its entry as a drag to right after the current entry
does — and then plays it next, as the track lists' "Play next" on the same queued track does:
a plain move left it unplayed when the queue had played to its end (Play played the ended
track again) or had been left for another track (when that track ended nothing played), while
the status line said "Moved 'X' to play next"."""

from __future__ import annotations

from test_queue_play_next_and_add import _ids, _loaded


def test_after_the_queue_s_end_play_plays_the_moved_entry(library, make_app, recorder):
    app, _ = _loaded(make_app, library)
    ids, q = _ids(app, 6), app.queue
    played = recorder(app.selection.play)
    q.play_list(ids[:4], "Region")
    for _ in range(4):
        q.track_ended()  # each entry played and ended: the queue's end
    q.move_next(1)
    assert q.tracks == [ids[0], ids[2], ids[3], ids[1]]
    assert q.starts_after_end(), "Play would play the ended track again"
    n = len(played)
    q.start()
    assert [call[0] for call in played.calls[n:]] == [ids[1]]


def test_in_a_left_queue_the_moved_entry_plays_when_the_other_track_ends(
        library, make_app, recorder):
    app, _ = _loaded(make_app, library)
    ids, q = _ids(app, 6), app.queue
    played = recorder(app.selection.play)
    q.play_list(ids[:4], "Region")
    app.selection.play_track(ids[5])  # a double-click elsewhere: the queue is left
    q.move_next(2)
    assert q.tracks == [ids[0], ids[2], ids[1], ids[3]]
    n = len(played)
    q.track_ended()  # the other track ended
    assert [call[0] for call in played.calls[n:]] == [ids[2]] and q.active


def test_a_radio_waiting_for_its_refill_plays_the_moved_entry_to_its_end(
        library, make_app, recorder, monkeypatch):
    """A radio played to its end, its refill asked and not come: Play next on the Queue tab,
    Play — the moved entry plays; the refill that comes then must not cut it off by playing
    the entry after it (the track lists' Play next did so too: a start never ended the wait)."""
    from musicsage.controllers import queue, queue_refills

    for module in (queue, queue_refills):
        monkeypatch.setattr(module, "BATCH", 3)
    app, runner = _loaded(make_app, library)
    q = app.queue
    played = recorder(app.selection.play)
    q.play_similar(app.library.snapshot.tracks[0].id)
    runner.drain()
    for _ in range(len(q.tracks)):
        q.track_ended()  # to its end: the refill asked, not come yet
    moved = q.tracks[1]
    q.move_next(1)
    n = len(played)
    assert q.starts_after_end()
    q.start()
    runner.drain()  # the refill comes
    assert [call[0] for call in played.calls[n:]] == [moved]
