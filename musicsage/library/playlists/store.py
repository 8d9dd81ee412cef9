"""Importing playlist files into the DB: parse, resolve, and replace the playlist's entries.

A playlist is identified by its file path. Re-importing the same file keeps its ``playlists.id``
(so anything keyed on it stays valid) and replaces its entries in the file's current order, in
one transaction; a copy of it that a dataset import stored (the same name and tracks) leaves,
the file's playlist taking its place (:mod:`.twins`). Entries that do not resolve are stored
with ``track_id`` NULL and listed in the :class:`PlaylistReport`; a file that cannot be parsed
(or is refused as unsafe) gets an ``errors`` row (stage 'playlist') and leaves any earlier
import of it untouched.

A playlist follows its file: once the file is gone from a folder that is there (deleted, or
renamed outside a watch), :func:`forget_gone_playlists` removes the playlist from the library
(its rows only: the user's file is gone already). One whose folder is gone or cannot be read, or
is a bare mount point, or whose tracks all went with it (a drive not mounted,
:func:`~.reach.file_unreachable`) is kept, as the tracks of a music folder that is gone are kept.
The same file under another spelling of its path (a symlinked folder) is the same playlist.
"""

from __future__ import annotations

import os
import stat
from dataclasses import asdict, dataclass, field
from typing import Callable, Sequence

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.db import NOW_SQL, transaction
from musicsage.library.lock import scan_lock
from musicsage.library.playlists.base import PlaylistError, format_for
from musicsage.library.playlists.m3u import shown_format
from musicsage.library.playlists.reach import file_unreachable, same_file_rows
from musicsage.library.playlists.resolve import (FOLDER_ENTRY, NOT_IN_LIBRARY, TrackIndex,
                                                 names_a_folder, playlist_dir_of, resolve_entry)
from musicsage.library.playlists.twins import dataset_twins
from musicsage.library.scan_report import ShownPath
from musicsage.library.track_ids import next_id, retire_ids
from musicsage.library.walk import is_hidden_folder, is_resource_fork, stored_ns
from musicsage.progress import CancelToken, ProgressFn
from musicsage.text import counted, noun


@dataclass
class PlaylistReport:
    path: str
    name: str = ""
    format: str = ""
    playlist_id: int | None = None
    entries: int = 0
    resolved: int = 0
    unresolved: list[dict] = field(default_factory=list)
    """``{"position", "raw", "reason"}`` per entry that matched no track."""
    error: str | None = None
    """Set when the file could not be imported at all."""
    refreshed: bool = False
    """Re-read only because the library grew (not named by the user, its file unchanged): its
    unresolved entries were reported before, so only what the new tracks resolved is news."""
    previously_unresolved: int = 0
    """Entries that were unresolved before this import (0 for a first import)."""
    notes: list[str] = field(default_factory=list)
    """How the file was read, when the user should know (a ``.m3u8`` that is not UTF-8)."""
    replaced_imported_from: list[str] = field(default_factory=list)
    """The dataset dirs (as shown) an import of which had stored this playlist too (the same
    name and tracks, :mod:`.twins`): that copy left the library, and the file stands for it."""

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def quiet(self) -> bool:
        """A refresh that has nothing new to warn about (no error, no entry unresolved that was
        not before): the user saw its warning already, and repeating it on every scan that
        adds music teaches them to ignore warnings. Its news is :meth:`refresh_note`."""
        return (self.refreshed and self.error is None
                and len(self.unresolved) <= self.previously_unresolved)

    @property
    def found_now(self) -> int:
        """Entries a refresh resolved that were unresolved before (0 for other imports)."""
        return max(0, self.previously_unresolved - len(self.unresolved)) if self.refreshed else 0

    @property
    def none_found(self) -> bool:
        """Imported, with entries, but not one of them names a track: an empty playlist."""
        return self.error is None and self.entries > 0 and self.resolved == 0

    @property
    def warns(self) -> bool:
        """The user should be told of a problem: it could not be read, or none of its entries
        was found — unless it is a refresh repeating what was said before."""
        return not self.quiet and (self.error is not None or self.none_found)

    def refresh_note(self) -> str | None:
        """What a refresh changed, in one line; None when it resolved nothing new."""
        found = self.found_now
        if not found:
            return None
        their = "its file is" if found == 1 else "their files are"
        still = len(self.unresolved)
        return (f"playlist {self.name!r}: {counted(found, 'entry', 'entries')} found now that "
                f"{their} in the library" + (f" ({still} still not found)" if still else ""))

    def none_found_warning(self) -> str | None:
        """The line for a playlist none of whose entries were found (else None): it is
        imported empty, and stays so until the files are in the library."""
        if not self.none_found or not self.unresolved:
            return None
        first = self.unresolved[0]
        raw, reason = first.get("raw", ""), first.get("reason", "")
        example = repr(raw) if len(raw) <= _EXAMPLE_CHARS else ""
        if reason and reason != NOT_IN_LIBRARY:
            example = f"{example}: {reason}" if example else reason
        what = ("its only entry was not found" if self.entries == 1
                else f"none of its {self.entries} entries were found")
        text = f"playlist {self.name or self.path!r}: {what} in the library"
        text += f" ({'' if self.entries == 1 else 'e.g. '}{example})" if example else ""
        if reason == NOT_IN_LIBRARY:
            text += "; if the files moved, scan the folder they are in now"
        return text


