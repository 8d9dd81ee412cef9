"""The Queue tab's "Play next" is a reorder, on one row; the search list's Ctrl/Shift-clicks
only choose rows.

- The queue list let several rows be highlighted, but Delete, Remove, ↑/↓ and a drag acted
  on one (Ctrl+↓ then Delete removed a row not highlighted at all): it is one row at a time
  again, as before "Play next" came.
- "Play next" on a queue row went in as an add: on the ▶ entry, not playing (a queue restored
  at start), it put the ▶ on the entry before, kept so for the next start; on another row, Play
  then skipped the ▶ entry of a restored queue, unlike a drag of the row to the same place. It
  is now the drag's move, said "Moved 'X' to play next"; the current entry stays where it is,
  playing or not, and the entry already next is said so.
- A Ctrl- or Shift-click that built a choice of search rows also picked that track (the map
  and the neighbours followed it), even one the click took out of the choice.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gui_support import settle

from musicsage.gui.explore_wiring import show_tab
from musicsage.gui.track_list import PLAY_NEXT_TEXT
from musicsage.usecases.queue_file import SavedQueue

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def _choose(menu, text: str) -> None:
    next(a for a in menu.actions() if a.text().replace("&", "") == text).trigger()


def _click(lst, rect, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A click at ``rect``'s centre, not read as the second of a double-click."""
    QTest.qWait(QApplication.doubleClickInterval() + 50)
    QTest.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def _restored(qtbot, make_window, library, fake_streams, current: int = 2, left: bool = False):
    """A named queue of 6 tracks restored at its entry ``current`` (as at a start: nothing
    plays; ``left``: it was left for another track), shown in the Queue tab."""
    w = make_window(library, stream_factory=fake_streams)
    settle(qtbot, w)
    snap = w.app.library.snapshot
    ids = [t.id for t in snap.tracks[:6]]
    q = w.app.queue
    q.restore(SavedQueue(tuple(ids), current, "Playlist: Mix (6 tracks)", "named", left=left,
                         paths={t: snap.by_id[t].path for t in ids}), snap)
    show_tab(w, "queue")
    assert not q.active and q.marked == current
    w.app.notifications.clear()
    return w, q, ids


def _title(w, tid) -> str:
    return w.app.library.snapshot.by_id[tid].display_title


def _played_path(qtbot, w) -> str:
    """What the player bar's Play (nothing loaded) plays."""
    w.player.start_requested.emit()
    qtbot.waitUntil(lambda: w.player.engine.path is not None)
    return w.player.engine.path


# -- one row at a time ------------------------------------------------------------------------
def test_the_queue_list_highlights_the_one_row_its_keys_act_on(qtbot, make_window, library,
                                                                fake_streams):
    w, q, ids = _restored(qtbot, make_window, library, fake_streams)
    lst = w.queue.list
    qtbot.waitUntil(lst.isVisible)
    lst.setFocus()
    rect = lambda row: lst.visualRect(lst.model().index(row, 0))  # noqa: E731
    highlighted = lambda: sorted(i.row() for i in lst.selectionModel().selectedRows())  # noqa
    _click(lst, rect(1))
    _click(lst, rect(3), SHIFT)
    assert highlighted() == [3] == [lst.currentRow()], "Shift: no second row highlighted"
    QTest.keyClick(lst, Qt.Key.Key_Down, CTRL)
    assert highlighted() == [4] == [lst.currentRow()], "the highlight goes with Ctrl+Down"
    QTest.keyClick(lst, Qt.Key.Key_Delete)
    assert q.tracks == ids[:4] + ids[5:], "Delete removed the row highlighted"


# -- "Play next" on the current entry ------------------------------------------------------
def test_play_next_on_the_restored_current_entry_leaves_it_where_it_is(
        qtbot, make_window, library, fake_streams):
    w, q, ids = _restored(qtbot, make_window, library, fake_streams)
    _choose(w.queue.list.context_menu(2), PLAY_NEXT_TEXT)
    assert q.tracks == ids and q.current == 2 and q.kept().current == 2
    assert w.queue.list.item(2).text().startswith("▶ 3."), "the ▶ stays on its entry"
    assert w.app.notifications[-1][1] == \
        f"'{_title(w, ids[2])}' is the queue's current track: left where it is"
    assert _played_path(qtbot, w) == w.app.library.snapshot.by_id[ids[2]].path, \
        "Play goes on with the restored entry"


