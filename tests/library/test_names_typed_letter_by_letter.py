"""A name found at every keystroke of typing it as written: an apostrophe typed last ("o'",
"don'", "rock 'n") found nothing of "O'Connor", "Don't" or "Rock'n'Roll Train" while the
index had left it out; and the playlists panel's filter reads words as the search box does
("mo" left "MØ and friends" out of the panel while the search box offered it)."""

from __future__ import annotations

import pytest

from musicsage.controllers.playlist_order import matches, sorted_playlists
from musicsage.controllers.search_words import playlists_named
from musicsage.library.browse import list_tracks, search_in, search_tracks
from musicsage.library.db import connect

NAMES = {"oconnor": ("Nothing Compares 2 U", "Sinéad O'Connor"),
         "dago": ("Blue (Da Ba Dee)", "D'Agostino"),
         "queen": ("Don't Stop Me Now", "Queen"),
         "acdc": ("Rock'n'Roll Train", "AC/DC"),
         "amour": ("L’Amour toujours", "Gigi"),
         "other": ("Something Else", "Someone")}


@pytest.fixture
def library(ctx, tmp_path):
    """A real library holding :data:`NAMES`: its connection and the tracks' ids by key."""
    conn = connect(ctx)
    ids = {}
    for n, (key, (title, artist)) in enumerate(NAMES.items()):
        conn.execute("INSERT INTO tracks(path, size, mtime_ns, format, title, artist, status,"
                     " needs_analysis) VALUES (?, 1, 1, 'flac', ?, ?, 'present', 0)",
                     (str(tmp_path / f"t{n}.flac"), title, artist))
        ids[key] = conn.execute("SELECT max(id) FROM tracks").fetchone()[0]
    conn.commit()
    return conn, ids


def _prefixes(name: str) -> list[str]:
    return [name[:end] for end in range(1, len(name) + 1) if any(c.isalnum() for c in name[:end])]


@pytest.mark.parametrize("key, typed", [("oconnor", "O'Connor"), ("dago", "D'Agostino"),
                                        ("queen", "Don't Stop Me Now"),
                                        ("acdc", "Rock'n'Roll Train"),
                                        ("acdc", "rock 'n' roll train"),
                                        ("amour", "L'Amour toujours"),
                                        ("amour", "l’amour")])
def test_every_prefix_of_a_name_typed_as_written_finds_it(library, key, typed):
    conn, ids = library
    snapshot = list_tracks(conn)
    for prefix in _prefixes(typed):
        assert ids[key] in [t.id for t in search_in(snapshot, prefix)], prefix
    assert ids[key] in [t.id for t in search_tracks(conn, typed)]


@pytest.mark.parametrize("typed, key", [("o'", "oconnor"), ("d'", "dago"), ("don'", "queen"),
                                        ("'n'", "acdc"), ("rock 'n", "acdc"),
                                        ("dont", "queen"), ("l amour", "amour"),
                                        ("l'amour", "amour"), ("l’amour", "amour")])
def test_a_word_ending_or_starting_with_an_apostrophe_finds_its_name(library, typed, key):
    conn, ids = library
    assert ids[key] in [t.id for t in search_tracks(conn, typed)]


def test_the_playlists_panel_filter_reads_words_as_the_search_box_does():
    rows = [(1, "MØ and friends", 3), (2, "Don’t Stop", 1), (3, "O'Connor nights", 2),
            (4, "Zed", 1), (5, "Nothing", 1)]
    for typed, wanted in [("mo", [1]), ("dont", [2]), ("don'", [2]), ("o'con", [3])]:
        assert [p[0] for p in rows if matches(p[1], typed)] == wanted, typed
        assert [p[0] for p in playlists_named(typed, rows)] == wanted, typed
    # filed as the search reads it: "MØ" under M, not after "Zed"
    assert [p[1] for p in sorted_playlists(rows)] == ["Don’t Stop", "MØ and friends",
                                                      "Nothing", "O'Connor nights", "Zed"]
