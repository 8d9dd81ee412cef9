""""Play next" and "Add to queue" in the menu of any list's rows (the neighbour lists, the
suggestions, the Playlist tab): the rows' menu offered Play, Select and Play similar only, so
a user could not line one track up. The track goes into the Queue tab's rows where asked, the
status line says so, each entry of the menu keeps a letter of its own, and the player plays
the queue in its order; a named queue's heading counts the added track, and the queue row's
menu acts on its own track once a row was put in above it."""

from __future__ import annotations

from gui_support import each_has_its_own_letter, menu_texts_while_shown

from musicsage.gui.track_list import ADD_TO_QUEUE_TEXT, PLAY_NEXT_TEXT


def _choose(menu, text: str) -> None:
    next(a for a in menu.actions() if a.text().replace("&", "") == text).trigger()


def _rows(w) -> list[str]:
    return [w.queue.list.item(i).text().strip() for i in range(w.queue.list.count())]


def _plays(qtbot, w, track_id) -> None:
    path = w.app.library.snapshot.by_id[track_id].fs_path
    qtbot.waitUntil(lambda: w.player.engine.path == path
                    and w.player.engine.state == "playing", timeout=30_000)


def test_the_rows_menu_offers_both_each_with_its_own_letter(qtbot, make_window, library):
    w = make_window(library)
    for lst in (w.neighbours.audio_list, w.suggestions.graph_list, w.playlist.list):
        menu = lst.context_menu(1)
        texts = [a.text() for a in menu.actions() if not a.isSeparator()]
        assert PLAY_NEXT_TEXT in texts and ADD_TO_QUEUE_TEXT in texts, texts
        each_has_its_own_letter(menu_texts_while_shown(qtbot, menu))


def test_added_tracks_wait_in_a_new_queue_then_play_in_order(qtbot, make_window, library,
                                                             realtime_streams):
    w = make_window(library, stream_factory=realtime_streams)
    a, b, c = (t.id for t in w.app.library.snapshot.tracks[:3])
    _choose(w.neighbours.audio_list.context_menu(a), ADD_TO_QUEUE_TEXT)
    _choose(w.playlist.list.context_menu(b), PLAY_NEXT_TEXT)  # nothing played yet: the top
    _choose(w.suggestions.graph_list.context_menu(c), ADD_TO_QUEUE_TEXT)
    label = w.app.selection.label
    assert _rows(w) == [f"1. {label(b)}", f"2. {label(a)}", f"3. {label(c)}"]
    assert w.queue.heading.text() == "Queue"
    assert w.player.engine.path is None or w.player.engine.state != "playing", \
        "an add starts nothing"
    assert "Queued" in w.statusBar().currentMessage()
    w.player.start_requested.emit()  # Play with nothing in the player: the queue's top
    for track in (b, a, c):  # each track ends (1.5 s): the next one plays
        _plays(qtbot, w, track)


def test_a_named_queue_counts_the_added_track_and_its_rows_menu_stays_right(
        qtbot, make_window, library, fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    ids = [t.id for t in w.app.library.snapshot.tracks[:5]]
    q = w.app.queue
    q.play_list(ids[:3], "Playlist: Mix (3 tracks)")
    _plays(qtbot, w, ids[0])
    menu = w.queue.list.context_menu(1)  # opened on ids[1]'s row, then a row goes in above
    _choose(w.neighbours.graph_list.context_menu(ids[3]), PLAY_NEXT_TEXT)
    _choose(w.neighbours.graph_list.context_menu(ids[4]), ADD_TO_QUEUE_TEXT)
    assert q.tracks == [ids[0], ids[3], ids[1], ids[2], ids[4]]
    assert w.queue.heading.text() == "Playlist: Mix (5 tracks)"
    assert w.queue.list.item(0).text().startswith("▶")
    _choose(menu, "Remove from queue")
    assert q.tracks == [ids[0], ids[3], ids[2], ids[4]], "its own track went, not the new row"
    assert w.queue.heading.text() == "Playlist: Mix (4 tracks)"
    assert w.queue.list.count() == 4


def test_a_row_put_in_is_inserted_not_the_whole_list_reset(qtbot):
    """"Play next" puts one row in the middle: the view is told that row came (a reset lost
    the row chosen in the list and its scroll, and made every row's text again)."""
    from musicsage.controllers.queue_labels import QueueLabels
    from musicsage.gui.queue_model import PLAYING, QueueModel

    model = QueueModel()
    model.show(QueueLabels([1, 2, 3], str, queue=1), 0, PLAYING)
    inserted, reset = [], []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    model.modelReset.connect(lambda: reset.append(True))
    model.show(QueueLabels([1, 9, 2, 3], str, queue=1), 0, PLAYING)
    assert inserted == [(1, 1)] and not reset
    assert [model.index(i).data().strip() for i in range(4)] == ["▶ 1. 1", "2. 9", "3. 2", "4. 3"]
