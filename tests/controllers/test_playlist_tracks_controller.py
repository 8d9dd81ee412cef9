"""The Playlist tab without a window: the chosen playlist's tracks in its order, and "Remove
from playlist" through the service ``suggest --remove`` uses (a real library, InlineRunner)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from musicsage.controllers.playlist_tracks import playlist_tracks, why_not_removable
from musicsage.library.browse import PlaylistInfo
from musicsage.usecases.library import playlist_track_ids


def loaded(make_app, ctx):
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    return app, runner


def test_the_rows_are_the_playlists_tracks_in_its_order_a_missing_file_marked(library,
                                                                              make_app,
                                                                              recorder):
    playlist_id = 1
    members = playlist_track_ids(library, playlist_id)
    with sqlite3.connect(Path(library.data_dir) / "library.sqlite3") as db:
        db.execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (members[1],))
    db.close()
    app, runner = loaded(make_app, library)
    shown = recorder(app.playlist_tracks.shown)
    app.playlist_tracks.show(playlist_id)
    view = shown.last[0]
    assert [r.track_id for r in view.rows] == members
    assert [r.position for r in view.rows] == list(range(1, len(members) + 1))
    assert [bool(r.missing) for r in view.rows] == [i == 1 for i in range(len(members))]
    assert view.rows[1].missing == "missing"
    assert view.heading.startswith(f"{view.name} ({len(members)} tracks)\n")
    assert view.heading.endswith("\n1 missing")
    assert view.can_remove and not view.why_not
    app.playlist_tracks.show(None)
    assert shown.last == (None,) and app.playlist_tracks.view is None


def test_removing_writes_the_file_keeps_a_backup_and_everything_follows(library, make_app,
                                                                        recorder):
    """After the write the library is re-read: the tab, the count on the left (the
    snapshot's sizes) and the suggestions all show the smaller playlist."""
    app, runner = loaded(make_app, library)
    snap = app.library.snapshot
    info = snap.playlists[0]
    app.suggestions.show(info.id)
    app.playlist_tracks.show(info.id)
    runner.drain()
    members = playlist_track_ids(library, info.id)
    gone, before = members[:2], Path(info.path).read_bytes()
    busy = recorder(app.playlist_tracks.busy_changed)
    app.playlist_tracks.remove([gone[0], gone[1], gone[0]])  # a row chosen twice: once
    assert app.playlist_tracks.remove([members[2]]) is None, "one removal at a time"
    runner.drain()
    assert playlist_track_ids(library, info.id) == members[2:]
    level, text = app.notifications[-1]
    backups = Path(library.data_dir) / "playlist-backups"
    assert level == "info" and text.startswith(f"Removed 2 tracks from {Path(info.path).name} "
                                               f"(backup: {backups}")
    assert [b.read_bytes() for b in backups.iterdir()] == [before]
    assert [r.track_id for r in app.playlist_tracks.view.rows] == members[2:]
    assert app.library.snapshot.playlist_sizes()[info.id] == len(members) - 2
    assert app.suggestions.result.playlist["tracks"] == len(members) - 2
    assert busy.calls == [(True,), (False,)]


def test_the_button_comes_back_when_the_library_cannot_be_read_after_a_removal(
        library, make_app, recorder, monkeypatch):
    """The file was written, but re-reading the library failed: the button stayed off (busy
    waited for a snapshot that never came) until another playlist was chosen."""
    from musicsage.errors import MusicsageError

    app, runner = loaded(make_app, library)
    info = app.library.snapshot.playlists[0]
    app.playlist_tracks.show(info.id)
    members = playlist_track_ids(library, info.id)

    def unreadable(_ctx):
        raise MusicsageError("database disk image is malformed")

    monkeypatch.setattr("musicsage.usecases.library.library_stats", unreadable)
    busy = recorder(app.playlist_tracks.busy_changed)
    app.playlist_tracks.remove([members[0]])
    runner.drain()
    assert runner.ran[-2:] == ["Remove from playlist", "library"]
    assert playlist_track_ids(library, info.id) == members[1:], "the file was written"
    assert busy.calls == [(True,), (False,)] and not app.playlist_tracks.busy
    monkeypatch.undo()  # readable again: the next read shows the smaller playlist
    app.library.reload()
    runner.drain()
    assert [r.track_id for r in app.playlist_tracks.view.rows] == members[1:]
    assert busy.calls == [(True,), (False,)]


def test_a_playlist_edited_elsewhere_is_refused_in_one_line_untouched(library, make_app):
    app, runner = loaded(make_app, library)
    info = app.library.snapshot.playlists[1]
    app.playlist_tracks.show(info.id)
    path = Path(info.path)
    path.write_text(path.read_text(encoding="utf-8") + "# edited in another player\n",
                    encoding="utf-8")
    edited = path.read_bytes()
    app.playlist_tracks.remove([app.playlist_tracks.view.rows[0].track_id])
    runner.drain()
    level, text = app.notifications[-1]
    assert level == "error" and "changed on disk" in text and "\n" not in text, text
    assert text.startswith("Remove from playlist: ")
    assert path.read_bytes() == edited
    assert not app.playlist_tracks.busy, "the button is back for the retry after a rescan"


def test_a_players_or_a_datasets_playlist_says_why_before_anything_is_pressed():
    def info(path: str) -> PlaylistInfo:
        return PlaylistInfo(7, path, "Mix", "m3u", 3, 3, 0)

    assert why_not_removable(info("/home/u/Mix.m3u8"), "Mix") == ""
    player = why_not_removable(info("rhythmbox:/home/u/.local/share/rhythmbox/playlists.xml"
                                    "#Mix"), "Mix")
    assert "Rhythmbox" in player and "never writes" in player
    dataset = why_not_removable(info("dataset:/data/spotify#pl7"), "Mix")
    assert "dataset" in dataset and "\n" not in dataset


def test_removing_from_a_playlist_the_app_never_writes_is_refused_touching_nothing(library,
                                                                                   make_app):
    app, runner = loaded(make_app, library)
    info = app.library.snapshot.playlists[0]
    with sqlite3.connect(Path(library.data_dir) / "library.sqlite3") as db:
        db.execute("UPDATE playlists SET path = ?, format = 'rhythmbox' WHERE id = ?",
                   (f"rhythmbox:{Path(info.path).parent}/playlists.xml#Mix", info.id))
    db.close()
    app.library.reload()
    runner.drain()
    app.playlist_tracks.show(info.id)
    view = app.playlist_tracks.view
    assert not view.can_remove and "never writes" in view.why_not
    before = Path(info.path).read_bytes()
    assert app.playlist_tracks.remove([view.rows[0].track_id]) is None
    runner.drain()
    assert app.notifications[-1] == ("warning", view.why_not)
    assert Path(info.path).read_bytes() == before
    assert playlist_tracks(app.library.snapshot, 10_000) is None


def test_a_read_only_playlist_is_refused_in_one_line_untouched(library, make_app):
    import os

    app, runner = loaded(make_app, library)
    info = app.library.snapshot.playlists[2]
    app.playlist_tracks.show(info.id)
    path = Path(info.path)
    before = path.read_bytes()
    os.chmod(path, 0o444)
    try:
        app.playlist_tracks.remove([app.playlist_tracks.view.rows[0].track_id])
        runner.drain()
        assert path.read_bytes() == before
    finally:
        os.chmod(path, 0o644)
    level, text = app.notifications[-1]
    assert level == "error" and "read-only" in text and "\n" not in text, text
    assert not (Path(library.data_dir) / "playlist-backups").exists(), "no backup made"
