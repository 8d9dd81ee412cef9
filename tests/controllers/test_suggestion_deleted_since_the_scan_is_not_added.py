"""A suggestion whose file was deleted after the last scan (the library still holds it as
present): "Add to playlist" wrote it into the playlist's own file, an entry to nothing, and
said "Added 1 track". It is now left out and the "Not added" line says why; the playlist's
file is not touched when nothing is left to add."""

from __future__ import annotations

import os
from pathlib import Path

from playlist_write_support import loaded_suggestions

from musicsage.usecases.library import playlist_track_ids
from musicsage.usecases.suggest import FILE_GONE, add_to_playlist


def test_a_suggestion_deleted_since_the_scan_is_not_written(library, make_app):
    app, runner = make_app(library)
    playlist, ids = loaded_suggestions(app, runner)
    gone, kept = ids[:2]
    os.remove(app.library.snapshot.by_id[gone].path)  # deleted by another program; no rescan
    before = Path(playlist.path).read_bytes()

    app.suggestions.add([gone])
    runner.drain()

    assert Path(playlist.path).read_bytes() == before, "the file is not touched"
    assert gone not in playlist_track_ids(library, playlist.id)
    assert not any(text.startswith("Added") for _level, text in app.notifications)
    assert any(level == "warning" and text.startswith("Not added:") and FILE_GONE in text
               for level, text in app.notifications)

    app.suggestions.add([gone, kept])  # with one still there: that one alone is written
    runner.drain()
    members = playlist_track_ids(library, playlist.id)
    assert kept in members and gone not in members


def test_the_use_case_says_why_and_adds_the_others(library):
    from musicsage.usecases.library import list_playlists, list_tracks

    playlist = list_playlists(library)[0]
    members = set(playlist_track_ids(library, playlist.id))
    others = [t for t in list_tracks(library) if t.id not in members]
    os.remove(others[0].path)

    report = add_to_playlist(library, playlist.id, [others[0].id, others[1].id])

    assert report.added == [others[1].id]
    assert {"track_id": others[0].id, "reason": FILE_GONE} in report.skipped


def test_a_track_whose_whole_folder_is_away_is_still_added(library):
    """A drive not mounted takes the folder too: the entry is written, and reads back once
    the drive is back (the scan keeps such tracks), as before."""
    from musicsage.usecases.library import list_playlists, list_tracks

    playlist = list_playlists(library)[0]
    members = set(playlist_track_ids(library, playlist.id))
    track = next(t for t in list_tracks(library) if t.id not in members)
    folder = Path(track.path).parent
    folder.rename(folder.with_name(folder.name + " (away)"))
    try:
        report = add_to_playlist(library, playlist.id, [track.id])
    finally:
        folder.with_name(folder.name + " (away)").rename(folder)

    assert report.added == [track.id]
