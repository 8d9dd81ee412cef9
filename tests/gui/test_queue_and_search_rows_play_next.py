""""Play next" on the Queue tab's own rows, and the track lists' menu on the library panel's
search list.

- The Queue tab's row menu offered Play, Select and Remove only: a queued track could not be
  moved to right after the playing one (what every player does) but by dragging it there. Its
  menu now has "Play next" (N, as in the track lists' menus): the row moves as a drag there
  moves it (:mod:`test_queue_tab_play_next_is_a_move`); a named queue keeps its name and
  count, a radio its name and its refills.
- The search list's rows had no menu at all: a track found could be selected, never lined up.
  A track's row now has the track lists' own menu (Play, Select, Play next, Add to queue, Play
  similar), with the mouse or from the keyboard (the Menu key, Shift+F10); a playlist's row and
  the note have none.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication

from gui_support import each_has_its_own_letter, menu_texts_while_shown, settle

from musicsage.controllers.queue_refills import RadioRefills
from musicsage.gui import queue_panel, search_rows
from musicsage.gui.explore_wiring import show_tab
from musicsage.gui.menu_letters import access_letter
from musicsage.gui.track_list import ADD_TO_QUEUE_TEXT, PLAY_NEXT_TEXT


def _texts(menu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def _choose(menu, text: str) -> None:
    next(a for a in menu.actions() if a.text().replace("&", "") == text).trigger()


def _menu_key(lst) -> None:
    """The Menu key (or Shift+F10), as Qt sends it: to the focused list, at its input cursor's
    rectangle."""
    pos = lst.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle).center()
    QApplication.sendEvent(lst, QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, pos,
                                                  lst.mapToGlobal(pos)))


def _at_row(lst, row: int, pos: QPoint) -> bool:
    """Whether a menu at ``pos`` (global) is placed at ``lst``'s ``row``."""
    rect = lst.visualRect(lst.model().index(row, 0))
    top, bottom = (lst.viewport().mapToGlobal(p).y() for p in (rect.topLeft(), rect.bottomLeft()))
    return top <= pos.y() <= bottom + 1


def _queued(w, ids, name="Playlist: Mix (5 tracks)"):
    """``ids`` queued as a named list, the first one the queue's current entry."""
    w.app.queue.play_list(ids, name)
    assert w.app.queue.tracks == ids
    return w.app.queue


# -- the Queue tab ---------------------------------------------------------------------------
def test_a_queue_rows_menu_offers_play_next_each_entry_with_its_own_letter(
        qtbot, make_window, library):
    w = make_window(library)
    _queued(w, [t.id for t in w.app.library.snapshot.tracks[:5]])
    menu = w.queue.list.context_menu(3)
    assert _texts(menu) == ["Play", "Select (show its neighbours)", PLAY_NEXT_TEXT,
                            "Remove from queue"]
    shown = menu_texts_while_shown(qtbot, menu)
    each_has_its_own_letter(shown)
    assert access_letter(shown[2]) == "n", "N, as in the track lists' menus"


