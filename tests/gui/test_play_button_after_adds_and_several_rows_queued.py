"""In the window: listened to a track, queued a few, pressed Play — the player played the ended
track again, and the added ones only after it. Now the real Play button plays the queue's next
entry over an ended track once something was added; without adds it replays the ended track as
before, and a stopped track is resumed as before. With several rows selected, the row menu's
"Play 3 next" / "Add 3 to queue" queue all of them in the list's order (it queued the clicked
row alone, under a "Remove 6 from playlist" that acted on all six), each entry keeping its
letter."""

from __future__ import annotations

import os

from gui_support import each_has_its_own_letter, menu_texts_while_shown
from PySide6.QtCore import QItemSelectionModel, Qt

from musicsage.gui.track_list import ADD_TO_QUEUE_TEXT, PLAY_NEXT_TEXT


def _choose(menu, text: str) -> None:
    next(a for a in menu.actions() if a.text().replace("&", "") == text).trigger()


def _plays_first(qtbot, w, wanted, instead) -> None:
    """After Play: the first track playing is ``wanted``, not ``instead`` (replayed)."""
    paths = {w.app.library.snapshot.by_id[t].fs_path: t for t in (wanted, instead)}
    qtbot.waitUntil(lambda: w.player.engine.path in paths
                    and w.player.engine.state == "playing", timeout=30_000)
    assert paths[w.player.engine.path] == wanted


def _reaches(qtbot, w, track_id, state) -> None:
    path = w.app.library.snapshot.by_id[track_id].fs_path
    qtbot.waitUntil(lambda: w.player.engine.path == path and w.player.engine.state == state,
                    timeout=30_000)


def test_play_over_an_ended_track_plays_what_was_added(qtbot, make_window, library,
                                                       realtime_streams):
    w = make_window(library, stream_factory=realtime_streams)
    a, b, c = (t.id for t in w.app.library.snapshot.tracks[:3])
    w.app.selection.play_track(a)  # a double-click on its row
    _reaches(qtbot, w, a, "ended")
    _choose(w.neighbours.audio_list.context_menu(b), ADD_TO_QUEUE_TEXT)
    _choose(w.neighbours.audio_list.context_menu(c), ADD_TO_QUEUE_TEXT)
    qtbot.mouseClick(w.player.play_button, Qt.MouseButton.LeftButton)  # the real Play
    _plays_first(qtbot, w, b, a)
    _reaches(qtbot, w, c, "playing")


def test_play_over_a_queue_that_ended_plays_the_track_put_next(qtbot, make_window, library,
                                                               realtime_streams):
    w = make_window(library, stream_factory=realtime_streams)
    a, b, c = (t.id for t in w.app.library.snapshot.tracks[:3])
    w.app.queue.play_list([a, b], "Region")
    _reaches(qtbot, w, b, "ended")
    _choose(w.neighbours.audio_list.context_menu(c), PLAY_NEXT_TEXT)
    w.player.play_button.click()
    _plays_first(qtbot, w, c, b)


def test_without_adds_play_replays_the_ended_track(qtbot, make_window, library,
                                                   realtime_streams):
    """A guard: as before the adds existed."""
    w = make_window(library, stream_factory=realtime_streams)
    a = w.app.library.snapshot.tracks[0].id
    w.app.selection.play_track(a)
    _reaches(qtbot, w, a, "ended")
    w.player.play_button.click()
    _reaches(qtbot, w, a, "playing")


def test_a_stopped_track_is_resumed_not_replaced(qtbot, make_window, library,
                                                 realtime_streams):
    """Stop is the user's pause of a track, not its end: Play plays it again, as before; the
    added track waits (Next plays it)."""
    w = make_window(library, stream_factory=realtime_streams)
    a, b = (t.id for t in w.app.library.snapshot.tracks[:2])
    w.app.selection.play_track(a)
    _reaches(qtbot, w, a, "playing")
    w.player.stop_button.click()
    _choose(w.neighbours.audio_list.context_menu(b), ADD_TO_QUEUE_TEXT)
    w.player.play_button.click()
    _reaches(qtbot, w, a, "playing")
    assert w.app.queue.tracks == [b]


def test_several_selected_rows_are_queued_in_the_lists_order(qtbot, make_window, library,
                                                             fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    ids = [t.id for t in w.app.library.snapshot.tracks[:5]]
    lst = w.suggestions.graph_list
    lst.set_rows([{"track_id": t, "title": f"Song {t}", "artist": "Band"} for t in ids])
    sel = lst.selectionModel()
    for row in (3, 0, 2):  # chosen out of order
        sel.select(lst.model().index(row, 0), QItemSelectionModel.SelectionFlag.Select
                   | QItemSelectionModel.SelectionFlag.Rows)
    menu = lst.context_menu(ids[2])
    texts = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert "Play 3 next" in texts and "Add 3 to queue" in texts, texts
    shown = menu_texts_while_shown(qtbot, menu)
    each_has_its_own_letter(shown)
    assert "&Play 3 &next" in shown or "Play 3 &next" in shown, shown
    assert "&Add 3 to queue" in shown, shown
    png = os.environ.get("QUEUE_ADD_PNG")
    if png:
        menu.grab().save(png)
    _choose(menu, "Add 3 to queue")
    assert w.app.queue.tracks == [ids[0], ids[2], ids[3]]
    assert w.statusBar().currentMessage().startswith("Queued 3 tracks at the end of the queue")
    one = lst.context_menu(ids[4])  # a row outside the selection: that row alone
    _choose(one, PLAY_NEXT_TEXT)
    assert w.app.queue.tracks == [ids[4], ids[0], ids[2], ids[3]]


def test_the_playlist_tabs_menu_queues_what_remove_would_remove(qtbot, make_window, library,
                                                                fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    w.app.playlist_tracks.show(w.app.library.snapshot.playlists[0].id)
    qtbot.waitUntil(lambda: len(w.playlist.list.track_ids()) >= 3)
    lst = w.playlist.list
    lst.selectAll()
    ids = lst.chosen()
    n = len(ids)
    menu = lst.context_menu(ids[-1])
    shown = menu_texts_while_shown(qtbot, menu)
    each_has_its_own_letter(shown)
    plain = [t.replace("&", "") for t in shown]
    assert plain[2:4] == [f"Play {n} next", f"Add {n} to queue"], plain
    assert f"Remove {n} from playlist" in plain
    png = os.environ.get("QUEUE_ADD_PNG")
    if png:
        menu.popup(w.mapToGlobal(w.rect().center()))
        qtbot.waitUntil(menu.isVisible)
        qtbot.wait(100)
        menu.grab().save(png.replace(".png", "_playlist.png"))
        menu.hide()
    _choose(menu, f"Play {n} next")
    assert w.app.queue.tracks == ids
