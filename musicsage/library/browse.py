"""Read-only views of the library for the front ends: track and playlist lists, text search, stats.

These return small dataclasses, never rows, so the GUI and CLI need not know the
schema. ``TrackInfo.path`` is the DB form of the path; ``TrackInfo.fs_path`` is what to hand to
``open``/the decoder (they differ only for names that are not valid UTF-8).
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from dataclasses import asdict, dataclass
from typing import Sequence

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.audio_names import without_extension
from musicsage.progress import CancelToken, check_cancel
from musicsage.text import QUOTES, casefolded, normalise, search_folded, search_words


@dataclass(frozen=True)
class TrackInfo:
    id: int
    path: str
    title: str | None
    artist: str | None
    album: str | None
    albumartist: str | None
    genre: str | None
    year: int | None
    track_number: int | None
    duration: float | None
    format: str | None
    status: str
    needs_analysis: bool

    @property
    def fs_path(self) -> str:
        return P.to_fs(self.path)

    @property
    def has_file(self) -> bool:
        """False for tracks imported from a dataset dir without a file path."""
        return P.is_file_path(self.path)

    @property
    def playable(self) -> bool:
        """It has an audio file, and that file was there at the last scan."""
        return self.has_file and self.status != "missing"

    @property
    def shown_path(self) -> str:
        """The path as a person reads it: a track imported from a dataset dir without a file
        says so instead of showing its synthetic ``dataset:<dir>#<id>`` key."""
        return P.shown_place(self.path)

    @property
    def display_title(self) -> str:
        return shown_title(self.title, self.path, self.id)

    @classmethod
    def from_row(cls, r: sqlite3.Row) -> "TrackInfo":
        return cls(id=r["id"], path=r["path"], title=r["title"], artist=r["artist"],
                   album=r["album"], albumartist=r["albumartist"], genre=r["genre"],
                   year=r["year"], track_number=r["track_number"], duration=r["duration"],
                   format=r["format"], status=r["status"], needs_analysis=bool(r["needs_analysis"]))


def shown_title(title: str | None, path: str, track_id: int) -> str:
    """A track's title as the window names it (:attr:`TrackInfo.display_title`): its tag,
    else its file's name (``<dir>#<id>`` for a track imported from a dataset dir without a
    file), else ``track N``. For rows that are no :class:`TrackInfo` (the neighbour lists'):
    an untitled track's row there was blank, while the map and the track box named it."""
    return title or P.display(path.rsplit("/", 1)[-1]) or f"track {track_id}"


@dataclass(frozen=True)
class PlaylistInfo:
    id: int
    path: str
    name: str
    format: str | None
    entries: int
    resolved: int
    unresolved: int


def told_apart(labels: Sequence[str], paths: Sequence[str], ids: Sequence[int],
               keys: Sequence[object] | None = None) -> list[str]:
    """``labels`` (one list's rows) as shown, with " (m4a)" after those that read the same
    as another row of the list (``keys``, default the labels: title and artist as shown):
    four untagged files song.m4a, song.aac, song.opus and song.mp3 of one folder were four
    identical rows "song". What tells a group apart is, the first that does: the file's
    extension, its folder ("Live/"), both, the whole path; "#id" for a track without a file.
    A track listed twice (a queue's repeat) is no collision; rows that differ are unchanged.
    One rule for the window's lists and the command line's text."""
    keys = list(labels) if keys is None else list(keys)
    groups: dict[object, set[int]] = {}
    for key, tid in zip(keys, ids):
        groups.setdefault(key, set()).add(int(tid))
    twins = {key: g for key, g in groups.items() if len(g) > 1}
    if not twins:
        return list(labels)
    by_id = {int(t): p for t, p in zip(ids, paths)}
    marks = {tid: mark for g in twins.values() for tid, mark in _marks(g, by_id).items()}
    return [f"{label} ({marks[int(t)]})" if key in twins else label
            for label, key, t in zip(labels, keys, ids)]


