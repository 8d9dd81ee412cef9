"""Turn what a user typed (``similar QUERY``) into one track id.

QUERY may be, tried in this order:

1. a track id (``123``, ``#123`` or ``id:123``) -- if no track has that id, it is read as text
   (a song can be called "1999"); a number SQLite cannot hold names no track; a bare number
   taken as an id that is also other tracks' title gets a note saying how to name those;
2. a path (anything with a slash, ``~`` or ``.`` in front, or an existing file; a ``file://``
   URI is read as the path it names): exact stored path first, then a case- and
   Unicode-normalisation-insensitive match (where the path typed is on disk, only that very
   file), then the track that is the same file (a symbolic link to a track; the scan stores
   the file once): :mod:`musicsage.search.query_files`;
3. text matched against title and artist, ``"artist - title"`` too (``-``, ``–`` or ``—``).
   The best tier with any match wins: exact title or exact "artist - title" (accents as
   typed before accents set aside: "Café" names "Café" beside a "Cafe"), then artist and
   title parts both contained, then the text contained in title, artist or "artist - title",
   last the text contained in the file's name (``_`` read as a space; the extension only
   counts when the text has a dot), so that ``similar brahms`` and ``similar
   brahms_hungarian_dance_5.ogg`` find that file whatever its tags say. A QUERY written as
   a path to a folder (``.``, ``..``, ``./``, ``~/Music``) is tried as an exact title only,
   then refused as a folder: ``similar .`` listed "Mr. Brightside" and "R.E.M." tracks;
   one written otherwise (``AC/DC``, ``Music``) is text, a folder only when no text matches.
   A QUERY naming an audio file that is no track (``other.wav`` in ``~/Downloads``; not a
   notes file ``brahms``) is tried as an exact title only too, then refused as not in the
   library: its name matched the library's ``other.wav``, another song, which ``suggest
   --remove`` took out of the playlist.
   Text in quotes is read as typed and without them, as the search box reads a phrase, the
   typed reading first within each tier: ``"Paper Boats"`` names the title "Paper Boats"
   before 'Sailing "Paper Boats"', and a title ``"Heroes"`` is still found as typed.
   Within a tier, one present track among otherwise missing copies (a moved file) wins
   (for a write, only where they all have its content hash: the others may be other songs),
   then the lowest id of tracks that are all one file copied (same content hash, and the
   same bytes where their files are on disk — for a write every file on disk and compared
   whole, for a read a few blocks of each: :func:`~musicsage.search.query_files.one_file`;
   what ``similar`` folds as copies anyway); otherwise several matches raise
   :class:`AmbiguousQuery` listing the candidates.

Matching is done in Python on text with case and accents set aside (:func:`normalise`;
SQLite's LIKE folds ASCII only): ``similar "orbit in reykjavik"`` finds "Orbit in Reykjavík".
The text matched is QUERY's bytes read as UTF-8 in every locale, as a stored path is
(:func:`~musicsage.library.paths.typed_text`): where the filesystem encoding is ASCII
(``PYTHONUTF8=0 LC_ALL=C``) an ``é`` typed reaches ``argv`` as stand-ins.
"""

from __future__ import annotations

import os
import re
import sqlite3
from typing import NoReturn, Sequence

from musicsage.errors import MusicsageError
from musicsage.library import queries
from musicsage.library.audio_names import without_extension
from musicsage.library.browse import TrackInfo, titled_as_number
from musicsage.library.paths import is_file_path, shown, typed_text
from musicsage.search.folder_query import folder_line
from musicsage.search.query_files import Candidate
from musicsage.search.query_files import by_path as _by_path
from musicsage.search.query_files import candidate as _candidate
from musicsage.search.query_files import one_file as _one_file
from musicsage.search.query_files import prefer_present as _prefer_present
from musicsage.text import QUOTES, alternatives, casefolded, normalise

MAX_CANDIDATES = 20
_ID_RE = re.compile(r"^\s*(?:#|id:)?\s*(-?\d+)\s*$", re.IGNORECASE)
SQLITE_INT = range(-(2**63), 2**63)
"""Ids SQLite can hold; a longer number cannot name a track (and must not reach SQLite)."""
_SEPARATOR_RE = re.compile(r"\s+[-\u2013\u2014]\s+")


