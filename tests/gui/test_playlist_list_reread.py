"""The playlists' list when the library is read again (a removal, an add, a rescan, the folder
watch): the chosen playlist stays the list's current row, so the arrow keys go on from it, and
the list stays where the user scrolled it (pytest-qt, offscreen)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from musicsage.gui.playlist_list import PlaylistList


def _box(qtbot) -> PlaylistList:
    box = PlaylistList()
    qtbot.addWidget(box)
    box.resize(300, 300)
    box.show()
    qtbot.waitExposed(box)
    return box


def test_down_after_a_reread_library_chooses_the_next_playlist(qtbot):
    box = _box(qtbot)
    box.show_playlists([(1, "Alpha", 3), (2, "Bravo", 4), (3, "Charlie", 5), (4, "Delta", 6)])
    box.list.setFocus()
    box.list.setCurrentRow(1)
    assert box.current_playlist() == 2
    # a track removed from Bravo: its count changes, the rows are built again
    with qtbot.assertNotEmitted(box.chosen):
        box.show_playlists([(1, "Alpha", 3), (2, "Bravo", 3), (3, "Charlie", 5), (4, "Delta", 6)])
    assert box.current_playlist() == 2 and box.list.currentItem().text() == "Bravo  (3)"
    with qtbot.waitSignal(box.chosen) as chosen:
        qtbot.keyClick(box.list, Qt.Key.Key_Down)
    assert chosen.args == [3]  # Charlie, after Bravo: not Alpha, the first row


def test_a_reread_library_leaves_the_list_where_it_was_scrolled(qtbot):
    box = _box(qtbot)
    items = [(i, f"Playlist {i:03}", 3) for i in range(1, 200)]
    box.show_playlists(items)
    box.list.setCurrentRow(120)
    bar = box.list.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() > 0, timeout=10000)
    scrolled = bar.value()
    box.show_playlists(items)
    assert bar.value() == scrolled and box.current_playlist() == 121


def test_a_reread_library_keeps_the_scroll_below_the_chosen_playlist(qtbot):
    box = _box(qtbot)
    items = [(i, f"Playlist {i:03}", 3) for i in range(1, 200)]
    box.show_playlists(items)
    box.list.setCurrentRow(10)  # chosen near the top, then the list scrolled far below it
    bar = box.list.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 100, timeout=10000)
    bar.setValue(100)
    box.show_playlists(items)
    qtbot.wait(50)  # any layout pending: the value the user left stays
    assert bar.value() == 100 and box.current_playlist() == 11
