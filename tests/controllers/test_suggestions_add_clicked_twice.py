""""Add to playlist" clicked twice while the first add was written (a double click, an
impatient second click): the same tracks were queued again, and once the first add ended
the status line warned "Not added: … (already in the playlist)" — a warning for an add that
worked. Tracks chosen again while they are being written are not sent again; the line says
they are already being added, and tracks newly chosen with them still wait and are added. So
too once the add ended, until the suggestions are read again: they still list the tracks."""

from __future__ import annotations

from playlist_write_support import loaded_suggestions

from musicsage.usecases.library import playlist_track_ids


def test_the_same_tracks_clicked_again_are_added_once_without_a_warning(library, make_app):
    app, runner = make_app(library)
    playlist, ids = loaded_suggestions(app, runner)
    app.suggestions.add([ids[0]])
    assert app.suggestions.add([ids[0]]) is None
    assert app.notifications[-1][0] == "info"
    assert "already being added" in app.notifications[-1][1].lower()
    runner.drain()

    assert playlist_track_ids(library, playlist.id).count(ids[0]) == 1
    assert not [text for level, text in app.notifications if level in ("warning", "error")]
    assert sum(text.startswith("Added 1 track to") for _l, text in app.notifications) == 1


def test_new_tracks_chosen_with_them_still_wait_and_are_added(library, make_app):
    app, runner = make_app(library)
    playlist, ids = loaded_suggestions(app, runner)
    app.suggestions.add([ids[0]])
    app.suggestions.add([ids[0], ids[1]])
    assert app.notifications[-1] == ("info", "1 track will be added once the add under way ends")
    runner.drain()

    assert playlist_track_ids(library, playlist.id)[-2:] == ids[:2]
    assert not [text for level, text in app.notifications if level in ("warning", "error")]


def _run_the_add_alone(runner) -> None:
    """The add ends; the library's re-read it asks for (and the suggestions read after it)
    has not run yet, as in the window for a moment after "Added 1 track"."""
    task = runner.queue.pop(0)
    assert task.name == "Add to playlist"
    assert task.execute() is None


def test_the_same_tracks_clicked_again_before_the_suggestions_follow_are_not_sent(
        library, make_app):
    """Between the add's end and the suggestions read again, the track is still listed:
    Add on it again warned "Not added: … (already in the playlist)"."""
    app, runner = make_app(library)
    playlist, ids = loaded_suggestions(app, runner)
    app.suggestions.add([ids[0]])
    _run_the_add_alone(runner)
    assert any(name != "Add to playlist" for name in (t.name for t in runner.queue))
    assert app.suggestions.add([ids[0]]) is None
    assert app.notifications[-1][0] == "info"
    assert "already added" in app.notifications[-1][1].lower()
    runner.drain()

    assert playlist_track_ids(library, playlist.id).count(ids[0]) == 1
    assert not [text for level, text in app.notifications if level in ("warning", "error")]
    result = app.suggestions.result
    assert ids[0] not in [row["track_id"] for row in (result.audio or result.graph)]


def test_new_tracks_chosen_with_them_then_are_added(library, make_app):
    app, runner = make_app(library)
    playlist, ids = loaded_suggestions(app, runner)
    app.suggestions.add([ids[0]])
    _run_the_add_alone(runner)
    app.suggestions.add([ids[0], ids[1]])
    runner.drain()

    assert playlist_track_ids(library, playlist.id)[-2:] == ids[:2]
    assert not [text for level, text in app.notifications if level in ("warning", "error")]


def test_tracks_removed_meanwhile_and_chosen_again_are_added(library, make_app):
    """Added, then removed in the Playlist tab before the suggestions followed (a reload of a
    big library takes seconds), the track is still listed: Add on it said "Already added …
    chosen again" and added nothing, though the playlist no longer held it."""
    app, runner = make_app(library)
    playlist, ids = loaded_suggestions(app, runner)
    app.suggestions.add([ids[0]])
    _run_the_add_alone(runner)
    app.playlist_tracks.show(playlist.id)
    removal = app.playlist_tracks.remove([ids[0]])  # runs before the add's reload
    runner.queue.remove(removal)
    assert removal.execute() is None
    assert ids[0] not in playlist_track_ids(library, playlist.id)
    app.suggestions.add([ids[0]])
    runner.drain()

    assert playlist_track_ids(library, playlist.id).count(ids[0]) == 1
    assert not [text for _level, text in app.notifications if "already added" in text.lower()]
    assert not [text for level, text in app.notifications if level in ("warning", "error")]
    assert sum(text.startswith("Added 1 track to") for _l, text in app.notifications) == 2