class AmbiguousQuery(MusicsageError):
    """The text matches several tracks; ``candidates`` lists (up to 20 of) them."""

    def __init__(self, query: str, candidates: Sequence[Candidate], total: int) -> None:
        self.query = query
        self.candidates = list(candidates)
        self.total = total
        # "artist - title" is no advice to one who typed it, nor where every candidate has
        # the same artist and title (one song on two albums): it names them all again
        one_name = total == len(self.candidates) and len(
            {(normalise(c.artist), normalise(c.title)) for c in self.candidates}) == 1
        # a path only where a candidate shows one: a track imported without a file has none
        forms = ["a track id"]
        if any(is_file_path(c.path) for c in self.candidates):
            forms.append("a path")
        if not (_splits(query) or one_name):
            forms.append("'artist - title'")
        super().__init__(f"{shown(query)!r} matches {total} tracks; give {alternatives(forms)}")


def _looks_like_path(query: str) -> bool:
    return ("/" in query or os.sep in query or query.startswith(("~", "."))
            or os.path.exists(query))


def id_in_query(query: str) -> int | None:
    """The track id QUERY spells (``123``, ``#123``, ``id:123``; also ``-1``), or None."""
    m = _ID_RE.match(query)
    return int(m.group(1)) if m else None


def _by_id(conn: sqlite3.Connection, query: str) -> Candidate | None:
    track_id = id_in_query(query)
    if track_id is None or track_id not in SQLITE_INT:
        return None
    row = queries.get_track(conn, track_id)
    return _candidate(row) if row else None


def uri_as_path(query: str) -> str:
    """A ``file:///…`` URI (what a file manager's copy gives) as the path it names; any other
    query as it is (a title such as "File: Unknown" stays text)."""
    from musicsage.library.paths import to_fs
    from musicsage.library.playlists.resolve import local_file_uri_path

    if not query[:6].lower().startswith("file:/"):
        return query
    path = local_file_uri_path(query)
    return query if path is None else to_fs(path)


TIER_COUNT = 5  # of text_tiers: typed exactly, exact, both parts, contained, in a file name


def text_tiers(query: str, rows: Sequence[Candidate]) -> list[list[Candidate]]:
    """Matches of ``query`` in decreasing order of confidence (see the module docstring)."""
    q = normalise(query)
    if not q:
        return [[] for _ in range(TIER_COUNT)]
    parts = [(normalise(a), normalise(t)) for a, t in _splits(query)]
    as_name = normalise(query.replace("_", " "))  # the query read as a file name is, below
    typed, exact, both_parts, contained, in_file_name = [], [], [], [], []
    for c in rows:
        title, artist = normalise(c.title), normalise(c.artist)
        full = f"{artist} - {title}"
        if q == title or q == full or any(a == artist and t == title for a, t in parts):
            (typed if _exact_as_typed(query, c) else exact).append(c)
        elif any(a and t and a in artist and t in title for a, t in parts):
            both_parts.append(c)
        elif q in title or q in artist or q in full:
            contained.append(c)
        elif as_name and _in_file_name(as_name, c.path):  # "_" alone names no file
            in_file_name.append(c)
    return [typed, exact, both_parts, contained, in_file_name]


def _exact_as_typed(query: str, c: Candidate) -> bool:
    """Whether ``query`` is ``c``'s title or "artist - title" with its accents as typed."""
    q, title = casefolded(query), casefolded(c.title)
    return q == title or q == f"{casefolded(c.artist)} - {title}" or any(
        casefolded(a) == casefolded(c.artist) and casefolded(t) == title
        for a, t in _splits(query))


def _in_file_name(text: str, stored_path: str) -> bool:
    """Whether ``text`` (normalised, ``_`` as a space) is in the file's name as matching reads
    it: no folder, ``_`` as a space, its audio extension left out unless ``text`` has a dot
    (:func:`~musicsage.library.audio_names.without_extension`, as the window's search: so that
    ``untagged.wav`` finds its file, ``ogg`` not every Ogg file, "v2" "take5.v2"). A track
    imported without a file (a synthetic path) has no name. Dots alone name no file: ``.``
    matched every file by its extension's dot (a folder written as one never gets here,
    :func:`_names_a_folder`); other punctuation does, as the band !!!'s "!!!.flac"."""
    if not is_file_path(stored_path) or not text.strip(". "):
        return False
    name = normalise(os.path.basename(stored_path).replace("_", " "))
    return text in (name if "." in text else without_extension(name))


