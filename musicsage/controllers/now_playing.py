"""The player bar's words for the track it plays: its one line and the tooltip under it.

Here, not in the widget: turning the OS path the engine opens into the name a person reads
is the library's rule (:func:`musicsage.library.paths.shown`), not drawing. Where the
filesystem encoding is not UTF-8 an OS path's "é" is two lone surrogates, and an odd byte
one; the bar shows the path as the rest of the window shows a stored one.
"""

from __future__ import annotations

import os

from musicsage.library.paths import shown
from musicsage.text import printable


def now_playing(os_path: str, title: str = "", artist: str = "") -> tuple[str, str]:
    """(the bar's line, its tooltip) for the track at ``os_path``: "title — artist", the
    title alone, or without either the file's name (a whole path crowded out the title's
    room); the tooltip is the line, then the whole path."""
    where = printable(shown(os_path))
    line = f"{title} — {artist}" if artist else (title or os.path.basename(where) or where)
    return line, f"{line}\n{where}"
