"""The Queue tab's "Play next" on the ▶ row of a queue the user left (a track played
elsewhere): the row stays where it is, still ▶, and Play plays it — as the track lists' Play
next on that track does. It said "left where it is" and Play played the selected track."""

from __future__ import annotations

from test_queue_tab_play_next_is_a_move import _choose, _played_path, _restored, _title

from musicsage.gui.track_list import PLAY_NEXT_TEXT


def test_the_marked_row_of_a_left_queue_plays_next(qtbot, make_window, library, fake_streams):
    w, q, ids = _restored(qtbot, make_window, library, fake_streams, left=True)
    w.app.selection.select(ids[0])  # Play would play this one, were the queue not asked
    _choose(w.queue.list.context_menu(2), PLAY_NEXT_TEXT)
    assert q.tracks == ids and w.queue.list.item(2).text().startswith("▶ 3.")
    assert w.app.notifications[-1][1] == f"'{_title(w, ids[2])}' plays next: left where it is"
    assert _played_path(qtbot, w) == w.app.library.snapshot.by_id[ids[2]].path


def test_the_track_lists_play_next_keeps_the_marked_row(qtbot, make_window, library,
                                                        fake_streams):
    w, q, ids = _restored(qtbot, make_window, library, fake_streams, left=True)
    q.play_next(ids[2])  # as the library list's menu asks
    assert w.queue.list.item(2).text().startswith("▶ 3."), "the ▶ went to the row above"
    assert _played_path(qtbot, w) == w.app.library.snapshot.by_id[ids[2]].path
