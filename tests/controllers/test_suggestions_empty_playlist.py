"""Suggestions for a playlist with nothing to suggest from (an empty file): the tab said
"(looking…)" for good. The controller now says why, for the tab to show in its place."""

from __future__ import annotations

from musicsage.usecases.library import scan_library


def test_an_empty_playlist_says_why_it_has_no_suggestions(library, make_app, recorder,
                                                          tmp_path):
    empty = tmp_path / "src" / "Empty.m3u8"
    empty.write_text("#EXTM3U\n", encoding="utf-8")
    scan_library(library, [str(tmp_path / "src")], [str(empty)])
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    info = next(p for p in app.library.snapshot.playlists if p.name == "Empty")
    failed, loaded = recorder(app.suggestions.failed), recorder(app.suggestions.loaded)

    app.suggestions.show(info.id)
    runner.drain()

    assert len(loaded) == 0 and app.suggestions.result is None
    assert failed.calls == [("Playlist 'Empty' is empty: nothing to suggest from",)]
    assert app.notifications[-1][1] == "suggestions: playlist 'Empty' is empty: nothing to suggest from"
