"""A QUERY typed in quotes, as the search box reads a phrase ('"Paper Boats"', “Paper Boats”),
names the track its words name: it said "no track matches". A title that holds the quotes
itself is still found as typed first, while a title that only contains the quoted text does
not win over the title itself."""

from __future__ import annotations

import pytest
from search_helpers import add_track, run_cli

from musicsage.errors import MusicsageError
from musicsage.search.query import resolve_query


@pytest.fixture
def titled(library):
    def add(title: str, artist: str = "Ann") -> int:
        return add_track(library.conn, str(library.root / f"{len(library.ids)}.wav"),
                         title=title, artist=artist)

    ids = {}
    for title in ("Paper Boats", "Paper Boats in Spring", '"Heroes"', "Heroes and Villains"):
        ids[title] = add(title)
        library.ids.append(ids[title])
    return library, ids


@pytest.mark.parametrize("typed", ['"Paper Boats"', "“Paper Boats”", "«Paper Boats»",
                                   '"Ann - Paper Boats"'])
def test_a_quoted_title_names_its_track(titled, typed):
    library, ids = titled
    assert resolve_query(library.conn, typed) == ids["Paper Boats"]


def test_a_title_in_quotes_is_found_as_typed_first(titled):
    library, ids = titled
    assert resolve_query(library.conn, '"Heroes"') == ids['"Heroes"']


def test_the_title_without_quotes_wins_over_a_title_containing_them(titled):
    """'Sailing "Paper Boats"' only contains the text typed; "Paper Boats" is the title."""
    library, ids = titled
    add_track(library.conn, str(library.root / "sailing.wav"), title='Sailing "Paper Boats"',
              artist="Bo")
    assert resolve_query(library.conn, '"Paper Boats"') == ids["Paper Boats"]
    assert resolve_query(library.conn, '"Heroes"') == ids['"Heroes"']


def test_quotes_around_nothing_known_still_say_no_track_matches(titled):
    library, _ = titled
    with pytest.raises(MusicsageError, match="no track matches"):
        resolve_query(library.conn, '"Nothing Like It"')


def test_similar_takes_a_quoted_title(capsys, ctx, titled):
    library, ids = titled
    library.embed([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]])
    rc, out, err = run_cli(capsys, ctx, "similar", '"Paper Boats"', "-k", "1")
    assert rc == 0, err
    assert out.startswith(f"Similar to #{ids['Paper Boats']}: Ann - Paper Boats")


def test_a_title_found_as_typed_is_not_read_again_without_its_quotes(titled, monkeypatch):
    """The unquoted reading is matched against the library only when a tier reaches it.
    Before each tier tried both readings, the typed one was matched alone first as well, so
    this passed then too: it guards the tier-by-tier loop against matching both readings up
    front (a library of 100,000 tracks read twice where the title typed was found at once)."""
    import musicsage.search.query as query_module

    library, ids = titled
    read = []
    tiers = query_module.text_tiers
    monkeypatch.setattr(query_module, "text_tiers",
                        lambda text, rows: read.append(text) or tiers(text, rows))

    assert resolve_query(library.conn, '"Heroes"') == ids['"Heroes"']
    assert read == ['"Heroes"']
    assert resolve_query(library.conn, '"Paper Boats"') == ids["Paper Boats"]
    assert read[1:] == ['"Paper Boats"', "Paper Boats"]  # the second, when it was reached
