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