def _splits(query: str) -> list[tuple[str, str]]:
    """Every way to read ``query`` as "artist - title" (an artist may contain a dash)."""
    return [(query[:m.start()], query[m.end():]) for m in _SEPARATOR_RE.finditer(query)]


def resolve_query(conn: sqlite3.Connection, query: str | int,
                  notes: list[str] | None = None, *, verify: bool = True) -> int:
    """The track id QUERY names; :class:`AmbiguousQuery` or :class:`MusicsageError` otherwise.
    ``notes`` (when given) hears which track was taken when the text named several copies of
    one file, and how to name the tracks titled as a bare number taken as a track id.
    ``verify``: QUERY names a track to write (``suggest --add/--remove``), so copies of one
    file are one only when every file's bytes were compared (:func:`_one_file`)."""
    if isinstance(query, int):
        query = str(query)
    query = uri_as_path(query.strip())
    if not query:
        raise MusicsageError("empty query: give a track id, a path or a title/artist text")
    hit = _by_id(conn, query)
    if hit:
        if notes is not None:
            notes.extend(_titled_like_the_id(conn, query, hit, verify))
        return hit.track_id
    path_like = _looks_like_path(query)
    if path_like:
        hit = _by_path(conn, query)
        if hit:
            return hit.track_id
    rows = [_candidate(r) for r in queries.all_tracks(conn)]
    readings: dict[str, list[list[Candidate]]] = {}  # a reading's tiers, read when reached:
    # found as typed at the first tier ('"Heroes"'), the library is not read again unquoted
    # a folder or an audio file of its own (Downloads/other.wav, no track): exact titles
    # only; its name matched the library's other.wav, and `suggest --remove` took that one out
    levels = 2 if _names_a_folder(query) or _names_an_audio_file(query) else TIER_COUNT
    for level in range(levels):  # each tier's readings before the next tier's: see _readings
        for text in _readings(query):
            if text not in readings:
                readings[text] = text_tiers(typed_text(text), rows)
            if readings[text][level]:
                return _one_of(conn, query, readings[text][level], notes, verify)
    _refuse_what_is_no_track(conn, query, path_like, bool(rows))


def _readings(query: str) -> list[str]:
    """QUERY's text as typed, then without the quotes around it: '"Paper Boats"', a phrase as
    the search box reads one, named no track at all. Each tier tries both, as typed first
    (a title '"Heroes"'): reading all tiers as typed first took 'Sailing "Paper Boats"',
    which contains the text, over the title "Paper Boats" itself."""
    unquoted = query.strip(QUOTES).strip()
    return [query, unquoted] if unquoted and unquoted != query else [query]


def _names_a_folder(query: str) -> bool:
    """Whether QUERY is written as a path (``/``, ``~``, ``./`` or ``../`` in front, or
    ``.`` or ``..`` alone) to an existing folder: ``similar .`` listed every title or artist
    holding a dot ("'.' matches 2 tracks": "Mr. Brightside", "R.E.M."), not that ``.`` is a
    folder. A slash inside is no such path: ``similar AC/DC`` in a folder holding ``AC/DC/``
    was called a folder, where it lists the band; a bare word that is also a folder's name
    here (``similar Radiohead`` in ``~/Music``) is text too, refused as a folder only when
    no text matches (:func:`_refuse_what_is_no_track`)."""
    seps = {"/", os.sep}
    written_as_path = query in (".", "..") or query.startswith(
        ("~", *seps, *(f"{dots}{sep}" for dots in (".", "..") for sep in seps)))
    return written_as_path and os.path.isdir(os.path.expanduser(query))


def _names_an_audio_file(query: str) -> bool:
    """Whether QUERY names a file here that a scan would take (an audio file's name): a
    notes file ``brahms`` in the current folder cut ``similar brahms`` to exact titles, and
    brahms_hungarian_dance_5.wav was no longer found."""
    from musicsage.library.tags import audio_format

    fs_path = os.path.expanduser(query)
    return audio_format(os.path.basename(fs_path)) is not None and os.path.isfile(fs_path)


