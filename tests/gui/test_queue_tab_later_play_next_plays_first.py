"""The Queue tab after "Play next" on the ▶ row of a queue the user left, then "Play next" on
another row: that row, asked later, is listed before the ▶ entry and plays first, then the
entry (it played second, after the entry, although its line said "to play next")."""

from __future__ import annotations

from test_queue_tab_play_next_is_a_move import _choose, _played_path, _restored

from musicsage.gui.track_list import PLAY_NEXT_TEXT


def test_a_later_play_next_row_plays_before_the_marked_one(qtbot, make_window, library,
                                                           fake_streams):
    w, q, ids = _restored(qtbot, make_window, library, fake_streams, left=True)
    _choose(w.queue.list.context_menu(2), PLAY_NEXT_TEXT)
    _choose(w.queue.list.context_menu(4), PLAY_NEXT_TEXT)
    assert q.tracks == [ids[0], ids[1], ids[4], ids[2], ids[3], ids[5]]
    assert w.queue.list.item(1).text().startswith("▶ 2."), "the ▶ is on the entry before"
    assert _played_path(qtbot, w) == w.app.library.snapshot.by_id[ids[4]].path