def _marks(ids: set[int], paths: dict[int, str]) -> dict[int, str]:
    """A word per track of ``ids`` (one title) that differs between all of them."""
    def ways(tid: int) -> list[str]:
        path = paths[tid]
        if not P.is_file_path(path):
            return [f"#{tid}"] * 4
        folder, _, name = P.display(path).rpartition("/")
        ext = name.rpartition(".")[2].lower() if "." in name else ""
        return [ext, folder.rpartition("/")[2] + "/", f"{folder.rpartition('/')[2]}/{name}",
                P.display(path)]

    options = {tid: ways(tid) for tid in ids}
    for way in range(4):
        marks = {tid: opts[way] for tid, opts in options.items()}
        if all(marks.values()) and len(set(marks.values())) == len(marks):
            return marks
    return {tid: f"#{tid}" for tid in ids}


def list_tracks(conn, *, present_only: bool = False) -> list[TrackInfo]:
    rows = q.present_tracks(conn) if present_only else q.all_tracks(conn)
    return [TrackInfo.from_row(r) for r in rows]


def get_track_info(conn, track_id: int) -> TrackInfo | None:
    r = q.get_track(conn, track_id)
    return None if r is None else TrackInfo.from_row(r)


def list_playlists(conn) -> list[PlaylistInfo]:
    return [PlaylistInfo(id=r["id"], path=r["path"], name=r["name"] or "", format=r["format"],
                         entries=r["entries"], resolved=r["resolved"], unresolved=r["unresolved"])
            for r in q.playlist_rows(conn)]


def playlist_track_ids(conn, playlist_id: int) -> list[int]:
    """Resolved track ids of a playlist, in playlist order (repeats kept)."""
    return [r["track_id"] for r in q.playlist_entries(conn, playlist_id) if r["track_id"] is not None]


def titled_as_number(conn, number: str) -> list[TrackInfo]:
    """Tracks whose title is ``number`` as a search reads it (:func:`normalise`: " 22 ",
    "２２"), by id: `similar 22` took track #22, and says so where "22" is also a song's
    title. SQLite picks the titles that can read so — no ASCII letter, the digits as typed or
    a character beyond ASCII, and not much longer than the number (a digit with an accent,
    wide spaces) — and of those only the ones without a letter of any script are folded:
    folding every track's title cost 350-400 ms a number in a library of 28,000 (this, 3
    ms), and without the length bound every non-ASCII title came to Python (43 ms with
    30,000 CJK titles)."""
    wanted = normalise(number)
    if not wanted.isdigit():
        return []
    rows = conn.execute(
        "SELECT * FROM tracks WHERE title NOT GLOB '*[A-Za-z]*'"
        " AND length(trim(title)) <= 2 * length(?1) + 4"
        " AND (instr(title, ?1) > 0 OR length(title) != length(CAST(title AS BLOB)))"
        " ORDER BY id",
        (wanted,))
    return [TrackInfo.from_row(r) for r in rows
            if isinstance(title := r["title"], str) and not any(ch.isalpha() for ch in title)
            and normalise(title) == wanted]


def search_tracks(conn, text: str, *, limit: int | None = 50) -> list[TrackInfo]:
    """Tracks whose title/artist/album/album artist/genre/file name (its extension only for a
    word with a dot) contain every word of ``text`` (:class:`SearchIndex`), read from the
    library now (the command line's search; the window searches its snapshot's tracks:
    :func:`search_in`)."""
    return SearchIndex(list_tracks(conn)).search(text, limit=limit)


