"""Suggestions for a playlist with nothing to suggest from (an empty file, entries that did not
resolve): the tab said "(looking…)" for good. The controller now says why, for the tab to
show in its place — as the playlist's state, not as an error: a failed task is an error box
in the window, which popped up for merely choosing a fresh playlist (or after removing a
playlist's last track)."""

from __future__ import annotations

import pytest

from musicsage.usecases.library import scan_library


@pytest.mark.parametrize("text, why", [
    ("#EXTM3U\n", "Playlist 'Empty' is empty: nothing to suggest from"),
    ("#EXTM3U\nnowhere/not-a-track.flac\n",
     "Playlist 'Empty' has no track of the library (its entries did not resolve): nothing "
     "to suggest from"),
])
def test_a_playlist_with_nothing_to_suggest_from_says_why_without_an_error(
        library, make_app, recorder, tmp_path, text, why):
    empty = tmp_path / "src" / "Empty.m3u8"
    empty.write_text(text, encoding="utf-8")
    scan_library(library, [str(tmp_path / "src")], [str(empty)])
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    info = next(p for p in app.library.snapshot.playlists if p.name == "Empty")
    failed, loaded = recorder(app.suggestions.failed), recorder(app.suggestions.loaded)

    app.suggestions.show(info.id)
    runner.drain()

    assert len(loaded) == 0 and app.suggestions.result is None
    assert failed.calls == [(why,)]
    assert [text for level, text in app.notifications if level == "error"] == []


def test_a_real_failure_is_still_an_error(library, make_app, recorder, monkeypatch):
    """Only "nothing to suggest from" is quiet: a failure of the search itself is said."""
    from musicsage.errors import MusicsageError

    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    info = app.library.snapshot.playlists[0]

    def broken(*_args, **_kwargs):
        raise MusicsageError("the index cannot be read")

    monkeypatch.setattr("musicsage.usecases.suggest.suggest_tracks", broken)
    failed = recorder(app.suggestions.failed)
    app.suggestions.show(info.id)
    runner.drain()

    assert failed.calls == [("The index cannot be read",)]
    assert ("error", "suggestions: the index cannot be read") in app.notifications
