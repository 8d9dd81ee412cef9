"""Choosing a 30,000-track playlist read every entry anew (0.1-0.7 s on the window's thread)
each time it was chosen, back from another one included. It is read once a library read:
chosen again, the same rows at once; after the library is re-read, read again from it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from musicsage.controllers import playlist_tracks as module
from musicsage.usecases.library import playlist_track_ids


def test_a_playlist_chosen_again_is_not_read_again_until_the_library_is(library, make_app,
                                                                      recorder, monkeypatch):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    reads = []
    read = module.playlist_tracks
    monkeypatch.setattr(module, "playlist_tracks",
                        lambda snap, pid: reads.append(pid) or read(snap, pid))
    first, second = (p.id for p in app.library.snapshot.playlists[:2])
    shown = recorder(app.playlist_tracks.shown)
    app.playlist_tracks.show(first)
    rows = shown.last[0].rows
    app.playlist_tracks.show(second)
    app.playlist_tracks.show(first)
    assert reads == [first, second], "chosen again: not read again"
    assert shown.last[0].rows == rows

    members = playlist_track_ids(library, first)
    with sqlite3.connect(Path(library.data_dir) / "library.sqlite3") as db:
        db.execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (members[0],))
    db.close()
    app.library.reload()
    runner.drain()
    assert reads[-1] == first, "a new library read: the playlist read from it"
    assert shown.last[0].rows[0].missing == "missing", "what the new read says"


def test_the_old_librarys_snapshot_is_let_go_after_a_switch(library, make_app, tmp_path):
    """Kept for a playlist chosen again, the last snapshot read stayed in memory after a switch
    to another library with no playlist chosen: the old library's whole snapshot."""
    import gc
    import weakref

    from musicsage.context import AppContext
    from musicsage.usecases.library import scan_library
    from music_support import make_music

    other_music, _, _ = make_music(tmp_path / "other", n_tracks=2, seconds=1.0, seed=3)
    other = AppContext.create(tmp_path / "other-data")
    scan_library(other, [str(other_music)], [])
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    app.playlist_tracks.show(app.library.snapshot.playlists[0].id)
    old = weakref.ref(app.library.snapshot)
    app.set_context(other)  # the playlist unchosen: nothing read from the new library
    app.library.reload()
    runner.drain()
    assert app.playlist_tracks.view is None
    gc.collect()
    assert old() is None, "the old library's snapshot is let go"
