"""Which page the window shows (AppController.page): a library being read is "opening", not
the welcome page — which invited a user with 28,000 tracks to add their music for seconds."""

from __future__ import annotations

from types import SimpleNamespace

from musicsage.usecases.snapshot import LibrarySnapshot


def _snapshot(n_tracks: int) -> LibrarySnapshot:
    return LibrarySnapshot(stats=None, tracks=[SimpleNamespace(id=i) for i in range(n_tracks)],
                           playlists=[], memberships=[], audio_model=None, graph_model=None)


def test_the_page_is_opening_until_the_library_is_read_then_welcome_only_if_empty(
        make_app, ctx):
    app, runner = make_app(ctx)
    assert app.page == "opening"
    app.library.reload()
    runner.drain()
    assert app.library.snapshot.empty and app.page == "welcome"
    app.library.snapshot = _snapshot(3)
    assert app.page == "library"
    app.set_context(ctx)  # another library (the demo, back home): being read again
    assert app.page == "opening"
