"""What the search box's list says beside the tracks it finds: which fields were searched
when none matched, and the playlists whose names match the words typed.

The track search (:func:`~musicsage.library.browse.search_tracks`) reads titles, artists,
albums, album artists, genre tags and file names only. "jazz" in the demo library (before
genre tags were searched) found nothing under a bare "no match", though a "Jazz Essentials"
playlist was listed a few rows below: the line now names what was searched, and playlists
named by every word typed are offered under it.
"""

from __future__ import annotations

from collections.abc import Iterable

from musicsage.controllers.map_tools import isolated
from musicsage.controllers.playlist_order import natural_key
from musicsage.text import holds_words, printable, search_folded, search_words

SEARCHED = "title, artist, album, album artist, genre or file name"
"""What :func:`~musicsage.library.browse.search_tracks` reads, in the user's words: every
field, the album artist too (the line left it out, and a word found only there read as
found in none of the fields named)."""
PLAYLISTS_SHOWN = 5
"""The most playlists offered under the search's tracks: the playlists' own filter lists
them all."""


def no_match_line(text: str) -> str:
    """The search list's line when no track matches ``text``, naming what was searched
    (:func:`~musicsage.controllers.library.search_note` ends the list with it); none for
    a text with nothing to search (spaces, a quote that opens a phrase): a space typed first
    read "no title, … matches ‘’", as though a search had been made and failed."""
    if not search_words(text):
        return ""
    return f"no {SEARCHED} matches ‘{printable(text.strip())}’"


def playlists_named(text: str, playlists: Iterable[tuple[int, str, int]]
                    ) -> list[tuple[int, str, int]]:
    """The (id, name, track count) playlists whose names hold every word of ``text`` (case
    and accents aside, as the track search), by name as the playlists panel orders them
    (:func:`~musicsage.controllers.playlist_order.natural_key`: "Focus 2" before "Focus
    10"); at most :data:`PLAYLISTS_SHOWN`."""
    words = search_words(text)
    if not words:
        return []
    named = [p for p in playlists if holds_words(search_folded(p[1]), words)]
    return sorted(named, key=lambda p: natural_key(p[1]))[:PLAYLISTS_SHOWN]


def playlist_row(name: str, count: int) -> str:
    """A playlist's row in the search list (picking it chooses the playlist), the name set
    apart (:func:`~musicsage.controllers.map_tools.isolated`): a name in a right-to-left
    script took the count into its run, "Playlist: (6)  שירים לנסיעה ארוכה"."""
    return f"Playlist: {isolated(printable(name))}  ({count})"
