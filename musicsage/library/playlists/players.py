"""Playlists kept inside a music player's own library file: one file, many playlists.

M3U, PLS and XSPF hold one playlist per file (:mod:`.base`). A player's library — Apple Music /
iTunes ``Library.xml``, Rhythmbox ``playlists.xml``, the Strawberry or Clementine SQLite
database — holds all of them, plus lists the player makes itself (the whole library, smart and
automatic lists, the play queue). A reader for such a file returns a :class:`PlayerLibrary`:
the user's playlists, each with a key that stays the same while the player keeps it (a
persistent id or row id, else the name), and the lists it skipped with the reason why.

Readers register a :class:`PlayerFormat` (a Picard-style table, like :data:`.base.FORMATS`) and
are recognised by content, not extension (``Library.xml`` and ``playlists.xml`` are both
``.xml``). :func:`import_player_library` stores the playlists with the same entry resolution and
unresolved-entry report as M3U. Each is a ``playlists`` row whose path names the source and the
key (``rhythmbox:/home/me/.local/share/rhythmbox/playlists.xml#Road%20trip``, the same kind of
synthetic path as ``dataset:<dir>#<id>``), so re-importing keeps its id; a playlist the player
no longer has is removed (the player is the source of truth for its own lists); the source file
is never written to. A copy of a playlist that a dataset import stored gives way to the
player's, as it gives way to a playlist file (:mod:`.twins`): an import counts the player's
lists as the library's own, so the scan must too, else each was in the library twice.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import quote, unquote

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.db import NOW_SQL, transaction
from musicsage.library.playlists.base import PlaylistError, RawEntry
from musicsage.library.playlists.named import StoredList, match_named, rank
from musicsage.library.playlists.resolve import TrackIndex, playlist_dir_of, resolve_entry
from musicsage.library.playlists.store import (PlaylistReport, new_playlist_id,
                                                retire_playlist_ids, unresolved_before)
from musicsage.library.playlists.twins import dataset_twins
from musicsage.library.scan_report import ShownPath
from musicsage.library.walk import stored_ns

HEAD_BYTES = 4096
"""How much of a file the detectors see."""


@dataclass(frozen=True)
class PlayerEntry(RawEntry):
    no_file: str | None = None
    """Why this entry cannot name a local file (a cloud track, a song the player dropped); it
    is then reported unresolved with this reason instead of being looked up."""


@dataclass(frozen=True)
class PlayerPlaylist:
    key: str
    """Identifies the playlist within its source across re-imports (persistent id, row id)."""
    name: str
    entries: list[RawEntry]


@dataclass(frozen=True)
class SkippedList:
    name: str
    reason: str


@dataclass
class PlayerLibrary:
    playlists: list[PlayerPlaylist] = field(default_factory=list)
    skipped: list[SkippedList] = field(default_factory=list)


@dataclass(frozen=True)
class PlayerFormat:
    name: str
    """Short id, also the ``playlists.format`` value (``itunes``, ``rhythmbox`` …)."""
    label: str
    detect: Callable[[str, bytes], bool]
    """``detect(fs_path, head)``: True when this reader handles the file (``head``: its first
    :data:`HEAD_BYTES` bytes)."""
    read: Callable[[str], PlayerLibrary]
    """``read(fs_path)``; raises :class:`PlaylistError` for a file it cannot use."""
    filenames: tuple[str, ...] = ()
    """The names the player gives the file, so that its folder can be given instead."""
    owns_filenames: bool = False
    """Whether a file of one of those names is this player's whatever its content says
    (``strawberry.db``: no other program writes one). A broken one (empty, not SQLite, a schema
    the detector does not know) is then read and refused in one line naming it, not passed
    over in its folder nor called "not a playlist file (extension not one of .m3u …)"."""


PLAYER_FORMATS: dict[str, PlayerFormat] = {}


def register_player(fmt: PlayerFormat) -> PlayerFormat:
    PLAYER_FORMATS[fmt.name] = fmt
    return fmt


def player_format_for(fs_path: str) -> PlayerFormat | None:
    """The player format of the regular file at ``fs_path`` (by content, else by a file name
    only that player uses: :attr:`PlayerFormat.owns_filenames`), or None."""
    try:
        if not stat.S_ISREG(os.stat(fs_path).st_mode):
            return None
        with open(fs_path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        return None
    for fmt in PLAYER_FORMATS.values():
        if fmt.detect(fs_path, head):
            return fmt
    name = os.path.basename(fs_path)
    return next((fmt for fmt in PLAYER_FORMATS.values()
                 if fmt.owns_filenames and name in fmt.filenames), None)


def player_files_in(folder: str) -> list[str]:
    """Players' library files directly in ``folder`` (by their usual names, then by content):
    ``--playlists ~/.local/share/rhythmbox`` finds ``playlists.xml``."""
    names = {n for fmt in PLAYER_FORMATS.values() for n in fmt.filenames}
    try:
        found = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n in names)
    except OSError:
        return []
    return [f for f in found if player_format_for(f) is not None]


# --- synthetic playlist paths -----------------------------------------------------------------


def source_prefix(format_name: str, source_db_path: str) -> str:
    return f"{format_name}:{source_db_path}#"


def playlist_db_path(format_name: str, source_db_path: str, key: str) -> str:
    return source_prefix(format_name, source_db_path) + quote(key, safe="")


def split_playlist_db_path(path: str) -> tuple[str, str, str] | None:
    """``(format, source DB path, key)`` of a player playlist's path; None for other paths."""
    name, sep, rest = path.partition(":")
    if not sep or name not in PLAYER_FORMATS or not rest.startswith("/"):
        return None
    source, sep, key = rest.rpartition("#")
    return (name, source, unquote(key)) if sep else None


