"""The window's word on training in a library with no track at all: ``models`` (and ``train``)
say to scan a music folder first, while the window said "needs playlists that name tracks of
this library: import some (File ▸ Import playlists…)" — playlists that could name none of its
tracks. It now says to add a music folder, in the window's words."""

from __future__ import annotations

from musicsage.controllers.training import train_advice
from musicsage.library.db import connect
from musicsage.usecases.snapshot import load_snapshot


def test_a_library_without_tracks_is_told_to_add_a_music_folder(ctx):
    connect(ctx)  # the library, empty
    assert train_advice(load_snapshot(ctx)) == (
        "training one needs tracks, and the library has none: add a music folder first "
        "(File ▸ Add music folder…)")


def test_a_library_with_tracks_but_no_playlists_is_still_told_to_import_some(ctx, tmp_path):
    conn = connect(ctx)
    conn.execute("INSERT INTO tracks(path, size, mtime_ns, format, status) "
                 "VALUES (?, 1, 1, 'wav', 'missing')", (str(tmp_path / "a.wav"),))
    conn.commit()
    assert train_advice(load_snapshot(ctx)) == (  # a missing track is a track all the same
        "training one needs playlists that name tracks of this library: import some "
        "(File ▸ Import playlists…)")