def replaced_imports_note(reports: list[PlaylistReport]) -> str | None:
    """The scan's line for the playlists whose file took the place of a dataset import's copy
    of them (:attr:`PlaylistReport.replaced_imported_from`); None when none did."""
    done = [r for r in reports if r.replaced_imported_from]
    if not done:
        return None
    dirs = ", ".join(dict.fromkeys(d for r in done for d in r.replaced_imported_from))
    stand = "its file now stands for it" if len(done) == 1 else "their files now stand for them"
    return (f"{counted(len(done), 'playlist')} {noun(len(done), 'was', 'were')} already in the "
            f"library as imported from {dirs}: {stand}")


_EXAMPLE_CHARS = 60
"""An unresolved entry longer than this is left out of a warning line (``scan --json`` has
it): a whole URL or deep path would push the advice off the status bar."""


def unresolved_before(conn, db_path: str) -> int:
    """Unresolved entries of the playlist stored at ``db_path`` (0 if there is none)."""
    return conn.execute("SELECT COUNT(*) FROM playlist_entries e JOIN playlists p"
                        " ON p.id = e.playlist_id WHERE p.path = ? AND e.track_id IS NULL",
                        (db_path,)).fetchone()[0]


MAX_PLAYLIST_BYTES = 50 * 1024 * 1024
"""Larger files are refused: the biggest real playlists (tens of thousands of entries) are a
few MB, and a bigger "playlist" is a mistake or a trap that would fill memory."""