def source_signature(fs_path: str) -> tuple[int, int]:
    """(size, mtime_ns) that changes whenever the source's content may have: for an SQLite
    database in WAL mode the ``-wal`` file changes first, so it counts too. The time is
    stored (:func:`~musicsage.library.walk.stored_ns`): one after 2262 fits the database."""
    st = os.stat(fs_path)
    size, mtime = st.st_size, st.st_mtime_ns
    wal = wal_stat(fs_path)
    if wal is None:
        return size, stored_ns(mtime)
    return size + wal.st_size, stored_ns(max(mtime, wal.st_mtime_ns))


def wal_stat(fs_path: str) -> os.stat_result | None:
    """The ``-wal`` file of the SQLite database at ``fs_path`` (None: there is none)."""
    try:
        return os.stat(fs_path + "-wal")
    except OSError:
        return None


def wal_in_use(fs_path: str) -> bool:
    """Whether the database is in WAL mode with commits in its ``-wal`` not yet in the file
    (an empty ``-wal`` holds none): only a copy of both reads them without a lock."""
    wal = wal_stat(fs_path)
    return wal is not None and wal.st_size > 0


# --- import -------------------------------------------------------------------------------------


@dataclass
class PlayerPlaylistReport(PlaylistReport):
    source: str = ""
    """The player's file (display form)."""
    skipped: str | None = None
    """Why this list was not imported (built-in, smart/automatic, the play queue, gone)."""

    @property
    def quiet(self) -> bool:
        """A refresh of the player's unchanged file skips the same lists as the last read did:
        saying so again is no news."""
        return (self.refreshed and self.skipped is not None) or super().quiet


def library_index(conn) -> TrackIndex:
    """The tracks to resolve playlist entries against, including the paths tracks were moved
    from (:meth:`TrackIndex.from_db` includes them, so no caller can forget them)."""
    return TrackIndex.from_db(conn)


@dataclass(frozen=True)
class PlayerFileRead:
    """What reading a player's library file gave (:func:`read_player_file`), with the file's
    signature taken just before: a scan's check reads a lone one to refuse it in one line when
    it cannot be read, and the import takes this instead of reading a large ``Library.xml``
    (seconds) again — unless the file changed meanwhile."""

    fmt: PlayerFormat
    signature: tuple[int, int]
    library: PlayerLibrary


