"""The search list's last line (:func:`musicsage.controllers.library.search_note`)."""

from __future__ import annotations

from musicsage.controllers import library as library_controller
from musicsage.controllers.library import search_note


def test_the_list_says_when_it_stops_short_of_every_match():
    """Typing "e" in the demo (240 tracks) listed 100 and said nothing of the other 140,
    all ringed on the map."""
    assert search_note(0, 100) == "no match"
    assert search_note(100, 100) == ""
    assert search_note(101, 100) == ("more than 100 match: the first 100 are listed, all are "
                                      "ringed on the map")


def test_a_search_lists_the_first_matches_and_says_there_are_more(library, make_app, recorder,
                                                                   monkeypatch):
    monkeypatch.setattr(library_controller, "SEARCH_SHOWN", 3)
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    results = recorder(app.library.search_results)
    app.library.search("Song")
    runner.drain()
    text, rows, note = results.calls[-1]
    assert text == "Song" and len(rows) == 3
    assert note.startswith("more than 3 match")
    app.library.search("zzzqqq")
    runner.drain()
    assert results.calls[-1] == ("zzzqqq", [], "no match")
    app.library.search("")
    assert results.calls[-1] == ("", [], "")
