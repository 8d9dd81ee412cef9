"""The rows' context menus (a track list's, the playlists', the Playlist tab's) and the
Suggestions tab's Save… menu give each entry an access letter of its own while shown, as the
menu bar's menus do: a keyboard user who opened one with the Menu key could only walk it with
the arrows, a letter did nothing. The entries' texts are as written again once it closes. The
entries every track list's menu shares keep their letters in the Playlist tab's, whose Remove
(below a separator) gets another: there R chose "Remove from playlist", which writes the
playlist file at once, where in every other list it is "Play similar (radio)". A count in an
entry gives no digit ("Remove 3 …" got the 3)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gui_support import each_has_its_own_letter, menu_texts_while_shown
from musicsage.controllers.playlist_tracks import PlaylistRow, PlaylistTracks
from musicsage.gui.menu_letters import access_letter
from musicsage.gui.playlist_list import PlaylistList
from musicsage.gui.playlist_panel import PlaylistPanel
from musicsage.gui.suggestions_panel import SuggestionsPanel
from musicsage.gui.track_list import TrackList


def _playlist_panel(qtbot) -> PlaylistPanel:
    rows = tuple(PlaylistRow(10 + i, i + 1, f"Song {i}", "Band", f"/music/{i}.flac", 185.0, "")
                 for i in range(3))
    panel = PlaylistPanel()
    qtbot.addWidget(panel)
    panel.show_tracks(PlaylistTracks(3, "Mix", "m3u", "/music/Mix.m3u8", rows, 0, ""))
    panel.show()
    return panel


def test_every_rows_menu_has_a_letter_for_each_entry_whilemenu_texts_while_shown(qtbot):
    panel = _playlist_panel(qtbot)
    written = [a.text() for a in panel.list.context_menu(11).actions() if not a.isSeparator()]
    assert written[-1] == "Remove from playlist"
    each_has_its_own_letter(menu_texts_while_shown(qtbot, panel.list.context_menu(11)))
    box = PlaylistList()
    qtbot.addWidget(box)
    box.show_playlists([(1, "Jazz", 4)])
    box.show()
    each_has_its_own_letter(menu_texts_while_shown(qtbot, box.context_menu(1)))
    suggestions = SuggestionsPanel()
    qtbot.addWidget(suggestions)
    suggestions.show()
    save = suggestions.save_button.menu()
    each_has_its_own_letter(menu_texts_while_shown(qtbot, save))
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


def test_the_shared_entries_keep_their_letters_and_remove_gets_another(qtbot):
    other = TrackList()  # any other track list: the neighbours', the suggestions'
    qtbot.addWidget(other)
    other.show()
    shared = menu_texts_while_shown(qtbot, other.context_menu(11))
    assert access_letter(shared[-1]) == "r", shared  # Play similar (radio)
    panel = _playlist_panel(qtbot)
    for select_all in (False, True):  # one row, then 3 ("Remove 3 from playlist")
        if select_all:
            panel.list.selectAll()
        texts = menu_texts_while_shown(qtbot, panel.list.context_menu(11))
        letters = [access_letter(t) for t in texts[:-1]]  # "Play 3 next" keeps Play next's N
        assert letters == [access_letter(t) for t in shared], "the shared entries keep theirs"
        remove = texts[-1]
        assert remove.replace("&", "").startswith("Remove "), texts
        assert access_letter(remove).isalpha(), texts  # no digit of the count
        each_has_its_own_letter(texts)
