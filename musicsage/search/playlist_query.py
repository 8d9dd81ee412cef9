"""Turn what a user typed (``suggest PLAYLIST``) into one playlist id.

PLAYLIST may be, tried in this order: a playlist id (``3``, ``#3``, ``id:3``); the path of an
imported playlist file (or its ``file://`` URI, as a file manager's copy gives: read as QUERY
reads one); its name (or file name without extension), compared case- and
accent-insensitively; then text contained in one name. Several matches at the best tier
raise :class:`AmbiguousPlaylist`, which names them. A bare number that is no playlist id
names only a playlist called just that ("2012" is not "Best of 2012"). To write into a
playlist (``exact``) only an id, a path or the exact name (in any case) will do: anything
looser raises :class:`InexactPlaylist`, which lists what it would have matched.
"""

from __future__ import annotations

import os
import re
import sqlite3

from musicsage.errors import MusicsageError
from musicsage.library.paths import is_file_path, typed_text
from musicsage.library.relations import NO_PLAYLISTS, playlist_names, playlist_paths
from musicsage.search.folder_query import folder_line
from musicsage.search.query import uri_as_path
from musicsage.text import alternatives, casefolded, normalise

_ID_RE = re.compile(r"^\s*(?:#|id:)?\s*(\d+)\s*$", re.IGNORECASE)
SHOWN = 8

class AmbiguousPlaylist(MusicsageError):
    """The text names several playlists; ``candidates`` are (id, name, file path) triples.

    Each is shown with its id and file, ``~`` for the home folder: two playlists of the same
    name (a ``Favourites.m3u8`` per player) were told apart by their ids alone, which say
    nothing about which file is which."""

    def __init__(self, text: str, candidates: list[tuple[int, str, str]],
                 message: str | None = None) -> None:
        self.candidates = candidates
        self.total = len(candidates)
        # the candidates go on stdout, one a line (:meth:`lines`), as an ambiguous track's
        # do: all of them in this line made one 600-character line of stderr
        super().__init__(message or f"{text!r} matches {len(candidates)} playlists; give "
                         f"{_forms(candidates)}")

    def lines(self) -> list[str]:
        """One line per candidate (``     4  Mix  (~/Music/mix.m3u)``), the first
        :data:`SHOWN`, then how many more."""
        out = [f"{pid:>7}  {name}  ({origin(path)[2]})"
               for pid, name, path in self.candidates[:SHOWN]]
        if self.total > SHOWN:
            out.append(f"   … and {self.total - SHOWN} more")
        return out

    def as_dicts(self) -> list[dict]:
        """The candidates for ``--json``: every one, with its id, name, ``path`` and ``uri``
        (:func:`json_playlist`)."""
        return [{"playlist_id": pid, "name": name, **json_playlist(path)}
                for pid, name, path in self.candidates]


class InexactPlaylist(AmbiguousPlaylist):
    """``suggest Mix --add …`` wrote into ``Remix Classics.m3u8``: a piece of a name is fine
    for a list of suggestions, which says which playlist it used, not for a write into the
    user's own file. The playlists the text would have matched are listed as an ambiguous
    name's are."""

    def __init__(self, text: str, candidates: list[tuple[int, str, str]]) -> None:
        super().__init__(text, candidates, f"{text!r} is not the exact name of a playlist; "
                         f"give {_forms(candidates, 'exact name')}; nothing was written")


def _forms(candidates: list[tuple[int, str, str]], *more: str) -> str:
    """What to give instead, as ``its id, file path or …``: the file path only where a
    candidate shown has one (a player's or a dataset's playlist shows none to give)."""
    forms = ["its id"]
    if any(is_file_path(path) for _pid, _name, path in candidates[:SHOWN]):
        forms.append("file path")
    return alternatives(forms + list(more))


def json_playlist(stored: str) -> dict:
    """A playlist's place as ``--json`` gives it (a candidate, ``suggest``'s ``playlist``):
    ``path`` the stored path (display form), which goes back in as PLAYLIST even for a
    player's or a dataset's playlist (``rhythmbox:/…/playlists.xml#Road%20trip``, the
    library's key: a program passes it back, a person reads the text output), ``source``
    and ``source_path`` (its file, the player's library file or the dataset dir: where it
    comes from, what the text list shows; ``playlists --json`` gives the same ``path`` and
    ``source_path``), and ``uri`` (None unless a file)."""
    from musicsage.library.paths import display, file_uri

    source, source_path, _words = origin(stored)
    return {"path": display(stored), "source": source, "source_path": source_path,
            "uri": file_uri(stored)}


def origin(stored: str) -> tuple[str, str, str]:
    """(source, path, words) of a playlist stored at ``stored``: ``file`` and its file, or a
    player's playlist (``player``, the player's library file it was read from) or a dataset's
    (``dataset``, its dir), each in a few words as ``playlists`` lists it. Their synthetic
    paths (``rhythmbox:/…/playlists.xml#Road%20trip``) are the library's keys, not something
    a user has seen or would type."""
    from musicsage.library.paths import DATASET_PREFIX, dataset_source, display
    from musicsage.library.playlists.players import split_playlist_db_path

    player = split_playlist_db_path(stored)
    if player is not None:
        return "player", display(player[1]), f"player library {home_short(player[1])}"
    if stored.startswith(DATASET_PREFIX):
        source = dataset_source(stored)
        return "dataset", display(source), f"dataset dir {home_short(source)}"
    return "file", display(stored), home_short(stored)


