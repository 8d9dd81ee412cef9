"""A later "Play next" while the queue's current entry waits to play next (asked to, the queue
not playing it): the entry keeps its row and its ▶, Previous goes to the row before it, and a
removed playing row keeps no ▶. A change that put the later track before the entry moved the
▶ back a row (Previous skipped a track, was greyed with the entry on row 1, no ▶ at all with
it on row 0), and with a removed row still playing it put a ▶ on row 0: that row's Play next
was refused as "the queue's current track", and after a restart row 0, heard already, played
first. Controllers on a real library, no Qt; a restart is ``app.close()`` and a new one."""

from __future__ import annotations

import pytest

from test_queue_play_next_and_add import _ids, _loaded


def _played(play) -> list[int]:
    return [call[0] for call in play.calls]


def _left(make_app, library, at: int):
    """A region of 4 tracks played to row ``at``, then a track outside it (a map click)."""
    app, _ = _loaded(make_app, library)
    ids, q = _ids(app, 8), app.queue
    q.play_list(ids[:4], "Region")
    for _ in range(at):
        q.next()
    app.selection.play_track(ids[7])
    assert not q.active and q.marked == at
    return app, q, ids


@pytest.mark.parametrize("at", [0, 1, 2])
@pytest.mark.parametrize("how", ["track list", "queue tab"])
def test_the_entry_keeps_its_row_and_previous_the_one_before(library, make_app, recorder,
                                                             at, how):
    app, q, ids = _left(make_app, library, at)
    q.play_next(ids[at])
    if how == "track list":
        q.play_next(ids[5])
    else:
        q.move_next(3)
    assert q.tracks[at] == ids[at] and q.marked == at, "the ▶ stays on the entry"
    assert q.has_previous() == (at > 0)
    play = recorder(app.selection.play)
    q.previous(0.0)
    assert _played(play) == ([ids[at - 1]] if at else [])


def test_the_entry_plays_then_the_later_one(library, make_app, recorder):
    app, q, ids = _left(make_app, library, 1)
    play = recorder(app.selection.play)
    q.play_next(ids[1])
    q.play_next(ids[5])
    q.track_ended()  # the map's track ended
    q.track_ended()
    assert _played(play) == [ids[1], ids[5]]


def _removed_playing_then_play_next_twice(make_app, library):
    """A region of 6 tracks playing row 2; row 2 removed (it plays on); the Queue tab's Play
    next on row 1, the row above the gap; then a track list's Play next on another track."""
    app, _ = _loaded(make_app, library)
    ids, q = _ids(app, 8), app.queue
    q.play_list(ids[:6], "Region")
    q.next()
    q.next()
    q.remove(2)
    q.move_next(1)
    q.play_next(ids[7])
    return app, q, ids


def test_a_removed_playing_row_keeps_no_mark(library, make_app):
    app, q, ids = _removed_playing_then_play_next_twice(make_app, library)
    assert q.active and q.marked == -1, "the removed track plays: no row is marked"
    assert not q.restarts_track, "Previous steps back, not into the removed track"
    q.play_next(ids[0])
    assert "is the queue's current track" not in app.notifications[-1][1]


def test_after_a_restart_row_0_heard_already_does_not_play(library, make_app, recorder):
    app, _q, ids = _removed_playing_then_play_next_twice(make_app, library)
    app.close()
    app, _ = _loaded(make_app, library)
    play = recorder(app.selection.play)
    app.queue.start()
    app.queue.track_ended()
    app.queue.track_ended()
    assert _played(play) == [ids[1], ids[7], ids[3]]
