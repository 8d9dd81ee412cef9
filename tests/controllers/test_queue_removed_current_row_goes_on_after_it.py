"""The ▶ row taken out of a queue that waits for Play (restored at start, on its entry): Play
goes on with the row that followed it, as it does after a restart (the kept queue says so).
It took the row above for the current entry: Play replayed it, a track heard already, and the
queue went on from there. Controllers on a real library, no Qt."""

from __future__ import annotations

from test_queue_play_next_and_add import _ids, _loaded

from musicsage.usecases.queue_file import SavedQueue


def _restored(make_app, library, current: int):
    app, _ = _loaded(make_app, library)
    ids, q = _ids(app, 5), app.queue
    snap = app.library.snapshot
    q.restore(SavedQueue(tuple(ids), current, "Region", "named",
                         paths={t: snap.by_id[t].path for t in ids}), snap)
    return app, q, ids


def test_play_goes_on_with_the_row_after_the_removed_one(library, make_app, recorder):
    app, q, ids = _restored(make_app, library, 2)
    play = recorder(app.selection.play)
    q.remove(2)
    assert q.marked == -1 and q.can_start()
    q.start()  # Play with nothing in the player
    assert [call[0] for call in play.calls] == [ids[3]], "the row above it played again"
    q.track_ended()
    assert play.last[0] == ids[4]


def test_the_first_row_removed_plays_the_new_first(library, make_app, recorder):
    app, q, ids = _restored(make_app, library, 0)
    play = recorder(app.selection.play)
    q.remove(0)
    q.start()
    assert [call[0] for call in play.calls] == [ids[1]]


def test_the_last_row_removed_leaves_nothing_of_the_queue_to_play(library, make_app, recorder):
    """The restored queue still waits for Play (the selection plays nothing): its last row,
    the ▶ one, taken out, Play played the row above it again."""
    app, q, ids = _restored(make_app, library, 4)
    app.selection.select(ids[0], play=False)
    play = recorder(app.selection.play)
    q.remove(4)
    q.start()  # nothing after it: the selected track, as for a left queue
    assert [call[0] for call in play.calls] == [ids[0]], "the row above it played again"


def test_next_and_previous_around_the_removed_row(library, make_app, recorder):
    """Guards: Next plays the row that followed, Previous the one before (as on HEAD)."""
    app, q, ids = _restored(make_app, library, 2)
    play = recorder(app.selection.play)
    q.remove(2)
    q.next()
    assert play.last[0] == ids[3]
    app2, q2, ids2 = _restored(make_app, library, 2)
    play2 = recorder(app2.selection.play)
    q2.remove(2)
    q2.previous(0.0)
    assert play2.last[0] == ids2[1]
