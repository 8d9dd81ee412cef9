"""A click on a playlist row chooses it, whatever chose another playlist in between; only a
click on the playlist already chosen clears the choice (the list's tooltip: "click it again to
clear"). The list once judged "again" by the last row clicked: after Alpha was clicked, then
Beta chosen with the keyboard or from the search box's list, a click on Alpha left no
playlist chosen at all."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from musicsage.gui.playlist_list import NAME_ROLE

PLAYLISTS = [(1, "Alpha", 3), (2, "Beta", 4), (3, "Gamma", 5)]


def _panel(qtbot):
    from musicsage.gui.library_panel import LibraryPanel

    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(260, 600)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_playlists(PLAYLISTS)
    return panel


def _click(qtbot, panel, name: str) -> None:
    box = panel.playlist_box
    row = next(r for r in box.shown_rows() if r.data(NAME_ROLE) == name)
    QTest.mouseClick(box.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=box.list.visualItemRect(row).center())


def test_a_click_chooses_the_playlist_after_the_keyboard_chose_another(qtbot):
    panel = _panel(qtbot)
    _click(qtbot, panel, "Alpha")
    assert panel.current_playlist() == 1
    panel.playlists.setFocus()
    QTest.keyClick(panel.playlists, Qt.Key.Key_Down)
    assert panel.current_playlist() == 2
    with qtbot.waitSignal(panel.playlist_chosen) as chosen:
        _click(qtbot, panel, "Alpha")
    assert chosen.args == [1] and panel.current_playlist() == 1
    _click(qtbot, panel, "Alpha")  # the playlist chosen: a click clears it, as the tip says
    assert panel.current_playlist() is None


def test_a_click_chooses_the_playlist_after_the_search_list_chose_another(qtbot):
    panel = _panel(qtbot)
    _click(qtbot, panel, "Gamma")
    panel.choose_playlist(2)  # a "Playlist: Beta" row picked in the search box's list
    assert panel.current_playlist() == 2
    _click(qtbot, panel, "Gamma")
    assert panel.current_playlist() == 3
