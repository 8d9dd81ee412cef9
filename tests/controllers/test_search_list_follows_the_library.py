"""The search list after the library changes under it: it kept the rows of the library read
before. A folder forgotten, its tracks stayed listed, and picking one showed an empty track
box over "track 7 (neighbours not found)"; a rescan that added a matching track did not list
it until the words were typed again (the map's rings followed, the list did not)."""

from __future__ import annotations

from musicsage.usecases.library import scan_library


def test_the_search_list_is_answered_again_on_each_library(library, make_app, recorder,
                                                           tmp_path):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    word = next(t.title for t in app.library.snapshot.tracks if t.title).split()[0]
    results = recorder(app.library.search_results)
    app.library.search(word)
    runner.drain()
    text, rows, _note = results.calls[-1]
    assert text == word and rows, f"{word!r} lists some tracks"

    folder, = [name for name, _n in app.library.folders()]
    app.library.forget(folder)
    runner.drain()
    text, rows, note = results.calls[-1]
    assert text == word and rows == [], "no row of a track the library no longer holds"
    assert note, "the list says nothing matches now"

    scan_library(library, [str(tmp_path / "src" / "music")])  # its tracks back, new ids
    app.library.reload()
    runner.drain()
    text, rows, _note = results.calls[-1]
    assert text == word and rows, "the tracks back are listed without typing again"
    assert {tid for tid, _label in rows} <= set(app.library.snapshot.by_id)


def test_a_cleared_search_is_not_run_again(library, make_app, recorder):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    app.library.search("song")
    runner.drain()
    app.library.search("")
    results = recorder(app.library.search_results)
    app.library.reload()
    runner.drain()
    assert results.calls == [], "an empty box asks for nothing"
