"""The playlist list's order and filter (Qt-free, so they are tested without a window).

A library of 471 playlists listed in import order was a list nobody could find a playlist in:
it is sorted by name now, the way a person reads names — case and accents set aside
("édition" beside "Edition"), numbers by value ("Focus 2" before "Focus 10") — and a filter
narrows it (every word typed must be in the name, case and accents set aside, as the search
box reads words: "mo" finds "MØ and friends" in both, "dont" "Don’t Stop").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Sequence, TypeVar

from musicsage.text import folded, holds_words, noun, search_folded, search_words

Row = TypeVar("Row", bound=tuple)
"""A playlist row as the panel gets it: (playlist id, name, track count)."""

_NUMBER = re.compile(r"(\d+)")
_LEADING_MARKS = re.compile(r"^[\W_]+")


def natural_key(name: str) -> tuple:
    """A sort key that reads numbers by value: "Focus 2" < "Focus 10" (as text, "10" < "2").
    The name is cut into text and digit runs, text first, so the same positions always hold
    the same kind; ties (names that differ only in case or accents) fall back to the text.
    Leading quotes, symbols and emoji are set aside ("'80s Rock" beside "80s Pop", "¡Viva
    Latino!" under V, "♥ EDM" under E): a person files a name by its first letter or digit,
    as the search reads it ("MØ" under M, not after Z)."""
    plain = search_folded(name)
    parts = _NUMBER.split(_LEADING_MARKS.sub("", plain).strip() or plain.strip())
    key = [number_key(p) if i % 2 else p for i, p in enumerate(parts)]
    return (key, folded(name), name)


def number_key(digits: str) -> tuple[int, str]:
    """A run of digits as a key that orders by value ("02" as "2", "٣" as "3"), however long:
    ``int()`` refuses a run of more than 4,300 digits, and a playlist so named (a dataset's
    ``playlists.csv``, a ``#PLAYLIST`` line) stopped the window from showing its library and
    ``musicsage playlists`` with "unexpected error"."""
    plain = digits if digits.isascii() else "".join(str(unicodedata.digit(c)) for c in digits)
    value = plain.lstrip("0")
    return (len(value), value)


def sorted_playlists(rows: Sequence[Row]) -> list[Row]:
    """``rows`` ordered by name (:func:`natural_key`), then by id (two playlists may share a
    name: their order must not change from one reload to the next)."""
    return sorted(rows, key=lambda row: (natural_key(row[1]), row[0]))


def shared_names(rows: Sequence[Row]) -> set[str]:
    """The names of ``rows`` that read as another row's: two "Road Trip" rows read
    "Road Trip  (20)" and "Road Trip  (18)", told apart by their count alone
    (:func:`row_text`). Names are compared as they look (:func:`_looks`): "Café" in its two
    Unicode spellings, or "Road Trip" and "Road Trip " of a file's title line, read alike
    and got no id."""
    alike = Counter(_looks(row[1]) for row in rows)
    return {row[1] for row in rows if alike[_looks(row[1])] > 1}


def _looks(name: str) -> str:
    """A name as the list shows it to the eye: one Unicode spelling (NFC), no space at its
    ends. Case is kept: "road trip" and "Road Trip" read differently in the list."""
    return unicodedata.normalize("NFC", name).strip()


def row_text(pid: int, name: str, count: int, *, shared: bool) -> tuple[str, str]:
    """A playlist row's text and tooltip: its name and count ("8,000", as the summary); a
    name another playlist has too (``shared``) adds the playlist's id, which ``musicsage
    playlists`` lists beside its file and ``suggest`` takes."""
    text = f"{name}  ({count:,})"
    tip = f"{name}: {count:,} {noun(count, 'track')} in the library"
    if not shared:
        return text, tip
    return (f"{text}  #{pid}", f"{tip}; another playlist has this name: this one is #{pid} "
            f"(`musicsage playlists {pid}` names its file)")


def matches(name: str, text: str) -> bool:
    """Whether a playlist named ``name`` is shown under the filter ``text``: every word of
    it (:func:`~musicsage.text.search_words`) is in the name, case and accents set aside
    ("focus ii" finds "Deep Focus II"), as the search box's playlists: "mo" left "MØ and
    friends" out here while the search box offered it. The panel filtering all its rows
    works the words out once (:func:`~musicsage.text.holds_words`)."""
    return holds_words(search_folded(name), search_words(text))


def heading_count(shown: int, total: int, *, filtered: bool) -> str:
    """What the list's heading counts: "471" or, while a filter is typed, "12 of 471"."""
    return f"{shown:,} of {total:,}" if filtered else f"{total:,}"


def no_match_note(text: str) -> str:
    """The list's one row when the filter hides every playlist."""
    return f"No playlist name has “{text.strip()}”"


def shown_summary(shown: int, total: int) -> str:
    """The list's description for a screen reader while filtered ("12 of 471 playlists")."""
    return f"{shown:,} of {total:,} {noun(total, 'playlist')} shown"
