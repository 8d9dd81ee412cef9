"""Ctrl+Enter on a row of the Playlist tab selects its track, as from any other list of
tracks: the window wires every track list's "Select" to the selection, and the Playlist tab's
list is a model-backed view, not a tree widget."""

from __future__ import annotations

from PySide6.QtCore import Qt

from musicsage.usecases.library import list_playlists, playlist_track_ids


def test_ctrl_enter_on_a_playlist_row_selects_its_track(qtbot, make_window, library):
    w = make_window(library)
    members = playlist_track_ids(library, list_playlists(library)[0].id)
    w.right.setCurrentWidget(w.playlist)
    w.library.playlists.item(0).setSelected(True)
    lst = w.playlist.list
    qtbot.waitUntil(lambda: lst.track_ids() == members, timeout=10_000)
    lst.setFocus()
    lst.setCurrentItem(lst.topLevelItem(1))
    qtbot.keyClick(lst, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.app.selection.selected == members[1], timeout=10_000)
