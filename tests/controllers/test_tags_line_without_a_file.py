"""The track box's tags line for a track that has no file to tag: it stayed blank — on the
28k-track library imported from spotify_songs every track's "Tags:" read as tags still
coming, or none found. It now says why there are none. No window, no Qt."""

from __future__ import annotations

import sqlite3

from musicsage.usecases.library import import_dataset


def _selected_tags(app, runner, recorder, track_id: int) -> tuple:
    lines = recorder(app.selection.tags)
    app.selection.select(track_id, play=False)
    runner.drain()
    return lines.last


def test_a_track_imported_without_an_audio_file_says_it_has_none_to_tag(
        library, make_app, recorder, tmp_path):
    d = tmp_path / "ds"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title,artist\nt0,A,X\n", encoding="utf-8")
    import_dataset(library, d)
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    imported = next(t for t in app.library.snapshot.tracks if not t.has_file)
    assert _selected_tags(app, runner, recorder, imported.id) == (
        "none: no audio file to tag", "")


def test_a_track_whose_file_is_missing_says_so(library, make_app, recorder):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    track = app.library.snapshot.tracks[0]
    with sqlite3.connect(library.db_path) as conn:  # what a scan records of a deleted file
        conn.execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (track.id,))
    app.library.reload()
    runner.drain()
    assert _selected_tags(app, runner, recorder, track.id) == (
        "none: its file is missing", "")
