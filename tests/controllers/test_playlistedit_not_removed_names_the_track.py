""""Remove from playlist" of a track that is no longer in the playlist (another program, or
``suggest --remove`` in a terminal, took it out since the window read the library) says which
track it did not remove by the name the window shows it under: "Not removed: #7 not in the
playlist" named it by an id the window shows nowhere ("#25 meant nothing", the add's line
said, and names them)."""

from __future__ import annotations

from musicsage.library.db import connect
from musicsage.library.playlists.remove import remove_from_playlist
from musicsage.usecases.library import list_playlists, playlist_track_ids


def test_a_track_already_taken_out_is_named_as_the_window_names_it(library, make_app):
    playlist = next(p for p in list_playlists(library)
                    if len(set(playlist_track_ids(library, p.id))) >= 2)
    tid = playlist_track_ids(library, playlist.id)[0]
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    app.playlist_tracks.show(playlist.id)
    label = app.selection.label(tid)
    assert label and label != str(tid)
    # a terminal's `suggest --remove` meanwhile: the window's list still shows the track
    remove_from_playlist(connect(library), library.data_dir, playlist.id, [tid])
    app.playlist_tracks.remove([tid])
    runner.drain()

    warnings = [text for level, text in app.notifications if level == "warning"]
    assert warnings == [f"Not removed: {label} (not in the playlist)"]
    assert f"#{tid}" not in warnings[0]
