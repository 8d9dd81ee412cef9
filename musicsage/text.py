"""Counts in words for messages: '1 track', '2 tracks', '1 entry', '3 entries'.

Messages that put a number before a plural noun said '1 errors', '1 tracks selected',
'1 playlists' whenever the number was one; the counts a user reads go through here.
"""

from __future__ import annotations


def noun(n: int, singular: str, plural: str | None = None) -> str:
    """The form of a noun that goes with ``n``: ``singular`` for 1, else ``plural``
    (default ``singular + 's'``)."""
    return singular if n == 1 else plural or singular + "s"


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and the noun's form for it: ``counted(1, 'entry', 'entries')`` → '1 entry'."""
    return f"{n} {noun(n, singular, plural)}"


def sentence(note: str) -> str:
    """A lower-case note (the command line's wording, "the library database … is damaged")
    as a sentence of the window: its first letter capitalised, the rest as written."""
    return note[:1].upper() + note[1:]
