"""The rows' context menus (a track list's, the playlists', the Playlist tab's) and the
Suggestions tab's Save… menu give each entry an access letter of its own while shown, as the
menu bar's menus do: a keyboard user who opened one with the Menu key could only walk it with
the arrows, a letter did nothing. The entries' texts are as written again once it closes. An
entry's first letter goes to it where free ("Remove from playlist" got F, its R taken by "Play
similar (radio)" above it), and a count in an entry gives no digit ("Remove 3 …" got the 3)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from musicsage.controllers.playlist_tracks import PlaylistRow, PlaylistTracks
from musicsage.gui.menu_letters import access_letter
from musicsage.gui.playlist_list import PlaylistList
from musicsage.gui.playlist_panel import PlaylistPanel
from musicsage.gui.suggestions_panel import SuggestionsPanel


def _shown(qtbot, menu: QMenu) -> list[str]:
    """``menu`` opened: its entries' texts while shown (then it is closed again)."""
    menu.popup(QPoint(10, 10))
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is menu, timeout=10_000)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    menu.close()
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None, timeout=10_000)
    return texts


def _each_has_its_own_letter(texts: list[str]) -> None:
    letters = [access_letter(t) for t in texts]
    assert all(letters) and len(set(letters)) == len(letters), texts


def _playlist_panel(qtbot) -> PlaylistPanel:
    rows = tuple(PlaylistRow(10 + i, i + 1, f"Song {i}", "Band", f"/music/{i}.flac", 185.0, "")
                 for i in range(3))
    panel = PlaylistPanel()
    qtbot.addWidget(panel)
    panel.show_tracks(PlaylistTracks(3, "Mix", "m3u", "/music/Mix.m3u8", rows, 0, ""))
    panel.show()
    return panel


def test_every_rows_menu_has_a_letter_for_each_entry_while_shown(qtbot):
    panel = _playlist_panel(qtbot)
    written = [a.text() for a in panel.list.context_menu(11).actions() if not a.isSeparator()]
    assert written[-1] == "Remove from playlist"
    _each_has_its_own_letter(_shown(qtbot, panel.list.context_menu(11)))
    box = PlaylistList()
    qtbot.addWidget(box)
    box.show_playlists([(1, "Jazz", 4)])
    box.show()
    _each_has_its_own_letter(_shown(qtbot, box.context_menu(1)))
    suggestions = SuggestionsPanel()
    qtbot.addWidget(suggestions)
    suggestions.show()
    save = suggestions.save_button.menu()
    _each_has_its_own_letter(_shown(qtbot, save))
    assert [a.text() for a in save.actions()] == ["Graph model list…", "Audio-only list…"]


def test_a_letter_in_an_open_rows_menu_chooses_its_entry(qtbot):
    panel = _playlist_panel(qtbot)
    menu = panel.list.context_menu(11)
    asked: list[list[int]] = []
    panel.remove_requested.connect(asked.append)
    menu.popup(QPoint(10, 10))
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is menu, timeout=10_000)
    remove = next(a for a in menu.actions() if "emove" in a.text())
    letter = access_letter(remove.text())
    assert letter, remove.text()
    QTest.keyClick(menu, getattr(Qt.Key, f"Key_{letter.upper()}"))
    qtbot.waitUntil(lambda: asked == [[11]], timeout=10_000)
    assert remove.text() == "Remove from playlist", "as written once the menu closed"


def test_remove_from_playlist_gets_its_r_and_a_count_no_digit(qtbot):
    panel = _playlist_panel(qtbot)
    single = _shown(qtbot, panel.list.context_menu(11))[-1]
    assert single.replace("&", "") == "Remove from playlist" and access_letter(single) == "r"
    panel.list.selectAll()
    several = _shown(qtbot, panel.list.context_menu(11))
    assert several[-1].replace("&", "") == "Remove 3 from playlist"
    assert access_letter(several[-1]).isalpha(), several
    _each_has_its_own_letter(several)
