"""The Suggestions tab's hint in a library without playlists.

It said "Choose a playlist on the left: tracks to add to it appear here." beside a list that
said "No playlists yet", and named nothing to do (a library made by ``scan`` of a music
folder has no playlist). It now says what choosing a playlist gives and where one comes
from, in words the window really offers: Import playlists….
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from gui_support import settle
from music_support import make_music
from musicsage.usecases.library import scan_library


def test_no_playlists_the_hint_says_how_to_get_one(qtbot, make_window, ctx, tmp_path):
    music, _playlists, _paths = make_music(tmp_path / "src", n_tracks=3)
    scan_library(ctx, [str(music)])  # music only: no playlist
    w = make_window(ctx)
    w.resize(1024, 640)  # the smallest window the audit looked at
    w.right.setCurrentWidget(w.suggestions)
    settle(qtbot, w)
    assert w.app.library.snapshot.playlists == []
    heading = w.suggestions.heading
    text = heading.text()

    assert "tracks to add" in text
    assert w.actions_.import_playlists.text() in text  # "Import playlists…", as in File
    assert QLabel.text(heading) == text, "whole, not cut, at 1024 px"
