"""Play playlist on the playlists' list: Enter, a double-click and the row's menu ask for it;
the window puts the playlist into the Queue in its order, shows the Queue and plays the first."""

from __future__ import annotations

from PySide6.QtCore import Qt

from musicsage.gui.explore_wiring import TABS
from musicsage.gui.playlist_list import ID_ROLE, PLAY_TEXT, PlaylistList


def _list(qtbot) -> tuple[PlaylistList, list[int]]:
    box = PlaylistList()
    qtbot.addWidget(box)
    box.show_playlists([(1, "Jazz", 4), (2, "Rock", 3), (3, "Ambient", 2)])
    asked: list[int] = []
    box.play_requested.connect(asked.append)
    box.show()
    return box, asked


def test_enter_double_click_and_the_menu_ask_to_play_the_row(qtbot):
    box, asked = _list(qtbot)
    rock = box.list.findItems("Rock", Qt.MatchFlag.MatchStartsWith)[0]
    box.list.setFocus()
    box.list.setCurrentItem(rock)
    qtbot.keyClick(box.list, Qt.Key.Key_Return)
    qtbot.keyClick(box.list, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert asked == [2, 2]
    jazz = box.list.findItems("Jazz", Qt.MatchFlag.MatchStartsWith)[0]
    centre = box.list.visualItemRect(jazz).center()
    # a real double-click: a press and release first (QTest's sends only the second)
    qtbot.mouseClick(box.list.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(box.list.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert asked == [2, 2, 1] and box.current_playlist() == 1
    menu = box.context_menu(3)
    assert [a.text() for a in menu.actions()] == [PLAY_TEXT] and menu.actions()[0].toolTip()
    menu.actions()[0].trigger()
    assert asked[-1] == 3


def test_a_row_the_filter_hides_or_no_row_plays_nothing(qtbot):
    box, asked = _list(qtbot)
    box.list.setFocus()
    box.filter.setText("nothing like it")  # every row hidden, the note row shown
    qtbot.keyClick(box.list, Qt.Key.Key_Return)
    box.list.setCurrentItem(None)
    qtbot.keyClick(box.list, Qt.Key.Key_Return)
    assert asked == []


def test_enter_on_a_playlist_plays_it_in_the_queue(qtbot, make_window, library, fake_streams):
    from musicsage.gui.shortcuts_dialog import shortcut_rows

    w = make_window(library, stream_factory=fake_streams)
    snap = w.app.library.snapshot
    playlist = snap.playlists[0]
    members = list(dict.fromkeys(t for p, t in snap.memberships if p == playlist.id))
    name = snap.playlist_name(playlist)
    lst = w.library.playlists
    row = next(lst.item(i) for i in range(lst.count())
               if lst.item(i).data(ID_ROLE) == playlist.id)
    lst.setFocus()
    lst.setCurrentItem(row)
    qtbot.keyClick(lst, Qt.Key.Key_Return)
    assert w.app.queue.tracks == members
    assert w.app.queue.name == f"Playlist: {name} ({len(members)} tracks)"
    assert w.right.currentIndex() == TABS["queue"]
    model = w.queue.list.model()
    shown = [model.index(i, 0).data() for i in range(model.rowCount())]
    assert len(shown) == len(members)
    assert all(row.endswith(f"{i + 1}. {snap.label(t)}") for i, (row, t) in
               enumerate(zip(shown, members))), shown
    path = snap.by_id[members[0]].fs_path
    qtbot.waitUntil(lambda: w.player.engine.path == path, timeout=30_000)
    rows = [what for _group, rows in shortcut_rows(w) for _keys, what in rows]
    assert any("Play playlist" in what for what in rows)