def read_player_file(fs_path: str, fmt: PlayerFormat) -> PlayerFileRead:
    """Read a player's library file; raises ``OSError`` or :class:`PlaylistError`."""
    signature = source_signature(fs_path)  # first: a change while it is read shows later
    return PlayerFileRead(fmt, signature, fmt.read(fs_path))


def player_read_problem(exc: OSError | PlaylistError) -> str:
    """Why a player's library file could not be read, in the words its import report uses."""
    return f"cannot read: {exc.strerror or exc}" if isinstance(exc, OSError) else str(exc)


def import_player_library(conn, fs_path: str, *, fmt: PlayerFormat | None = None,
                          index: TrackIndex | None = None,
                          read: PlayerFileRead | None = None) -> list[PlaylistReport]:
    """Import every user playlist of a player's library file; one report per playlist, one per
    skipped list (``error`` says "skipped: why"), or a single report with the reason the file
    could not be read at all (also recorded in ``errors``, stage 'playlist'). ``read``: what
    :func:`read_player_file` gave for it before, used while the file is unchanged."""
    source = P.from_fs(os.path.abspath(fs_path))
    fmt = fmt or (read.fmt if read is not None else player_format_for(fs_path))
    try:
        if fmt is None:
            raise PlaylistError("not a playlist file or player library this version reads")
        if read is None or read.fmt is not fmt or read.signature != source_signature(fs_path):
            read = read_player_file(fs_path, fmt)
    except (OSError, PlaylistError) as exc:
        message = player_read_problem(exc)
        q.record_error(conn, source, "playlist", message)
        return [PlaylistReport(path=ShownPath.of(source), format=fmt.name if fmt else "",
                               error=message)]
    signature, library = read.signature, read.library
    index = index or library_index(conn)
    reports: list[PlaylistReport] = []
    keep: list[str] = []
    playlists = _unique_keys(library.playlists)
    _carry_over(conn, fmt.name, source, playlists)
    for playlist in playlists:
        reports.append(_import_one(conn, fmt.name, source, playlist, signature, index))
        keep.append(playlist_db_path(fmt.name, source, playlist.key))
    for gone in library.skipped:
        reports.append(_skipped(fmt.name, source, gone.name, gone.reason))
    for name in _remove_others(conn, fmt.name, source, keep):
        reports.append(_skipped(fmt.name, source, name, "removed: the player no longer has it"))
    q.clear_error(conn, source, "playlist")
    return reports


def _unique_keys(playlists: list[PlayerPlaylist]) -> list[PlayerPlaylist]:
    """A second playlist with the same key (two Rhythmbox lists of one name) gets ``key~2``."""
    seen: dict[str, int] = {}
    out = []
    for pl in playlists:
        n = seen[pl.key] = seen.get(pl.key, 0) + 1
        out.append(pl if n == 1 else PlayerPlaylist(f"{pl.key}~{n}", pl.name, pl.entries))
    return out


NAME_KEYED = frozenset({"rhythmbox"})
"""Formats that keep no id of their own: a playlist's key is its name (and its rank among lists
of that name), so a renamed list is found by its entries (:func:`_carry_over`). The others' keys
(iTunes persistent ids, Strawberry/Clementine row ids) are the player's own: one key is one
playlist whatever its name and entries, and matching entries would give one list's id to
another (a trained vector and saved state with it)."""