class SearchIndex:
    """Tracks' searchable text, folded once, so that a search is a scan of prepared strings:
    folding all 28,000 tracks of a library for every query (twice: the list's and the map's)
    took 0.5 s a keystroke on the window's light threads.

    A track matches when its title/artist/album/album artist/genre/file name contain every
    word of the search (:func:`musicsage.text.search_words`: a phrase in quotes is one word;
    punctuation alone is found as typed); the file's extension only for a word with a dot,
    as ``similar`` reads a QUERY (:func:`_names_a_file`: "la" found every ".flac"). The
    genre is the files' own tag, as the scan read it: "jazz" found nothing in a library
    tagged Jazz throughout. Case and accents set aside (:func:`~musicsage.text.search_folded`:
    "reykjavik" finds "Reykjavík", "mo" "MØ", "o'" "O'Connor"), done in Python because
    SQLite's ``lower()`` is ASCII-only. Ranked: exact title as typed (accents kept), then
    exact title, then title prefix, then the rest, each by artist and title, their numbers
    by value (:func:`by_number`)."""

    def __init__(self, tracks: Sequence[TrackInfo], cancel: CancelToken | None = None) -> None:
        self.tracks = tracks
        """The list indexed, itself: :func:`search_in` tells a new snapshot's by identity."""
        # a field per line, title and artist first even when empty (the ranking reads them
        # back): a phrase in quotes is found within one field, not across two; ``cancel``
        # looked at between chunks (a newer snapshot's index replaces this one)
        self._hay: list[str] = []
        self._order: list[tuple[str, str]] = []
        """Each track's artist and title as the ranking orders them (:func:`_names_order`):
        made here, off the window's thread, as a search of every track took 4 times as long."""
        for start in range(0, len(tracks), SEARCH_CHUNK):
            check_cancel(cancel)
            chunk = tracks[start:start + SEARCH_CHUNK]
            hay = [search_folded("\n".join([t.title or "", t.artist or "", *(f for f in (
                t.album, t.albumartist, t.genre, _file_name(t)) if f)])) for t in chunk]
            self._hay += hay
            self._order += [_names_order(t, h) for t, h in zip(chunk, hay)]
        self._names: list[str] | None = None
        """Each track's whole file name, extension and all (folded; "" without a file): made
        at the first search with a dot in a word (:meth:`_whole_names`), which few are."""
        self._lock = threading.Lock()
        self._last: tuple[str, list[int]] = ("", [])
        """The last search's words and its ranked rows: the list's and the map's searches
        of one keystroke are answered by one scan."""

    def search(self, text: str, *, limit: int | None = None,
               cancel: CancelToken | None = None) -> list[TrackInfo]:
        """The tracks matching ``text``, best first, the first ``limit`` (None: all); raises
        :class:`~musicsage.progress.Cancelled` once ``cancel`` is set (a newer keystroke's
        search supersedes it)."""
        words = search_words(text)  # (the playlists the search box offers read them alike)
        if not words:
            return []
        key = "\0".join([text.strip(), *words])
        with self._lock:
            if self._last[0] != key:
                self._last = (key, self._ranked(words, text, cancel))
            found = self._last[1]
        return [self.tracks[i] for i in (found if limit is None else found[:limit])]

    def _ranked(self, words: list[str], text: str, cancel: CancelToken | None) -> list[int]:
        hay, hits = self._hay, []
        dotted = [w for w in words if _names_a_file(w)]
        names = self._whole_names(cancel) if dotted else hay
        for start in range(0, len(hay), SEARCH_CHUNK):
            check_cancel(cancel)
            part = range(start, min(start + SEARCH_CHUNK, len(hay)))
            hits += [i for i in part if all(w in hay[i] for w in words)] if not dotted else [
                i for i in part
                if all(w in hay[i] or (w in dotted and w in names[i]) for w in words)]
        plain = text.strip().strip(QUOTES)  # '"love"' ranks the title "Love" first too
        typed, needle = casefolded(plain), search_folded(plain)

        def rank(i: int) -> tuple:
            track = self.tracks[i]
            if "\n" in (track.title or "") + (track.artist or ""):  # (a name of two lines)
                title, artist = (search_folded(track.title or ""),
                                 search_folded(track.artist or ""))
            else:
                title, artist = hay[i].split("\n", 2)[:2]
            exact = title == needle and casefolded(track.title) == typed
            return (0 if exact else 1 if title == needle else 2 if title.startswith(needle)
                    else 3, *self._order[i], track.id)

        check_cancel(cancel)
        return sorted(hits, key=rank)

    def _whole_names(self, cancel: CancelToken | None) -> list[str]:
        """:attr:`_names`, made now if not yet (under the search's lock): a word with a dot
        ("song.flac", as ``similar`` takes it) is looked for in the name with its extension."""
        if self._names is None:
            names: list[str] = []
            for start in range(0, len(self.tracks), SEARCH_CHUNK):
                check_cancel(cancel)
                names += [search_folded(P.display(t.path.rsplit("/", 1)[-1])) if t.has_file
                          else "" for t in self.tracks[start:start + SEARCH_CHUNK]]
            self._names = names
        return self._names