def home_short(stored: str) -> str:
    """A stored path for display, the home folder written ``~`` (shorter, and the same
    path on every machine of the user's)."""
    from musicsage.library.paths import display

    home = os.path.expanduser("~").rstrip("/")
    if home and (stored == home or stored.startswith(home + "/")):
        return display("~" + stored[len(home):])
    return display(stored)


def _by_file(paths: dict[str, int], text: str) -> int | None:
    """The playlist whose file ``text`` names by another path: through a symbolic link (a
    ``~/Music`` that links to the drive the scan was given), or at its real path where the
    scan took a link. A scan stores a file at the path it walked, so "no playlist matches"
    was said of the very file, where QUERY finds a track so named (search/query.py).

    Limitation: past the real path itself, only stored playlists with the file's own name
    are compared (a stat each, not one per playlist of the library), so a playlist stored
    as a link of another name (``Mix.m3u8`` a link to ``mix-2024.m3u8``) is not found by
    its target's path, nor by another link to that target: give its stored path, its name
    or its id. (A playlist stored at the real path is found through any link.)"""
    from musicsage.files import same_path
    from musicsage.library.paths import from_fs, to_fs

    real = os.path.realpath(os.path.expanduser(text))
    if not os.path.isfile(real):
        return None
    if from_fs(real) in paths:
        return paths[from_fs(real)]
    name = os.path.basename(real)
    hits = {pid for path, pid in paths.items() if is_file_path(path)
            and os.path.basename(to_fs(path)) == name and same_path(to_fs(path), real)}
    return hits.pop() if len(hits) == 1 else None


def resolve_playlist(conn: sqlite3.Connection, text: str | int, *, exact: bool = False) -> int:
    """The playlist id ``text`` names; :class:`AmbiguousPlaylist` or
    :class:`MusicsageError` otherwise; with ``exact`` (a write), :class:`InexactPlaylist`
    unless it is an id, a path or the exact name."""
    from musicsage.library.paths import display, from_fs

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
    linked = _by_file(paths, text)
    if linked is not None:
        return linked
    fs_text = text  # the OS path: a folder or file named in bytes that are not UTF-8
    text = typed_text(text)  # "Été" in an ASCII session reached argv as stand-ins (\udcc3…)
    said = display(text)  # an odd byte as U+FFFD, as the app shows it, not as \udcff
    wanted = normalise(text)
    stems = {pid: normalise(os.path.splitext(os.path.basename(path))[0])
             for path, pid in paths.items()}
    typed = casefolded(text)  # "Cafe" names Cafe, not Café too: accents as typed first
    tiers = [[pid for pid, name in names.items() if casefolded(name) == typed],
             [pid for pid, name in names.items() if normalise(name) == wanted],
             [pid for pid, stem in stems.items() if stem == wanted],
             [pid for pid, name in names.items() if wanted and wanted in normalise(name)]]
    if m:  # a number no playlist has as id: only a name that is just it, not "Best of 2012"
        tiers = tiers[:1]
        if not tiers[0]:
            raise MusicsageError(f"no playlist #{m.group(1)}: see `musicsage playlists` for "
                                 "the ids")
    files = {pid: path for path, pid in paths.items()}
    for n, tier in enumerate(tiers):
        tier = sorted(set(tier))
        if exact and n and tier:  # a write: a name as typed (in any case) or nothing
            loose = sorted(set().union(*tiers[1:]))
            raise InexactPlaylist(said, [(pid, names[pid], files[pid]) for pid in loose])
        if len(tier) == 1:
            return tier[0]
        if tier:
            raise AmbiguousPlaylist(said, [(pid, names[pid], files[pid]) for pid in tier])
    raise MusicsageError(_not_imported_line(paths, fs_text, said) or folder_line(
        conn, fs_text, wanted="playlist") or f"no playlist matches {said!r} (by id, path or name)")


def _not_imported_line(paths: dict[str, int], text: str, said: str) -> str | None:
    """What to do with a playlist file that is not in the library, named by its path: "no
    playlist matches '~/Music/Mix.m3u' (by id, path or name)" said nothing of the file being
    there, waiting for an import (a scan imports only the playlist files ``--playlists``
    names). None when ``text`` names no such file, or one the library holds by a name
    :func:`_by_file` does not find (a stat per playlist file: only on this failure)."""
    from musicsage.files import same_path
    from musicsage.library.paths import shell_word, to_fs
    from musicsage.library.playlists.base import format_for

    fs_path = os.path.expanduser(text)
    if format_for(fs_path) is None or not os.path.isfile(fs_path):
        return None
    if any(is_file_path(path) and same_path(to_fs(path), fs_path) for path in paths):
        return None  # imported, by another name: not "import it"
    return (f"{said!r} is not a playlist of the library: import it first (`musicsage scan "
            f"--playlists {shell_word(fs_path)}`), then try again")
