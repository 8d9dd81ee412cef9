"""Adds in the Suggestions tab while the window switches libraries. A library opened again
(A, then B, then A) is the same library: an add waiting for it was dropped as "another library
was opened" (told to "add it again"), since the library was told apart by its context object,
not its folder. An add that ended while another library was shown re-read that one for
nothing: its file is not in it."""

from __future__ import annotations

from musicsage.usecases.library import playlist_track_ids

from test_suggestions_added_one_after_another import _errors, _loaded_playlist, _run


def test_an_add_waiting_while_its_library_is_opened_again_is_added(library, make_app,
                                                                     tmp_path):
    from musicsage.context import AppContext

    app, runner = make_app(library)
    playlist, ids = _loaded_playlist(app, runner)
    app.suggestions.add([ids[0]])
    app.suggestions.add([ids[1]])  # waits for the first
    app.set_context(AppContext.create(tmp_path / "other-data"))
    app.set_context(AppContext.create(library.data_dir))  # the first library again
    runner.drain()

    said = [text for _level, text in app.notifications]
    assert _errors(app) == []
    assert not any(text.startswith("Not added") for text in said), said
    assert playlist_track_ids(library, playlist.id)[-2:] == ids[:2]
    assert not any(" in the library at " in text for text in said), said


def test_an_add_that_ends_while_another_library_is_shown_reads_no_library(library, make_app,
                                                                           tmp_path):
    from musicsage.context import AppContext

    app, runner = make_app(library)
    playlist, ids = _loaded_playlist(app, runner)
    app.suggestions.add([ids[0]])
    app.set_context(AppContext.create(tmp_path / "other-data"))
    reads_before = [task.name for task in runner.queue].count("library")
    _run(runner, "Add to playlist")

    assert [task.name for task in runner.queue].count("library") == reads_before
    assert playlist_track_ids(library, playlist.id)[-1] == ids[0]