def _one_of(conn: sqlite3.Connection, query: str, tier: list[Candidate],
            notes: list[str] | None, verify: bool) -> int:
    """The track a tier of text matches names: its one track (or the one present among
    missing copies), or the first of copies of one file (``notes`` hears which); else
    :class:`AmbiguousQuery` listing them. For a write (``verify``) the present one wins
    only over missing tracks of its content hash (a moved file): a title naming two songs,
    one deleted, took the present one, and ``suggest --remove`` took the wrong entry out."""
    hit = _present_one(tier, verify)
    if hit:
        return hit.track_id
    hit = _one_file(conn, tier, verify=verify)
    if hit:
        if notes is not None:
            others = ", ".join(f"#{c.track_id}" for c in tier if c is not hit)
            notes.append(f"{shown(query)!r} matches {len(tier)} copies of one file: took "
                         f"#{hit.track_id} ({others} the same content)")
        return hit.track_id
    tier.sort(key=lambda c: (normalise(c.artist), normalise(c.title), c.track_id))
    raise AmbiguousQuery(query, tier[:MAX_CANDIDATES], len(tier))


def _present_one(tier: list[Candidate], verify: bool) -> Candidate | None:
    """The one track of ``tier``, or, for a read, its one present track among missing ones.
    A write (``verify``) takes only a tier of one track: a missing track's file cannot be
    compared, and its content hash (size and both ends) is shared by other songs of one
    length — the user may mean it, and ``--remove`` took the present one out."""
    if verify:
        return tier[0] if len(tier) == 1 else None
    return _prefer_present(tier)


def _refuse_what_is_no_track(conn: sqlite3.Connection, query: str, path_like: bool,
                             library_has_tracks: bool) -> NoReturn:
    """The one line for a QUERY that names no track: a folder, a playlist or unreadable
    file, an empty library, a number that is no track's id, or text nothing matches."""
    said = shown(query)  # a name's odd byte as U+FFFD, as the app shows it, not as \udcff
    if path_like and os.path.exists(os.path.expanduser(query)):
        _refuse_playlist_file(conn, query)
        _refuse_unreadable_file(conn, query)
        folder = folder_line(conn, query)  # "scan its folder first" misled there
        if folder:
            raise MusicsageError(folder)
        raise MusicsageError(f"{said} is not in the library (scan its folder first)")
    if not library_has_tracks:
        raise MusicsageError("the library is empty (scan a music folder or import a dataset)")
    track_id, name = id_in_query(query), _file_name_words(query)
    if track_id is not None:
        raise MusicsageError(f"no track with id {track_id} (nor a title, artist or {name} "
                             f"matching {said!r})")
    raise MusicsageError(f"no track matches {said!r} (by id, path, title, artist or {name})")


def _file_name_words(query: str) -> str:
    """What of a file's name QUERY was matched against, in the refusal's words: "or file
    name" told a user typing ``ogg`` that the library's ``song.ogg`` was looked at, where
    its extension is left out unless the text has a dot (:func:`_in_file_name`)."""
    return "file name" if "." in query else "file name without its extension"


def _titled_like_the_id(conn: sqlite3.Connection, query: str, hit: Candidate,
                        verify: bool) -> list[str]:
    """A note when a bare number taken as a track id is also other tracks' title: `similar
    22` in a library holding Taylor Swift's "22" silently gave track #22, some other song,
    and nothing said how to name the song meant. An id spelt ``#22`` or ``id:22`` is meant
    as one. The track's own copies (its artist and title, or its audio) are no other song
    and are left out; track #22 being itself titled "22" (Lily Allen's) is no reason to keep
    quiet about Taylor Swift's."""
    number = query.strip()
    if not number.isdigit():
        return []
    same_name = [_of_info(t) for t in titled_as_number(conn, number)]
    copies = _copies_of(conn, hit, same_name)  # (once: per track it was quadratic)
    titled = [c for c in same_name if c.track_id not in copies]
    if not titled:
        return []
    example, how = _naming_example(conn, titled, same_name, verify)
    other = "other " if normalise(hit.title) == normalise(number) else ""
    name = (f"the {other}track titled {number!r}, give {example!r}" if len(titled) == 1 else
            f"one of the {len(titled)} {other}tracks titled {number!r}, give {how}, such as "
            f"{example!r}")
    return [f"{number!r} was read as track id #{hit.track_id} ({shown(hit.label())}); "
            f"to name {name}"]