def test_play_next_on_the_playing_entry_leaves_it_where_it_is(qtbot, make_window, library,
                                                              fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    ids = [t.id for t in w.app.library.snapshot.tracks[:5]]
    q = w.app.queue
    q.play_list(ids, "Playlist: Mix (5 tracks)")
    qtbot.waitUntil(lambda: w.player.engine.path is not None)
    w.app.notifications.clear()
    _choose(w.queue.list.context_menu(0), PLAY_NEXT_TEXT)
    assert q.tracks == ids and q.current == 0
    assert "is the queue's current track: left where it is" in w.app.notifications[-1][1]


# -- "Play next" on another row: the drag's move --------------------------------------------
def test_play_next_moves_a_row_as_a_drag_there_and_play_goes_on_from_the_marked_entry(
        qtbot, make_window, library, fake_streams):
    w, q, ids = _restored(qtbot, make_window, library, fake_streams)
    w.queue.list.setCurrentRow(5)  # as the right-click on it
    _choose(w.queue.list.context_menu(5), PLAY_NEXT_TEXT)
    assert q.tracks == [ids[0], ids[1], ids[2], ids[5], ids[3], ids[4]]
    assert q.current == 2 and w.queue.list.item(2).text().startswith("▶ 3.")
    assert w.app.notifications[-1][1] == f"Moved '{_title(w, ids[5])}' to play next"
    assert len(w.app.notifications) == 1, "one line"
    assert w.queue.heading.text() == "Playlist: Mix (6 tracks)"
    assert w.queue.list.currentRow() == 3, "the moved row stays the chosen one"
    assert _played_path(qtbot, w) == w.app.library.snapshot.by_id[ids[2]].path, \
        "Play plays the ▶ entry, as after a drag of the row to the same place"


def test_after_play_next_in_a_left_queue_play_plays_the_moved_entry(
        qtbot, make_window, library, fake_streams):
    """As the track lists' Play next does: the entry the user asked to play next plays (the
    second review: as a plain move it never played in a queue the user had left)."""
    w, q, ids = _restored(qtbot, make_window, library, fake_streams, left=True)
    w.app.selection.select(ids[0])
    _choose(w.queue.list.context_menu(5), PLAY_NEXT_TEXT)
    assert q.tracks == [ids[0], ids[1], ids[2], ids[5], ids[3], ids[4]] and q.current == 2
    assert _played_path(qtbot, w) == w.app.library.snapshot.by_id[ids[5]].path


def test_play_next_on_a_row_above_the_current_entry_puts_it_after_that_entry(
        qtbot, make_window, library, fake_streams):
    w, q, ids = _restored(qtbot, make_window, library, fake_streams)
    _choose(w.queue.list.context_menu(0), PLAY_NEXT_TEXT)
    assert q.tracks == [ids[1], ids[2], ids[0], ids[3], ids[4], ids[5]]
    assert q.tracks[q.current] == ids[2] and q.tracks[q.current + 1] == ids[0]
    assert q.kept().current == q.current


def test_play_next_on_the_entry_already_next_says_nothing_moved(qtbot, make_window, library,
                                                                fake_streams):
    w, q, ids = _restored(qtbot, make_window, library, fake_streams)
    _choose(w.queue.list.context_menu(3), PLAY_NEXT_TEXT)
    assert q.tracks == ids and q.current == 2
    assert w.app.notifications[-1][1] == \
        f"'{_title(w, ids[3])}' plays next already: nothing moved"


# -- the search list: Ctrl/Shift-clicks only choose rows ------------------------------------
def test_a_ctrl_or_shift_click_on_a_search_row_picks_no_track(qtbot, make_window, library):
    w = make_window(library)
    settle(qtbot, w)
    ids = [t.id for t in w.app.library.snapshot.tracks[:4]]
    w.library.search.setText("found")
    w.library.drop_pending_search()  # the rows below stay: no search of the word runs
    w.library.show_search_results("found", [(t, w.app.selection.label(t)) for t in ids])
    results = w.library.results
    qtbot.waitUntil(results.isVisible)
    rect = lambda row: results.visualItemRect(results.item(row))  # noqa: E731
    _click(results, rect(0))
    qtbot.waitUntil(lambda: w.app.selection.selected == ids[0])
    _click(results, rect(2), CTRL)
    _click(results, rect(3), SHIFT)
    _click(results, rect(2), CTRL)  # taken out of the choice again
    qtbot.wait(100)
    assert w.app.selection.selected == ids[0], "the plain click's track stays picked"
    assert results.selected_track_ids() == [ids[0], ids[3]], "the rows chosen for the menu"
    _click(results, rect(1))
    qtbot.waitUntil(lambda: w.app.selection.selected == ids[1])
