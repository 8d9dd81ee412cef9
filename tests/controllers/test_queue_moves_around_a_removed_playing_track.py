"""The track playing taken out of the queue leaves its place between the entries around it:
Next plays the one that followed it. Moving the entry that preceded it (↑/↓, a drag) took
that place along: moved to the end, Next had nowhere to go (greyed, the queue over), the
tracks that followed the removed one never played. No window, no Qt."""

from __future__ import annotations


def _playing_then_removed(make_app, library, recorder):
    """A region of 6 tracks, its 4th playing, then taken out of the queue."""
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    ids = [t.id for t in app.library.snapshot.tracks[:6]]
    q = app.queue
    q.play_list(ids, "Region")
    q.play_at(3)
    q.remove(3)
    return q, ids, recorder(app.selection.play)


def test_the_entry_before_a_removed_playing_track_moved_away_next_plays_the_one_after(
        library, make_app, recorder):
    q, ids, play = _playing_then_removed(make_app, library, recorder)
    q.move(2, 4)  # the entry before it, to the end
    assert q.tracks == [ids[0], ids[1], ids[4], ids[5], ids[2]]
    assert q.has_next(), "Next greyed: the queue looked over"
    q.next()
    assert play.last[0] == ids[4], "Next played not the track after the removed one"


def test_the_entry_before_a_removed_playing_track_moved_up_next_plays_the_one_after(
        library, make_app, recorder):
    q, ids, play = _playing_then_removed(make_app, library, recorder)
    q.move(2, 0)
    assert q.tracks == [ids[2], ids[0], ids[1], ids[4], ids[5]]
    q.next()
    assert play.last[0] == ids[4]
    q.previous(0.5)
    assert play.last[0] == ids[1], "Previous: the entry now before"


def test_other_moves_keep_the_place_of_a_removed_playing_track(library, make_app, recorder):
    q, ids, play = _playing_then_removed(make_app, library, recorder)
    q.move(0, 4)  # an entry from before it to the end
    assert q.tracks == [ids[1], ids[2], ids[4], ids[5], ids[0]]
    q.next()
    assert play.last[0] == ids[4]
