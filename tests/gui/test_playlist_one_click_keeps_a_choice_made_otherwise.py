"""One click on a playlist chosen some other way than a click — the Down key, the search box's
list, the playlist restored at start-up — keeps it chosen; only a second click on a playlist a
click chose clears the choice (the list's tooltip: "click it again to clear"). The list once
judged "again" by the playlist chosen when the button went down alone, and the one click meant
to choose such a playlist (or to open its suggestions) left no playlist chosen."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTabWidget, QWidget

from musicsage.gui.playlist_list import NAME_ROLE
from musicsage.gui.window_settings import choose_playlist

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


def _click(panel, name: str) -> None:
    box = panel.playlist_box
    row = next(r for r in box.shown_rows() if r.data(NAME_ROLE) == name)
    QTest.mouseClick(box.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=box.list.visualItemRect(row).center())


def _key(panel, key: Qt.Key) -> None:
    panel.playlists.setFocus()
    QTest.keyClick(panel.playlists, key)


def test_one_click_on_a_playlist_the_down_key_chose_keeps_it_chosen(qtbot):
    panel = _panel(qtbot)
    _click(panel, "Alpha")
    _key(panel, Qt.Key.Key_Down)
    assert panel.current_playlist() == 2
    _click(panel, "Beta")
    assert panel.current_playlist() == 2, "one click cleared the playlist Down chose"
    _click(panel, "Beta")  # a second click: cleared, as the tip says
    assert panel.current_playlist() is None


def test_a_click_on_a_playlist_clicked_before_then_chosen_again_by_key_keeps_it(qtbot):
    panel = _panel(qtbot)
    _click(panel, "Alpha")
    _key(panel, Qt.Key.Key_Down)
    _key(panel, Qt.Key.Key_Up)
    assert panel.current_playlist() == 1
    _click(panel, "Alpha")
    assert panel.current_playlist() == 1, "the keys chose it last, not the earlier click"


def test_one_click_on_a_playlist_the_search_list_chose_keeps_it_chosen(qtbot):
    panel = _panel(qtbot)
    panel.choose_playlist(3)  # a "Playlist: Gamma" row picked in the search box's list
    _click(panel, "Gamma")
    assert panel.current_playlist() == 3
    _click(panel, "Gamma")
    assert panel.current_playlist() is None


def test_one_click_on_the_playlist_restored_at_start_up_keeps_it_chosen(qtbot):
    panel = _panel(qtbot)
    right = QTabWidget()
    qtbot.addWidget(right)
    right.addTab(QWidget(), "Suggestions")
    choose_playlist(SimpleNamespace(library=panel, right=right), 2)  # as a restart does
    assert panel.current_playlist() == 2
    _click(panel, "Beta")
    assert panel.current_playlist() == 2, "the click meant to open it cleared it"
    _click(panel, "Beta")
    assert panel.current_playlist() is None
