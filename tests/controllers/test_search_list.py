"""The search list's last line (:func:`musicsage.controllers.library.search_note`)."""

from __future__ import annotations

from musicsage.controllers import library as library_controller
from musicsage.controllers.library import search_note
from musicsage.controllers.search_words import SEARCHED, playlists_named
from musicsage.text import search_words


def test_the_list_says_when_it_stops_short_of_every_match():
    """Typing "e" in the demo (240 tracks) listed 100 and said nothing of the other 140,
    all ringed on the map."""
    assert search_note("zzz", 0, 100) == f"no {SEARCHED} matches ‘zzz’"
    assert search_note("e", 100, 100) == ""
    assert search_note("e", 101, 100) == ("more than 100 match: the first 100 are listed, all are "
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
    assert results.calls[-1] == ("zzzqqq", [], f"no {SEARCHED} matches ‘zzzqqq’"), \
        "the line the window shows, worded here once"
    app.library.search("")
    assert results.calls[-1] == ("", [], "")


def test_the_line_names_every_field_searched_and_playlists_answer_the_same_words(
        library, make_app, recorder):
    """A track found by its album artist alone, under a line that named title, artist,
    album or file name; the playlists offered split the words by a rule of their own."""
    from musicsage.library.db import connect

    with connect(library) as conn:
        conn.execute("UPDATE tracks SET albumartist = 'Orchestra Quintarelli' WHERE id = "
                     "(SELECT MIN(id) FROM tracks)")
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    results = recorder(app.library.search_results)
    app.library.search("quintarelli")
    runner.drain()
    assert len(results.calls[-1][1]) == 1
    assert "album artist" in SEARCHED
    assert search_words("Jazz – Essentials ") == ["jazz", "essentials"]
    assert playlists_named("jazz - ess", [(1, "Jazz Essentials", 3)]) == [(1, "Jazz Essentials",
                                                                          3)]
