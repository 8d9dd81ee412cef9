"""The map's text search after the library changes under it: its only folder forgotten, the
matches stayed (the key said "N search matches" over an empty map); its tracks back, the
search was not run again and what was typed matched nothing until it was typed anew."""

from __future__ import annotations

from musicsage.usecases.library import scan_library


def _one_word_of_a_title(app) -> str:
    titles = [t.title for t in app.library.snapshot.tracks if t.title]
    return titles[0].split()[0]


def test_the_map_search_is_run_again_on_each_library(library, make_app, tmp_path):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    word = _one_word_of_a_title(app)
    said = []
    app.map_tools.matched.connect(said.append)
    app.map_tools.search(word)
    runner.drain()
    found = set(app.map_tools.matches)
    assert found, f"{word!r} matches some tracks"

    folder, = [name for name, _n in app.library.folders()]
    app.library.forget(folder)
    runner.drain()
    assert not app.library.snapshot.tracks
    assert app.map_tools.matches == [] and said[-1] == [], "no matches on an empty map"

    scan_library(library, [str(tmp_path / "src" / "music")])  # the library fixture's music
    app.library.reload()
    runner.drain()
    assert app.map_tools.search_text == word
    assert app.map_tools.matches and said[-1] == app.map_tools.matches
    assert len(app.map_tools.matches) == len(found), "the same tracks, under their new ids"
    assert set(app.map_tools.matches) <= set(app.library.snapshot.by_id)