def _copies_of(conn: sqlite3.Connection, hit: Candidate,
               tracks: list[Candidate]) -> set[int]:
    """The ids among ``tracks`` that are ``hit`` or a copy of it: the same title and artist
    as neighbour lists compare them (:func:`copy_key`), or the same audio content hash
    (what they fold as copies too) and one file by their bytes (:class:`~musicsage.search.
    same_file.TrackFiles`: another song of that length between the same silences shares the
    hash, and the note on it was left out). Two songs titled "1" by no tagged artist are two
    songs: folding both artists to "" made the other one ``hit``'s copy, and the note kept
    quiet about it, or said "the other track" with two to tell apart."""
    from musicsage.search.lists import copy_key
    from musicsage.search.same_file import TrackFiles

    def key(track: Candidate) -> tuple[str, str] | None:
        return copy_key({"title": track.title, "artist": track.artist})

    name, files = key(hit), TrackFiles(conn)
    hashes = files([hit.track_id, *(c.track_id for c in tracks)])
    own = hashes.get(hit.track_id)
    return {hit.track_id} | {c.track_id for c in tracks
                             if (name is not None and key(c) == name)
                             or (own is not None and hashes.get(c.track_id) == own
                                 and files.same(hit.track_id, c.track_id))}


def _naming_example(conn: sqlite3.Connection, titled: list[Candidate],
                    same_name: list[Candidate], verify: bool) -> tuple[str, str]:
    """How to name one of ``titled`` (tracks of one title), and what that is: the first
    'artist - title' by artist that names one track of ``same_name`` (every track so titled,
    the id's own among them) — 'Taylor Swift - 22' where two tracks are so (not copies of
    one file) was ambiguous when given — else the first one's ``#id`` (no artist: no
    "? - 22")."""
    ordered = sorted(titled, key=lambda c: (not c.artist, normalise(c.artist), c.track_id))
    for c in ordered:
        label = " ".join(c.label().split())  # (a title " 22 ": 'Zed - 22', not 'Zed -  22 ')
        if c.artist and _names_one(conn, label, same_name, verify):
            return shown(label), "'artist - title'"
    return f"#{ordered[0].track_id}", "its track id"


def _names_one(conn: sqlite3.Connection, text: str, titled: list[Candidate],
               verify: bool) -> bool:
    """Whether ``text``, an 'artist - title' of one of ``titled``, names one track of them
    as :func:`resolve_query` reads it (its exact tiers; copies of one file are one)."""
    tier = next((t for t in text_tiers(text, titled)[:2] if t), [])
    return bool(tier) and (_present_one(tier, verify)
                           or _one_file(conn, tier, verify=verify)) is not None


def _of_info(track: TrackInfo) -> Candidate:
    """``track`` (a :class:`TrackInfo`, as the library's title look-up gives it) as the
    :class:`Candidate` the text tiers and the naming example read."""
    return Candidate(track.id, track.title, track.artist, track.path, track.status)


def _refuse_playlist_file(conn: sqlite3.Connection, query: str) -> None:
    """A playlist file given as QUERY (``similar "Slow Burn.m3u8"``) was told it "is not in
    the library (scan its folder first)", though the library may hold it: a QUERY is one
    track, and what goes with a playlist is ``suggest``."""
    from musicsage.library.playlists import format_for
    from musicsage.library.relations import playlist_at, playlist_names

    said = shown(query)
    pid = playlist_at(conn, query)
    if pid is not None:
        raise MusicsageError(f"{said} is the library's playlist {playlist_names(conn)[pid]!r}, "
                             f"not a track: `musicsage suggest {pid}` lists tracks to add to it")
    if format_for(os.path.abspath(os.path.expanduser(query))) is not None:
        raise MusicsageError(f"{said} is a playlist file, not a track: scan its folder to "
                             "import it, then `musicsage suggest PLAYLIST` lists tracks for it")


def _refuse_unreadable_file(conn: sqlite3.Connection, query: str) -> None:
    """A file the scan of its folder recorded as unreadable (a text file named ``.mp3``) was
    told to "scan its folder first", which was done and can only fail again: say why not."""
    from musicsage.library.paths import from_fs

    said, full = shown(query), os.path.abspath(os.path.expanduser(query))
    failure = queries.read_failure(conn, [from_fs(full), from_fs(os.path.realpath(full))])
    if failure is not None:
        raise MusicsageError(f"{said} could not be read by the scan, so it is not in the "
                             f"library: {failure['message']}")