_DIGITS = re.compile(r"\d+")


def by_number(folded: str) -> str:
    """``folded`` (a name as the search folds it) as a sort key that reads its numbers by
    value: as text, "track 10" and "track 100" came before "track 2", and an album's files
    "Track 1" … "Track 12" were listed 1, 10, 11, 12, 2. Each run of digits is written as
    its length (5 digits), then its digits, leading zeros dropped: "track 00012" before
    "track 000210". A string, compared as fast as the name (no ``int()``: it refuses more
    than 4,300 digits)."""
    if not _DIGITS.search(folded):
        return folded  # (most names)
    return _DIGITS.sub(lambda run: f"{len(v := run[0].lstrip('0')):05d}{v}", folded)


def _names_order(track: TrackInfo, hay: str) -> tuple[str, str]:
    """``track``'s artist and title (folded, from its ``hay`` line of the index) as the
    search ranking orders them, numbers by value (:func:`by_number`)."""
    if "\n" in (track.title or "") + (track.artist or ""):  # (a name of two lines)
        title, artist = search_folded(track.title or ""), search_folded(track.artist or "")
    else:
        title, artist = hay.split("\n", 2)[:2]
    return by_number(artist), by_number(title)


def _file_name(track: TrackInfo) -> str:
    """The name of ``track``'s file as searched, without its extension
    (:func:`without_extension`). A track imported from a dataset dir without a file has
    none: its key's tail, ``<dir>#<dataset id>``, was searched as its name, so that "ds"
    (the dir's name) found all 28,356 tracks of a Spotify import and "mo" 3,478, most by
    letters of their random ids. Untitled, it is searched as the name its rows show
    (:attr:`TrackInfo.display_title`), whole."""
    name = P.display(track.path.rsplit("/", 1)[-1])
    if track.has_file:
        return without_extension(name)
    return "" if track.title else name


def _names_a_file(word: str) -> bool:
    """Whether a search ``word`` is also looked for in the file's name with its extension: it
    has a dot, and more than dots (``similar``'s rule, ``search.query._in_file_name``):
    "d.flac" finds d.flac, "." no longer every file by its extension's dot."""
    return "." in word and bool(word.strip(". "))


SEARCH_CHUNK = 4096
"""Tracks scanned between two looks at a search's cancel token."""
_INDEX_LOCK = threading.Lock()
_index: SearchIndex | None = None


def search_in(tracks: Sequence[TrackInfo], text: str, *, limit: int | None = 50,
              cancel: CancelToken | None = None) -> list[TrackInfo]:
    """:meth:`SearchIndex.search` of ``tracks``, the library snapshot's list: indexed at its
    first search and kept while searches name that list (each re-read of the library, after
    any change, makes a new one, which replaces it). An empty ``text`` only indexes: the
    window does it as each snapshot comes in, so that the first keystroke does not wait."""
    global _index
    with _INDEX_LOCK:
        if _index is None or _index.tracks is not tracks:
            _index = SearchIndex(tracks, cancel)
        index = _index
    return index.search(text, limit=limit, cancel=cancel)


def current_index() -> SearchIndex | None:
    """The index :func:`search_in` keeps (None before its first search), to tell which
    snapshot it holds: the window builds it as each snapshot comes in."""
    return _index


