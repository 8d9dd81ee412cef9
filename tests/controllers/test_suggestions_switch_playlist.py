"""Choosing another playlist while the last one's suggestions are shown: "Add to playlist"
must never write the chosen rows into the playlist chosen before (its rows stayed listed and
selected under the new playlist's name, and the add went to the old file)."""

from __future__ import annotations

from pathlib import Path

from musicsage.usecases.library import playlist_track_ids


def test_an_add_after_choosing_another_playlist_writes_no_file(library, make_app):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    first, second = app.library.snapshot.playlists[:2]
    app.suggestions.show(first.id)
    runner.drain()
    result = app.suggestions.result
    picked = [r["track_id"] for r in (result.audio or result.graph)[:1]]
    assert picked, "the first playlist has suggestions to pick from"
    files = {p: Path(p).read_bytes() for p in (first.path, second.path)}
    members = {i: playlist_track_ids(library, i) for i in (first.id, second.id)}

    app.suggestions.show(second.id)  # its suggestions not in yet
    app.suggestions.add(picked)  # the rows the window still showed, still selected
    runner.drain()

    assert {p: Path(p).read_bytes() for p in files} == files
    assert {i: playlist_track_ids(library, i) for i in members} == members
    assert app.suggestions.result.playlist["playlist_id"] == second.id
