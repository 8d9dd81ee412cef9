"""What the search box's list says beside the tracks it finds: which fields were searched
when none matched, and the playlists whose names match the words typed.

The track search (:func:`~musicsage.library.browse.search_tracks`) reads titles, artists,
albums and file names only. "jazz" in the demo library found nothing under a bare "no
match", though a "Jazz Essentials" playlist was listed a few rows below: the line now names
what was searched, and playlists named by every word typed are offered under it.
"""

from __future__ import annotations

from collections.abc import Iterable

from musicsage.text import folded, printable

SEARCHED = "title, artist, album or file name"
"""What :func:`~musicsage.library.browse.search_tracks` reads, in the user's words."""
PLAYLISTS_SHOWN = 5
"""The most playlists offered under the search's tracks: the playlists' own filter lists
them all."""


def no_match_line(text: str) -> str:
    """The search list's line when no track matches ``text``, naming what was searched."""
    return f"no {SEARCHED} matches ‘{printable(text.strip())}’"


def playlists_named(text: str, playlists: Iterable[tuple[int, str, int]]
                    ) -> list[tuple[int, str, int]]:
    """The (id, name, track count) playlists whose names hold every word of ``text`` (case
    and accents aside, as the track search), by name; at most :data:`PLAYLISTS_SHOWN`."""
    words = [w for w in folded(text).split() if any(ch.isalnum() for ch in w)]
    if not words:
        return []
    named = [p for p in playlists if all(w in folded(p[1]) for w in words)]
    return sorted(named, key=lambda p: folded(p[1]))[:PLAYLISTS_SHOWN]


def playlist_row(name: str, count: int) -> str:
    """A playlist's row in the search list (picking it chooses the playlist)."""
    return f"Playlist: {printable(name)}  ({count})"
