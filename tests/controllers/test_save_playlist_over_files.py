"""The window's "Save as playlist…": its file dialog asks before it names a file that exists,
so the controller replaces another playlist there (the command line refuses one musicsage did
not write: nobody asked the user) — but never a file of another kind, which a slip of the
keyboard could name."""

from __future__ import annotations


def test_the_window_replaces_a_playlist_the_user_agreed_to_replace(library, make_app, tmp_path):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    ids = [t.id for t in app.library.snapshot.tracks[:3]]
    theirs = tmp_path / "Road trip.m3u8"
    theirs.write_text("my notes\nline two\n", encoding="utf-8")  # the dialog asked: replace
    app.save_tracks(str(theirs), ids, "Road trip")
    runner.drain()
    assert theirs.read_text(encoding="utf-8").startswith("#EXTM3U\n#PLAYLIST:Road trip\n")
    level, text = app.notifications[-1]
    assert level == "info" and text.startswith(f"Saved 3 tracks to {theirs}; the playlist it replaced is backed up in ")
    backup = text.rsplit(" backed up in ", 1)[1]
    assert open(backup, encoding="utf-8").read() == "my notes\nline two\n"  # the user's file kept
    song = tmp_path / "song.flac"
    song.write_bytes(b"fLaC audio")
    app.save_tracks(str(song), ids, "Road trip")
    runner.drain()
    assert song.read_bytes() == b"fLaC audio"
    level, text = app.notifications[-1]
    assert level == "error" and "song.flac exists and is not an M3U playlist" in text, text
