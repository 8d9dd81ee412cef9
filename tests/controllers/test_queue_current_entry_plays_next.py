""""Play next" on the queue's current entry while the queue does not play it (left for a
track played elsewhere, played to its end, restored at start): the entry stays where it is,
still marked ▶, and plays next — when the other track ends, on Play, on Next — whether the
Queue tab's row menu or a track list asked. The Queue tab said "left where it is" and played
it never; the track lists' Play next put the ▶ on the entry before it (a restored queue's
Play then played that entry, heard already). Controllers on a real library, no Qt."""

from __future__ import annotations

import pytest

from test_queue_play_next_and_add import _ids, _loaded

from musicsage.usecases.queue_file import SavedQueue


def _played(play, since):
    return [call[0] for call in play.calls[since:]]


def _left(make_app, library, recorder):
    """A region of 4 tracks, its 2nd played, then a track outside it (a click on the map)."""
    app, _ = _loaded(make_app, library)
    ids, q = _ids(app, 6), app.queue
    q.play_list(ids[:4], "Region")
    q.next()
    app.selection.play_track(ids[5])
    assert not q.active and q.marked == 1
    return app, q, ids, recorder(app.selection.play)


def _ask(app, q, how: str, index: int) -> None:
    if how == "queue tab":
        q.move_next(index)
    else:
        q.play_next(q.tracks[index])


@pytest.mark.parametrize("how", ["queue tab", "track list"])
def test_in_a_left_queue_it_plays_when_the_other_track_ends(library, make_app, recorder, how):
    app, q, ids, play = _left(make_app, library, recorder)
    _ask(app, q, how, 1)
    assert q.tracks == ids[:4] and q.marked == 1, "the ▶ stays on its entry"
    assert "plays next" in app.notifications[-1][1] or "to play next" in app.notifications[-1][1]
    q.track_ended()  # the map's track ended
    assert _played(play, 0) == [ids[1]] and q.active
    q.track_ended()
    assert _played(play, 0) == [ids[1], ids[2]], "then the queue goes on after it"


@pytest.mark.parametrize("how", ["queue tab", "track list"])
def test_in_a_left_queue_play_and_next_play_it(library, make_app, recorder, how):
    app, q, ids, play = _left(make_app, library, recorder)
    _ask(app, q, how, 1)
    assert q.has_next() and q.can_start() and q.starts_after_end()
    q.next()
    assert _played(play, 0) == [ids[1]] and q.marked == 1
    app.selection.play_track(ids[5])  # left again
    _ask(app, q, how, 1)
    q.start()  # Play with nothing in the player
    assert _played(play, 1) == [ids[5], ids[1]]


def test_the_queue_tab_says_it_plays_next(library, make_app, recorder):
    app, q, ids, _play = _left(make_app, library, recorder)
    title = app.library.snapshot.by_id[ids[1]].display_title
    q.move_next(1)
    assert app.notifications[-1][1] == f"'{title}' plays next: left where it is"
    q.move_next(1)
    assert app.notifications[-1][1] == f"'{title}' plays next already: nothing moved"


def test_a_queue_played_to_its_end_plays_its_last_entry_again(library, make_app, recorder):
    app, _ = _loaded(make_app, library)
    ids, q = _ids(app, 3), app.queue
    q.play_list(ids, "Region")
    for _ in range(3):
        q.track_ended()
    play = recorder(app.selection.play)
    q.move_next(2)
    assert q.marked == 2 and q.tracks == ids
    q.start()
    assert _played(play, 0) == [ids[2]]


def test_a_restored_queue_plays_its_current_entry_not_the_one_before(library, make_app,
                                                                    recorder):
    """The track lists' Play next on the ▶ entry of a queue restored at start: Play played
    the entry before it (the ▶ went there), a track heard already."""
    app, _ = _loaded(make_app, library)
    ids, q = _ids(app, 5), app.queue
    snap = app.library.snapshot
    q.restore(SavedQueue(tuple(ids), 2, "Region", "named",
                         paths={t: snap.by_id[t].path for t in ids}), snap)
    play = recorder(app.selection.play)
    q.play_next(ids[2])
    assert q.marked == 2 and q.kept().current == 2 and not q.kept().left
    q.start()
    q.track_ended()
    assert _played(play, 0) == [ids[2], ids[3]]


def test_other_tracks_asked_with_it_follow_it(library, make_app, recorder):
    app, q, ids, play = _left(make_app, library, recorder)
    q.play_next(ids[4], ids[1])
    assert q.tracks == [ids[0], ids[1], ids[4], ids[2], ids[3]] and q.marked == 1
    q.track_ended()
    q.track_ended()
    assert _played(play, 0) == [ids[1], ids[4]]


def test_a_playing_current_entry_is_still_left_where_it_is(library, make_app, recorder):
    app, _ = _loaded(make_app, library)
    ids, q = _ids(app, 3), app.queue
    q.play_list(ids, "Region")
    q.move_next(0)
    assert app.notifications[-1][1].endswith("is the queue's current track: left where it is")
    q.play_next(ids[0])
    assert app.notifications[-1][1].endswith("is the queue's current track: left where it is")
    assert q.tracks == ids and q.current == 0 and not q.starts_after_end()