def read_playlist_bytes(fs_path: str) -> tuple[os.stat_result, bytes]:
    """The bytes of a playlist file, which must be a regular file within the size limit.

    Opened non-blocking and checked on the open descriptor (no gap between check and read): a
    FIFO with a playlist's name would otherwise block the scan forever, and a device
    (``/dev/zero`` behind a symlink) would fill memory. Raises :class:`PlaylistError` for
    those, OSError when the file cannot be opened.
    """
    fd = os.open(fs_path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise PlaylistError("not a regular file (a FIFO, device or folder); "
                                "playlists are read from regular files only")
        if st.st_size > MAX_PLAYLIST_BYTES:
            raise PlaylistError(_too_large(st.st_size))
        data = fh.read(MAX_PLAYLIST_BYTES + 1)
    if len(data) > MAX_PLAYLIST_BYTES:  # grew after the check
        raise PlaylistError(_too_large(len(data)))
    return st, data


def _too_large(size: int) -> str:
    """Rounded to whole MB, a file 47 bytes over read "50 MB; the limit is 50 MB": the MB get
    one decimal, and the bytes over the limit are said when that still rounds to the limit."""
    limit = MAX_PLAYLIST_BYTES // 2**20
    shown = f"{size / 2**20:.1f} MB"
    if shown == f"{limit}.0 MB":
        shown = f"{size:,} bytes, {size - MAX_PLAYLIST_BYTES:,} over"
    return f"too large for a playlist ({shown}; the limit is {limit} MB)"


def import_playlist_file(conn, fs_path: str, *, index: TrackIndex | None = None) -> PlaylistReport:
    """Parse, resolve and store one playlist file (``fs_path``: absolute OS path).

    Stored under the path it was first imported by: the same file given by another spelling
    (a symlinked folder) re-imports that playlist, and copies an older version stored of it
    under other spellings leave the library (their ids retired), as a dataset's twins do."""
    spellings = same_file_rows(conn, fs_path)
    db_path = spellings[0][1] if spellings else P.from_fs(fs_path)
    rep = PlaylistReport(path=ShownPath.of(db_path))  # scan --json: its URI too
    fmt = format_for(fs_path)
    if fmt is None:
        rep.error = "not a playlist file (extension not one of .m3u .m3u8 .pls .xspf)"
        return rep
    rep.format = shown_format(fs_path, fmt.name)  # a .m3u8 says so (stored as an m3u)
    try:
        st, data = read_playlist_bytes(fs_path)
        parsed = fmt.parse(data, os.path.basename(fs_path))
    except OSError as exc:
        rep.error = f"cannot read: {exc.strerror or exc}"
    except PlaylistError as exc:
        rep.error = str(exc)
    if rep.error is not None:
        q.record_error(conn, db_path, "playlist", rep.error)
        return rep
    index = index or TrackIndex.from_db(conn)
    base = playlist_dir_of(db_path)
    rep.name = parsed.name or P.display(os.path.splitext(os.path.basename(db_path))[0])
    rep.notes = list(parsed.notes)
    rows = []
    for position, entry in enumerate(parsed.entries):
        res = resolve_entry(entry.raw, base, index)
        rows.append((position, entry.raw, entry.title, res.track_id))
        if res.track_id is None:
            rep.unresolved.append({"position": position, "raw": entry.raw,
                                   "reason": _unresolved_reason(entry.raw, res.reason, base,
                                                                index.roots)})
    rep.entries = len(rows)
    rep.resolved = rep.entries - len(rep.unresolved)
    rep.previously_unresolved = unresolved_before(conn, db_path)
    rep.playlist_id = _store_playlist(conn, db_path, rep,
                                      (fmt.name, st.st_size, stored_ns(st.st_mtime_ns)),
                                      rows, doubles=[r[0] for r in spellings[1:]])
    return rep


NESTED_PLAYLIST = "a playlist file; playlists inside playlists are not followed"
"""The reason for an entry naming a playlist file (itself, or another): "no track at this
location, if the files moved scan the folder" sent the user looking for music that moved."""


def _unresolved_reason(raw: str, reason: str, playlist_dir: str, roots: list[str]) -> str:
    """``reason``, unless the entry names a playlist file (:data:`NESTED_PLAYLIST`) or a folder
    (:data:`~.resolve.FOLDER_ENTRY`, looked for where the entry's track was: the playlist's
    folder, the library's ``roots``), which no scan of its folder makes a track."""
    if format_for(raw.split("?")[0]) is not None:
        return NESTED_PLAYLIST
    if reason == NOT_IN_LIBRARY and names_a_folder(raw, playlist_dir, roots):
        return FOLDER_ENTRY
    return reason


def _store_playlist(conn, db_path: str, rep: PlaylistReport, file: tuple[str, int, int],
                    rows: list[tuple], doubles: Sequence[int] = ()) -> int:
    """Store the playlist file read (``file``: its format, size and mtime; ``rows``: position,
    raw, title, track_id per entry) at ``db_path`` in one transaction; returns its id.

    A copy of it that a dataset import stored (:func:`~.twins.dataset_twins`) leaves the
    library: the file's playlist takes its place, and its id when the file is new (it is the
    same playlist, and a model trained since the import keeps its vector for it); a copy
    besides is removed, its id retired, and so are ``doubles`` (its file's rows under other
    spellings of its path). Each doubled every membership in training, and leaked
    held-out ones into the evaluation. Its rows only: no file is touched."""
    with transaction(conn):
        row = conn.execute("SELECT id FROM playlists WHERE path = ?", (db_path,)).fetchone()
        twins = dataset_twins(conn, rep.name, [r[3] for r in rows])
        rep.replaced_imported_from = sorted({P.display(P.dataset_source(p)) for _, p in twins})
        if row is None and not twins:
            playlist_id = new_playlist_id(conn)
            conn.execute("INSERT INTO playlists(id, path, name, format, size, mtime_ns)"
                         " VALUES (?, ?, ?, ?, ?, ?)", (playlist_id, db_path, rep.name, *file))
        else:  # its own row, else the first copy's, which now stands for the file
            playlist_id = row[0] if row is not None else twins.pop(0)[0]
            conn.execute(f"UPDATE playlists SET path = ?, name = ?, format = ?, size = ?,"
                         f" mtime_ns = ?, imported_at = {NOW_SQL} WHERE id = ?",
                         (db_path, rep.name, *file, playlist_id))
            conn.execute("DELETE FROM playlist_entries WHERE playlist_id = ?", (playlist_id,))
        gone = [t[0] for t in twins] + list(doubles)
        if gone:
            retire_playlist_ids(conn)
            conn.executemany("DELETE FROM playlists WHERE id = ?", [(g,) for g in gone])
        conn.executemany("INSERT INTO playlist_entries(playlist_id, position, raw, title, track_id)"
                         " VALUES (?, ?, ?, ?, ?)", [(playlist_id, *r) for r in rows])
        q.clear_error(conn, db_path, "playlist")
    return playlist_id


def find_playlist_files(path: str,
                        on_error: Callable[[str, str], None] | None = None) -> list[str]:
    """``path`` itself if it is a file, else every playlist file under the folder (sorted;
    :func:`is_playlist_name`), not in hidden folders but in ``...And Justice for All/``, as
    the scan's walk (:func:`~musicsage.library.walk.is_hidden_folder`): every dotted folder
    was skipped, and the playlists of one named after an album were never imported.
    ``on_error(folder, reason)`` hears of each folder that cannot be listed: ``os.walk``
    passes over them without a word, so ``scan --playlists`` of a folder the user may not
    read said nothing at all and exited 0."""
    if not os.path.isdir(path):
        return [path]

    def unlistable(exc: OSError) -> None:
        if on_error is not None:
            on_error(os.fsdecode(exc.filename or path), exc.strerror or str(exc))

    found = []
    for folder, dirs, files in os.walk(path, onerror=unlistable):
        dirs[:] = sorted(d for d in dirs if not is_hidden_folder(d))
        found.extend(os.path.join(folder, f) for f in sorted(files) if is_playlist_name(f))
    return found


def is_playlist_name(name: str) -> bool:
    """Whether a file named ``name`` in a folder is a playlist a scan imports: a playlist's
    extension, and not macOS's ``._mix.m3u`` (a Mac's copy onto a USB drive leaves one
    beside each file), which the music folders' scan passes over too, by the same rule
    (:func:`~musicsage.library.walk.is_resource_fork`). ``scan --playlists DIR`` read each
    and said "not a playlist: binary data" of it. The folder watch asks this too."""
    return format_for(name) is not None and not is_resource_fork(name)


PLAYLIST_ID_FLOOR = "playlist_id_floor"
"""``settings`` key: the largest playlist id in use when playlists were last removed. A
trained graph model keeps a vector per playlist id, which a new playlist given a removed one's
id would take over (:mod:`musicsage.library.track_ids` does so for tracks). Every insert into
``playlists`` takes its id from :func:`new_playlist_id`, and a removal calls
:func:`retire_playlist_ids` first: files gone, lists a player dropped, a dataset import's
copies of the library's own playlists."""


def new_playlist_id(conn, wanted: int | None = None) -> int:
    """The id for a new playlist: ``wanted`` (a dataset dir's own) when no playlist has it and
    it was never retired, else one above every id in use and every id retired."""
    fresh = next_id(conn, "playlists", PLAYLIST_ID_FLOOR)
    if wanted is None or conn.execute("SELECT 1 FROM playlists WHERE id = ?",
                                      (wanted,)).fetchone():
        return fresh
    retired = conn.execute("SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?",
                           (PLAYLIST_ID_FLOOR,)).fetchone()
    return fresh if retired is not None and wanted <= int(retired[0]) else wanted


def retire_playlist_ids(conn) -> None:
    """Record the largest playlist id in use, before playlists are deleted (inside their
    transaction), so that :func:`new_playlist_id` never gives it out again."""
    retire_ids(conn, "playlists", PLAYLIST_ID_FLOOR)


@dataclass
class GonePlaylists:
    """What :func:`forget_gone_playlists` did."""

    names: list[str] = field(default_factory=list)
    """The playlists removed, as the library named them."""
    unreachable: list[str] = field(default_factory=list)
    """The playlists kept though their file is missing: it is out of reach, not known to be
    removed (a drive not mounted, :func:`~.reach.file_unreachable`)."""
    renamed: list[str] = field(default_factory=list)
    """Playlist files not imported, in the folder of a removed one, with its size and time
    (OS paths): the file renamed (``mv`` keeps both), for the caller to import."""


def forget_gone_playlists(conn, *, progress: ProgressFn | None = None,
                          cancel: CancelToken | None = None) -> GonePlaylists:
    """Remove the playlists whose file is gone (:func:`playlist_file_gone`, and not only out of
    reach: :func:`~.reach.file_unreachable`) from the library:
    their rows and entries, not any file. They were kept for good before, so a renamed file
    left two copies of the playlist (doubling its pairs in training, and leaking them into the
    held-out evaluation) and a deleted one was still suggested from. Playlist ids are not
    handed out again (:data:`PLAYLIST_ID_FLOOR`); a graph model trained before keeps working
    (a context it knows that the library no longer holds is simply not met)."""
    out = GonePlaylists()
    with scan_lock(conn, progress=progress, cancel=cancel, stage="playlists"):
        missing = [r for r in conn.execute("SELECT id, path, name, size, mtime_ns FROM playlists"
                                           " ORDER BY id").fetchall()
                   if P.is_file_path(r[1]) and playlist_file_gone(P.to_fs(r[1]))]
        kept = [r for r in missing if file_unreachable(conn, r[0], P.to_fs(r[1]))]
        out.unreachable = [r[2] or P.display(r[1]) for r in kept]
        gone = [r for r in missing if r not in kept]
        if not gone:
            return out
        with transaction(conn):
            retire_playlist_ids(conn)
            for pid, db_path, *_ in gone:
                conn.execute("DELETE FROM playlists WHERE id = ?", (pid,))  # entries cascade
                q.clear_error(conn, db_path, "playlist")
        out.names = [r[2] or P.display(r[1]) for r in gone]
        out.renamed = _renamed_files(conn, gone)
    return out


def playlist_file_gone(fs_path: str) -> bool:
    """Whether the playlist file at ``fs_path`` is gone from a folder that is there and can be
    listed. A folder that is gone or cannot be read (a drive not mounted, no permission), a
    file that cannot be looked at, a link whose target is gone: nothing is known, kept."""
    try:
        os.stat(fs_path)
        return False
    except (FileNotFoundError, NotADirectoryError):
        pass
    except OSError:
        return False
    try:
        with os.scandir(os.path.dirname(fs_path)) as entries:
            names = {e.name for e in entries}
    except OSError:
        return False
    return os.path.basename(fs_path) not in names


def _renamed_files(conn, gone: list) -> list[str]:
    """Playlist files in the folders of the ``gone`` rows (id, path, name, size, mtime_ns) that
    no playlist has and whose size and modification time are one of theirs (OS paths): those
    a scan imports (:func:`is_playlist_name`), ``...And Justice for All.m3u`` among them."""
    stored = {r[0] for r in conn.execute("SELECT path FROM playlists")}
    wanted = {(r[3], r[4]) for r in gone}
    out: list[str] = []
    for folder in dict.fromkeys(os.path.dirname(P.to_fs(r[1])) for r in gone):
        try:
            with os.scandir(folder) as entries:
                files = sorted(e.path for e in entries if is_playlist_name(e.name))
        except OSError:
            continue
        for f in files:
            try:
                st = os.stat(f)
            except OSError:
                continue
            if (P.from_fs(f) not in stored and stat.S_ISREG(st.st_mode)
                    and (st.st_size, stored_ns(st.st_mtime_ns)) in wanted):
                out.append(f)
    return out