def _carry_over(conn, format_name: str, source: str, playlists: list[PlayerPlaylist]) -> None:
    """Move each stored row of a name-keyed source (:data:`NAME_KEYED`) to the key of the
    playlist read that it is (:func:`.named.match_named`), so that :func:`_store` keeps its
    id: a renamed Rhythmbox list was a new playlist (a trained model's vector for it lost). A
    row no playlist is that sits on a key one needs is moved aside, for :func:`_remove_others`.
    Other formats' keys are the player's own ids: nothing to carry."""
    if format_name not in NAME_KEYED:
        return
    prefix = source_prefix(format_name, source)
    found = conn.execute("SELECT id, name, path FROM playlists WHERE substr(path, 1, ?) = ?"
                         " ORDER BY id", (len(prefix), prefix)).fetchall()
    entries: dict[int, list[str]] = {r[0]: [] for r in found}
    for pid, raw in conn.execute(
            "SELECT e.playlist_id, e.raw FROM playlist_entries e JOIN playlists p ON"
            " p.id = e.playlist_id WHERE substr(p.path, 1, ?) = ? ORDER BY e.playlist_id,"
            " e.position", (len(prefix), prefix)):
        entries[pid].append(raw)
    now = {pid: path for pid, _name, path in found}
    rows = [StoredList(pid, name, rank(unquote(path[len(prefix):]), name), tuple(entries[pid]))
            for pid, name, path in found]
    wanted = {pl.key: playlist_db_path(format_name, source, pl.key) for pl in playlists}
    matched = match_named(rows, playlists)
    moving = {pid: wanted[key] for key, pid in matched.items() if now[pid] != wanted[key]}
    needed = set(wanted.values())
    aside = [pid for pid, path in now.items() if pid not in matched.values() and path in needed]
    with transaction(conn):
        for pid in [*moving, *aside]:  # out of each other's way first (a key has no space)
            conn.execute("UPDATE playlists SET path = ? WHERE id = ?",
                         (f"{prefix} moving {pid}", pid))
        for pid, path in moving.items():
            conn.execute("UPDATE playlists SET path = ? WHERE id = ?", (path, pid))


def _skipped(format_name: str, source: str, name: str, reason: str) -> PlayerPlaylistReport:
    return PlayerPlaylistReport(path=P.display(source), name=name, format=format_name,
                                source=P.display(source), skipped=reason,
                                error=f"{name!r} skipped: {reason}")


def _import_one(conn, format_name: str, source: str, playlist: PlayerPlaylist,
                signature: tuple[int, int], index: TrackIndex) -> PlayerPlaylistReport:
    db_path = playlist_db_path(format_name, source, playlist.key)
    rep = PlayerPlaylistReport(path=P.display(db_path), name=playlist.name, format=format_name,
                               source=P.display(source))
    base = playlist_dir_of(source)
    rows = []
    for position, entry in enumerate(playlist.entries):
        no_file = getattr(entry, "no_file", None)
        track_id, reason = (None, no_file) if no_file else _resolve(entry.raw, base, index)
        rows.append((position, entry.raw, entry.title, track_id))
        if track_id is None:
            rep.unresolved.append({"position": position, "raw": entry.raw, "reason": reason})
    rep.entries = len(rows)
    rep.resolved = rep.entries - len(rep.unresolved)
    rep.previously_unresolved = unresolved_before(conn, db_path)
    rep.playlist_id = _store(conn, db_path, rep, signature, rows)
    return rep


def _resolve(raw: str, base: str, index: TrackIndex) -> tuple[int | None, str]:
    res = resolve_entry(raw, base, index)
    return res.track_id, res.reason


