"""What was left of "Play next" on the queue's current entry while the queue does not play it
(the entry stays, ▶, and plays next): the line for several tracks that include that entry
says it stays and plays next (it said "1 was queued already: moved"). And a left queue whose
▶ row was removed: Next and Previous around the removed row, before and after a restart.
Controllers on a real library, no Qt; a restart is ``app.close()`` and a new controller."""

from __future__ import annotations

import pytest

from test_queue_play_next_and_add import _ids, _loaded


def _played(play, since=0):
    return [call[0] for call in play.calls[since:]]


def _left(make_app, library):
    """A region of 4 tracks, its 2nd played, then a track outside it (a click on the map)."""
    app, _ = _loaded(make_app, library)
    ids, q = _ids(app, 6), app.queue
    q.play_list(ids[:4], "Region")
    q.next()
    app.selection.play_track(ids[5])
    assert not q.active and q.marked == 1
    return app, q, ids


def _title(app, track: int) -> str:
    return app.library.snapshot.by_id[track].display_title


def test_add_to_queue_afterwards_still_leaves_the_entry_first(library, make_app, recorder):
    """Guard: "Add to queue" goes to the end; the entry asked to play next still plays next."""
    app, q, ids = _left(make_app, library)
    play = recorder(app.selection.play)
    q.play_next(ids[1])
    q.add_to_queue(ids[4])
    assert q.marked == 1
    q.track_ended()
    assert _played(play) == [ids[1]]


def test_the_line_for_several_with_the_entry_says_it_stays(library, make_app):
    app, q, ids = _left(make_app, library)
    q.play_next(ids[4], ids[1])
    assert q.tracks == [ids[0], ids[1], ids[4], ids[2], ids[3]] and q.marked == 1
    assert app.notifications[-1][1] == (f"'{_title(app, ids[1])}' plays next: left where it "
                                        "is; 1 track after it (5 tracks queued)")
    q.play_next(ids[5], ids[1], ids[3])  # ids[5] was playing outside the queue; ids[3] moves
    assert app.notifications[-1][1] == (f"'{_title(app, ids[1])}' plays next: left where it "
                                        "is; 2 tracks after it (6 tracks queued); 1 was "
                                        "queued already: moved")


def _removed_while_left(make_app, library):
    """A region of 5 tracks, its 3rd played, a track outside it played, the ▶ row removed."""
    app, _ = _loaded(make_app, library)
    ids, q = _ids(app, 6), app.queue
    q.play_list(ids[:5], "Region")
    q.next()
    q.next()
    app.selection.play_track(ids[5])
    q.remove(2)
    assert q.marked == -1 and not q.active
    return app, ids


@pytest.mark.parametrize("restart", [False, True])
def test_previous_after_a_removed_row_of_a_left_queue(library, make_app, recorder, restart):
    app, ids = _removed_while_left(make_app, library)
    if restart:
        app.close()
        app, _ = _loaded(make_app, library)
    play = recorder(app.selection.play)
    assert app.queue.marked == -1, "no ▶: the row it was at is gone"
    app.queue.previous(0.0)
    assert _played(play) == [ids[1]], "the row above it (one further back after a restart)"


@pytest.mark.parametrize("restart", [False, True])
def test_next_after_a_removed_row_of_a_left_queue(library, make_app, recorder, restart):
    app, ids = _removed_while_left(make_app, library)
    if restart:
        app.close()
        app, _ = _loaded(make_app, library)
    play = recorder(app.selection.play)
    app.queue.next()
    assert _played(play) == [ids[3]], "the row that followed the removed one"


def test_play_after_a_restart_plays_the_selected_track(library, make_app, recorder):
    """Guard: a left queue's Play plays the selected track, its ▶ row removed or not."""
    app, ids = _removed_while_left(make_app, library)
    app.close()
    app, _ = _loaded(make_app, library)
    app.selection.select(ids[5], play=False)
    play = recorder(app.selection.play)
    app.queue.start()
    assert _played(play) == [ids[5]]
