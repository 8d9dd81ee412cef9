"""Turn what a user typed (``suggest PLAYLIST``) into one playlist id.

PLAYLIST may be, tried in this order: a playlist id (``3``, ``#3``, ``id:3``); the path of an
imported playlist file (or its ``file://`` URI, as a file manager's copy gives: read as QUERY
reads one); its name (or file name without extension), compared case- and
accent-insensitively; then text contained in one name. Several matches at the best tier
raise :class:`AmbiguousPlaylist`, which names them.
"""

from __future__ import annotations

import os
import re
import sqlite3

from musicsage.errors import MusicsageError
from musicsage.library.relations import NO_PLAYLISTS, playlist_names, playlist_paths
from musicsage.search.query import normalise, uri_as_path
from musicsage.text import casefolded

_ID_RE = re.compile(r"^\s*(?:#|id:)?\s*(\d+)\s*$", re.IGNORECASE)
SHOWN = 8

class AmbiguousPlaylist(MusicsageError):
    """The text names several playlists; ``candidates`` are (id, name, file path) triples.

    Each is shown with its id and file, ``~`` for the home folder: two playlists of the same
    name (a ``Favourites.m3u8`` per player) were told apart by their ids alone, which say
    nothing about which file is which."""

    def __init__(self, text: str, candidates: list[tuple[int, str, str]]) -> None:
        self.candidates = candidates
        self.total = len(candidates)
        # the candidates go on stdout, one a line (:meth:`lines`), as an ambiguous track's
        # do: all of them in this line made one 600-character line of stderr
        super().__init__(f"{text!r} matches {len(candidates)} playlists; give its id or "
                         "file path")

    def lines(self) -> list[str]:
        """One line per candidate (``     4  Mix  (~/Music/mix.m3u)``), the first
        :data:`SHOWN`, then how many more."""
        out = [f"{pid:>7}  {name}  ({home_short(path)})"
               for pid, name, path in self.candidates[:SHOWN]]
        if self.total > SHOWN:
            out.append(f"   … and {self.total - SHOWN} more")
        return out

    def as_dicts(self) -> list[dict]:
        """The candidates for ``--json``: every one, with its id, name and file."""
        from musicsage.library.paths import display

        return [{"playlist_id": pid, "name": name, "path": display(path)}
                for pid, name, path in self.candidates]


def home_short(stored: str) -> str:
    """A stored path for display, the home folder written ``~`` (shorter, and the same
    path on every machine of the user's)."""
    from musicsage.library.paths import display

    home = os.path.expanduser("~").rstrip("/")
    if home and (stored == home or stored.startswith(home + "/")):
        return display("~" + stored[len(home):])
    return display(stored)


def resolve_playlist(conn: sqlite3.Connection, text: str | int) -> int:
    """The playlist id ``text`` names; :class:`AmbiguousPlaylist` or
    :class:`MusicsageError` otherwise."""
    from musicsage.library.paths import from_fs

    names = playlist_names(conn)
    if not names:
        raise MusicsageError(NO_PLAYLISTS)
    text = uri_as_path(str(text).strip())
    m = _ID_RE.match(text)
    if m and int(m.group(1)) in names:
        return int(m.group(1))
    paths = playlist_paths(conn)
    for form in (from_fs(text), from_fs(os.path.abspath(os.path.expanduser(text)))):
        if form in paths:
            return paths[form]
    wanted = normalise(text)
    stems = {pid: normalise(os.path.splitext(os.path.basename(path))[0])
             for path, pid in paths.items()}
    typed = casefolded(text)  # "Cafe" names Cafe, not Café too: accents as typed first
    tiers = [[pid for pid, name in names.items() if casefolded(name) == typed],
             [pid for pid, name in names.items() if normalise(name) == wanted],
             [pid for pid, stem in stems.items() if stem == wanted],
             [pid for pid, name in names.items() if wanted and wanted in normalise(name)]]
    for tier in tiers:
        tier = sorted(set(tier))
        if len(tier) == 1:
            return tier[0]
        if tier:
            files = {pid: path for path, pid in paths.items()}
            raise AmbiguousPlaylist(text, [(pid, names[pid], files[pid]) for pid in tier])
    raise MusicsageError(f"no playlist matches {text!r} (by id, path or name)")