def _store(conn, db_path: str, rep: PlayerPlaylistReport, signature: tuple[int, int],
           rows: list[tuple]) -> int:
    """Insert or refresh one playlist and its entries in one transaction (its id is kept).

    A player rewrites its database for every play count; when a playlist's name and entries
    are unchanged only its stored signature is updated, so watching a player costs no churn.
    A dataset import's copy of it (:func:`~.twins.dataset_twins`) leaves, as for a playlist
    file (:func:`~.store._store_playlist`): a new list takes the first copy's id (a model
    trained since keeps its vector), the others' ids are retired."""
    size, mtime_ns = signature
    name, format_name = rep.name, rep.format
    with transaction(conn):
        row = conn.execute("SELECT id, name FROM playlists WHERE path = ?", (db_path,)).fetchone()
        twins = dataset_twins(conn, name, [r[3] for r in rows])
        rep.replaced_imported_from = sorted({P.display(P.dataset_source(p)) for _, p in twins})
        if row is None and not twins:
            playlist_id = new_playlist_id(conn)  # never a removed list's: a model keeps those
            conn.execute("INSERT INTO playlists(id, path, name, format, size, mtime_ns)"
                         " VALUES (?, ?, ?, ?, ?, ?)",
                         (playlist_id, db_path, name, format_name, size, mtime_ns))
        else:  # its own row, else the first copy's, which now stands for the player's list
            playlist_id, old_name = row if row is not None else (twins.pop(0)[0], None)
            if twins:  # ids retired first, as for every playlist removed
                retire_playlist_ids(conn)
                conn.executemany("DELETE FROM playlists WHERE id = ?", [(t[0],) for t in twins])
            old = [tuple(r) for r in conn.execute(
                "SELECT position, raw, title, track_id FROM playlist_entries"
                " WHERE playlist_id = ? ORDER BY position", (playlist_id,))]
            conn.execute("UPDATE playlists SET path = ?, size = ?, mtime_ns = ? WHERE id = ?",
                         (db_path, size, mtime_ns, playlist_id))
            if old_name == name and old == rows:
                return playlist_id
            conn.execute(f"UPDATE playlists SET name = ?, format = ?, imported_at = {NOW_SQL}"
                         " WHERE id = ?", (name, format_name, playlist_id))
            conn.execute("DELETE FROM playlist_entries WHERE playlist_id = ?", (playlist_id,))
        conn.executemany("INSERT INTO playlist_entries(playlist_id, position, raw, title, track_id)"
                         " VALUES (?, ?, ?, ?, ?)", [(playlist_id, *r) for r in rows])
    return playlist_id


def _remove_others(conn, format_name: str, source: str, keep: list[str]) -> list[str]:
    """Delete this source's playlists that are not in ``keep``; their names. Their ids are
    retired first, as for a playlist whose file is gone: a new list the player makes must
    not take over a trained model's vector of a removed one."""
    prefix = source_prefix(format_name, source)
    wanted = set(keep)
    with transaction(conn):
        gone = [(r[0], r[1]) for r in conn.execute(
            "SELECT id, name, path FROM playlists WHERE substr(path, 1, ?) = ?",
            (len(prefix), prefix)) if r[2] not in wanted]
        if gone:
            retire_playlist_ids(conn)
        conn.executemany("DELETE FROM playlists WHERE id = ?", [(pid,) for pid, _ in gone])
    return [name for _, name in gone]


def player_sources_to_refresh(conn, *, library_grew: bool) -> dict[str, bool]:
    """Player library files imported before that a re-scan should read again (OS paths), each
    mapped to whether its content changed; the others — read again only because the scan
    added tracks — have unresolved entries the new tracks may resolve. A source that is gone is
    left alone: what was imported stays."""
    sources: dict[str, bool] = {}
    changed_sources: set[str] = set()
    if not PLAYER_FORMATS:
        return {}
    for r in conn.execute(
            "SELECT p.path, p.size, p.mtime_ns, COUNT(e.position) - COUNT(e.track_id) AS unresolved"
            " FROM playlists p LEFT JOIN playlist_entries e ON e.playlist_id = p.id"
            " WHERE p.format IN (%s) GROUP BY p.id ORDER BY p.id"
            % ",".join("?" * len(PLAYER_FORMATS)), tuple(PLAYER_FORMATS)).fetchall():
        parts = split_playlist_db_path(r["path"])
        if parts is None:
            continue
        fs = P.to_fs(parts[1])
        try:
            changed = source_signature(fs) != (r["size"], r["mtime_ns"])
        except OSError:
            continue
        sources[fs] = sources.get(fs, False) or changed or bool(library_grew and r["unresolved"])
        if changed:
            changed_sources.add(fs)
    return {fs: fs in changed_sources for fs, stale in sources.items() if stale}


def player_source_paths(conn) -> list[str]:
    """OS paths of every player library file imported before (what a folder watch follows)."""
    found: list[str] = []
    for (path,) in conn.execute("SELECT path FROM playlists WHERE format IN (%s) ORDER BY id"
                                % ",".join("?" * len(PLAYER_FORMATS)), tuple(PLAYER_FORMATS)):
        parts = split_playlist_db_path(path)
        if parts is not None and P.to_fs(parts[1]) not in found:
            found.append(P.to_fs(parts[1]))
    return found