def test_play_next_moves_a_queued_track_right_after_the_playing_one(
        qtbot, make_window, library, fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    ids = [t.id for t in w.app.library.snapshot.tracks[:5]]
    q = _queued(w, ids)
    qtbot.waitUntil(lambda: w.player.engine.path is not None)
    w.app.notifications.clear()
    _choose(w.queue.list.context_menu(3), PLAY_NEXT_TEXT)
    assert q.tracks == [ids[0], ids[3], ids[1], ids[2], ids[4]]
    assert w.queue.heading.text() == "Playlist: Mix (5 tracks)", "a move: the count stays"
    assert w.queue.list.item(0).text().startswith("▶"), "the playing entry stays marked"
    assert w.app.notifications[-1][1].startswith("Moved '")
    _choose(w.queue.list.context_menu(1), "Remove from queue")  # the moved row's own track
    assert q.tracks == [ids[0], ids[1], ids[2], ids[4]]
    assert w.queue.heading.text() == "Playlist: Mix (4 tracks)"


def test_play_next_in_a_radio_keeps_its_name_and_its_refills(qtbot, make_window, library,
                                                             fake_streams, monkeypatch):
    w = make_window(library, stream_factory=fake_streams)
    q = w.app.queue
    seed = w.app.library.snapshot.tracks[0].id
    q.play_similar(seed)
    qtbot.waitUntil(lambda: len(q.tracks) > 3 and not q.finding_more, timeout=30_000)
    asked, refill = [], RadioRefills._refill
    monkeypatch.setattr(RadioRefills, "_refill", lambda self: asked.append(1) or refill(self))
    name, count, last = q.name, len(q.tracks), q.tracks[-1]
    _choose(w.queue.list.context_menu(len(q.tracks) - 1), PLAY_NEXT_TEXT)
    assert q.tracks[q.current + 1] == last and len(q.tracks) == count
    assert q.name == name and q.radio
    q.play_at(len(q.tracks) - 1)  # near its end: the radio asks for more
    qtbot.waitUntil(lambda: asked and not q.finding_more, timeout=30_000)
    # the 12 tracks of the library are all queued: the refill's answer is that none is left
    assert "no more tracks for this radio" in q.note, "the refill's answer taken"
    assert q.tracks.count(last) == 1


def test_a_row_taken_out_while_its_menu_was_open_is_not_put_back(qtbot, make_window, library):
    w = make_window(library)
    ids = [t.id for t in w.app.library.snapshot.tracks[:5]]
    q = _queued(w, ids)
    menu = w.queue.list.context_menu(3)
    q.remove(3)
    _choose(menu, PLAY_NEXT_TEXT)
    assert q.tracks == [ids[0], ids[1], ids[2], ids[4]]


# -- the library panel's search list --------------------------------------------------------
def _found(w, ids) -> None:
    """The search list showing ``ids`` (as a search's answer for the words in the box)."""
    w.library.search.setText("found")
    w.library.show_search_results("found", [(t, w.app.selection.label(t)) for t in ids])
    assert w.library.results.count() == len(ids)


def test_a_found_tracks_row_has_the_track_lists_menu(qtbot, make_window, library):
    w = make_window(library)
    ids = [t.id for t in w.app.library.snapshot.tracks[:3]]
    _found(w, ids)
    menu = w.library.results.context_menu(ids[1])
    assert _texts(menu) == _texts(w.neighbours.audio_list.context_menu(ids[1]))
    assert PLAY_NEXT_TEXT in _texts(menu) and ADD_TO_QUEUE_TEXT in _texts(menu)
    each_has_its_own_letter(menu_texts_while_shown(qtbot, menu))


def test_found_tracks_are_added_to_the_queue_in_the_lists_order(qtbot, make_window, library):
    w = make_window(library)
    ids = [t.id for t in w.app.library.snapshot.tracks[:4]]
    _found(w, ids)
    results = w.library.results
    for row in (3, 1):
        results.item(row).setSelected(True)
    _choose(results.context_menu(ids[3]), "Add 2 to queue")
    assert w.app.queue.tracks == [ids[1], ids[3]]
    _choose(results.context_menu(ids[0]), PLAY_NEXT_TEXT)  # not chosen: its own track
    assert w.app.queue.tracks == [ids[0], ids[1], ids[3]]
    assert "Queued" in w.app.notifications[-1][1]


def test_a_found_tracks_menu_plays_selects_and_starts_a_radio(qtbot, make_window, library,
                                                              fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    ids = [t.id for t in w.app.library.snapshot.tracks[:3]]
    _found(w, ids)
    _choose(w.library.results.context_menu(ids[0]), "Play")
    qtbot.waitUntil(lambda: w.player.engine.path == w.app.library.snapshot.by_id[ids[0]].path)
    _choose(w.library.results.context_menu(ids[2]), "Select (show its neighbours)")
    qtbot.waitUntil(lambda: w.app.selection.selected == ids[2])
    _choose(w.library.results.context_menu(ids[1]), "Play similar (radio)")
    qtbot.waitUntil(lambda: w.app.queue.radio and w.app.queue.tracks[:1] == [ids[1]],
                    timeout=30_000)


def test_the_menu_key_opens_the_current_rows_menu_and_a_playlists_row_has_none(
        qtbot, make_window, library, monkeypatch):
    w = make_window(library)
    settle(qtbot, w)
    ids = [t.id for t in w.app.library.snapshot.tracks[:2]]
    w.library.show_playlists([(7, "Road Trip", 2)])
    w.library.search.setText("road")
    w.library.show_search_results("road", [(t, w.app.selection.label(t)) for t in ids])
    results = w.library.results
    opened = []
    monkeypatch.setattr(search_rows, "run_once",
                        lambda menu, pos: opened.append((_texts(menu), pos)))
    results.setFocus()
    results.setCurrentRow(1)
    _menu_key(results)
    assert len(opened) == 1 and PLAY_NEXT_TEXT in opened[0][0]
    assert _at_row(results, 1, opened[0][1]), "placed at the current row"
    playlist_row = results.count() - 1
    assert "Road Trip" in results.item(playlist_row).text()
    results.setCurrentRow(playlist_row)
    _menu_key(results)
    assert len(opened) == 1, "a playlist's row: no track menu"


def test_the_menu_key_opens_a_queue_rows_menu(qtbot, make_window, library, monkeypatch):
    w = make_window(library)
    _queued(w, [t.id for t in w.app.library.snapshot.tracks[:5]])
    opened = []
    monkeypatch.setattr(queue_panel, "run_once",
                        lambda menu, pos: opened.append((_texts(menu), pos)))
    show_tab(w, "queue")
    w.queue.list.setFocus()
    w.queue.list.setCurrentRow(2)
    _menu_key(w.queue.list)
    assert len(opened) == 1 and PLAY_NEXT_TEXT in opened[0][0]
    assert _at_row(w.queue.list, 2, opened[0][1])


def test_the_key_list_names_the_menus_of_the_search_results_and_the_queue():
    from musicsage.gui.shortcuts_dialog import PART_KEYS

    rows = dict(dict(PART_KEYS)["In the lists and fields"])
    assert "search results" in rows["Menu"] and "Play next, Remove (the Queue)" in rows["Menu"]
