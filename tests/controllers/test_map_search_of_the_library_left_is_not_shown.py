"""The map's search of a library that ends after the window switched to another one (File ▸
Open demo library, or back), before that one is read: its matches, ids of the library left,
were ringed on the library shown — other tracks, or none — until the new library's own
search ended. They are dropped; the new library's search rings its own tracks."""

from __future__ import annotations

from music_support import make_music


def test_a_map_search_ending_after_a_switch_rings_nothing_of_the_library_left(
        library, make_app, recorder, tmp_path):
    from musicsage.context import AppContext
    from musicsage.usecases.library import scan_library

    other = AppContext.create(tmp_path / "other-data")
    music, _, _ = make_music(tmp_path / "other", n_tracks=3, seconds=1.0, seed=7)
    scan_library(other, [str(music)], [])
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    left = {t.id for t in app.library.snapshot.tracks}
    matched = recorder(app.map_tools.matched)
    app.map_tools.search("a")  # titles "Track …", "… Artist …": every track matches
    search, = [t for t in runner.queue if t.name == "map search"]
    runner.queue.remove(search)

    assert app.set_context(other)  # the new library not read yet: its search not asked
    search.execute()  # the library left's search ends now
    assert matched.calls == [], "the library left's matches are not ringed"
    assert app.map_tools.matches == []

    app.library.reload()
    runner.drain()
    shown = {t.id for t in app.library.snapshot.tracks}
    assert len(shown) == 3 and shown != left
    assert set(app.map_tools.matches) == shown, "the new library's own search rings its tracks"
    assert matched.last == (app.map_tools.matches,)