@dataclass(frozen=True)
class TrackCounts:
    total: int
    present: int
    missing: int
    needs_analysis: int
    """Present tracks ``embed`` would analyse, ``unreadable`` ones included (it retries them)."""
    unreadable: int = 0
    """Of ``needs_analysis``, those whose analysis failed since their file last changed (it
    could not be decoded): not "to analyse", since another run is likely to fail again."""
    no_audio_file: int = 0
    """Of ``present``, the tracks a dataset dir gave without an audio file: never missing,
    nothing to play or analyse (``stats`` counts them apart from those it calls present)."""
    too_short: int = 0
    """Of ``unreadable``, those only too short to analyse (a click: read fine, no vector made;
    :mod:`musicsage.usecases.track_counts`). Said in words, not a ``stats --json`` key."""


@dataclass(frozen=True)
class PlaylistCounts:
    total: int
    entries: int
    resolved: int
    unresolved: int


@dataclass(frozen=True)
class LibraryStats:
    """What the library holds (``stats``); :meth:`to_dict` is the ``stats --json`` contract
    (docs/cli.md)."""

    tracks: TrackCounts
    playlists: PlaylistCounts
    errors: int
    errors_by_stage: dict[str, int]
    embeddings: dict[str, int]
    """Stored vectors per audio model id."""
    graph_model: dict | None
    """The current graph model: id, audio_model, metrics (the eval JSON), name, created_at."""
    roots: list[str]

    def to_dict(self) -> dict:
        out = asdict(self)
        out["tracks"].pop("too_short")  # the keys docs/cli.md documents
        return out


def library_stats(conn) -> LibraryStats:
    """Counts of tracks, playlists, errors and vectors, and the current graph model."""
    t = conn.execute("SELECT COUNT(*), SUM(status = 'present'), SUM(status = 'missing'),"
                     " SUM(needs_analysis = 1 AND status = 'present') FROM tracks").fetchone()
    p = conn.execute("SELECT (SELECT COUNT(*) FROM playlists), COUNT(*), COUNT(track_id)"
                     " FROM playlist_entries").fetchone()
    errors_by_stage: dict[str, int] = {}
    for stage, n in conn.execute("SELECT stage, COUNT(*) FROM errors GROUP BY stage ORDER BY stage"):
        errors_by_stage[stage] = n
    return LibraryStats(
        tracks=TrackCounts(t[0], t[1] or 0, t[2] or 0, t[3] or 0,
                           no_audio_file=without_audio_file(conn)[0]),
        playlists=PlaylistCounts(p[0], p[1], p[2], p[1] - p[2]),
        errors=sum(errors_by_stage.values()), errors_by_stage=errors_by_stage,
        embeddings=q.embedding_counts(conn), graph_model=_graph_model_summary(conn),
        roots=[P.display(r) for r in q.library_roots(conn)])


def without_audio_file(conn, audio_model: str | None = None) -> tuple[int, int]:
    """How many present tracks have no audio file (a dataset dir's ``dataset:`` tracks), and
    how many of those have no vector of ``audio_model``: ``embed`` cannot give them one (no
    file to decode), so its hint must not count them — it promised 2708 imported papers a
    vector and did nothing."""
    row = conn.execute(
        "SELECT count(*), coalesce(sum(NOT EXISTS (SELECT 1 FROM audio_embeddings e"
        " WHERE e.track_id = t.id AND e.model_id = ?)), 0) FROM tracks t"
        " WHERE t.status = 'present' AND substr(t.path, 1, ?) = ?",
        (audio_model, len(P.DATASET_PREFIX), P.DATASET_PREFIX)).fetchone()
    return int(row[0]), int(row[1])


def _graph_model_summary(conn) -> dict | None:
    graph = q.current_graph_model_row(conn)
    if graph is None:
        return None
    try:
        metrics = json.loads(graph["metrics"]) if graph["metrics"] else None
    except ValueError:
        metrics = None
    return {"id": graph["id"], "audio_model": graph["audio_model"], "metrics": metrics,
            "name": graph["name"], "created_at": graph["created_at"]}
