"""The Playlist tab's hint in a library without playlists.

It said "Choose a playlist on the left: its tracks appear here, in its order." beside a list
that said "No playlists yet", naming nothing to do; it now says where playlists come from, in
the words the window offers (Import playlists…), as the Suggestions
tab's hint does.
"""

from __future__ import annotations

from gui_support import settle
from music_support import make_music
from musicsage.usecases.library import scan_library


def test_no_playlists_the_playlist_tab_says_how_to_get_one(qtbot, make_window, ctx, tmp_path):
    music, _playlists, _paths = make_music(tmp_path / "src", n_tracks=3)
    scan_library(ctx, [str(music)])  # music only: no playlist
    w = make_window(ctx)
    w.resize(1024, 640)
    w.right.setCurrentWidget(w.playlist)
    settle(qtbot, w)
    assert w.app.library.snapshot.playlists == []
    text = w.playlist.heading.text()

    assert text.startswith("Choose a playlist"), text
    assert w.actions_.import_playlists.text() in text  # "Import playlists…", as in File
