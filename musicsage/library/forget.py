"""Removing a music folder from the library: its tracks leave it; its files stay where they are.

A folder added by mistake (Downloads, a backup drive) would otherwise stay for good: every
re-scan reads it again, the folder watch follows it, and its tracks fill the map and the
neighbour lists. :func:`forget_root` deletes the folder's tracks from the library database —
with their audio vectors, content hashes and remembered moves (the schema's foreign keys
cascade) — and forgets the folder itself. Nothing on disk is touched: not the audio files,
not a playlist file.

What a user made is kept. A playlist entry that named one of those tracks stays in the
playlist, unresolved (the schema sets its track to NULL); adding the folder back resolves it
again, because a scan that adds tracks re-imports the playlists with unresolved entries.
Tracks that also lie under another remembered folder (folders inside folders, which a scan
now folds into the folder around them — library/scan.py — but older libraries may hold) stay.

Track ids are never handed out twice (:mod:`musicsage.library.track_ids`): a trained graph
model keeps vectors under the ids it was trained on, so a new track given a forgotten track's
id would borrow that track's place in the model. Vectors of forgotten tracks stay in the
model's files and are left out wherever the graph space is read.

A dataset dir that was imported (``import DIR``) can be forgotten the same way: what the
import stored under the dir's synthetic ``dataset:<dir>#`` paths leaves the library — its
playlists, and its tracks without an audio file — while tracks of real files stay (they are
the files', found again by any scan), and nothing on disk is touched. So do the tracks and
playlists another imported dir still names (this library's export of them, imported back):
they pass to that dir, as importing it alone would have stored them
(:mod:`musicsage.library.dataset_names`).
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

from musicsage.errors import MusicsageError
from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.dataset_names import named_by, release, stored_by_sql
from musicsage.library.gone_roots import DeadLinks, dead_file_link, unreachable_root
from musicsage.library.db import transaction
from musicsage.library.in_chunks import in_chunks
from musicsage.library.lock import GRAPH_VECTORS, library_lock, scan_lock
from musicsage.library.missing_report import (MissingReport, adopt_before_removal, came_back,
                                             only_asked, would_adopt)
from musicsage.library.playlists.store import retire_playlist_ids
from musicsage.library.scan import tracks_under
from musicsage.library.track_ids import retire_track_ids
from musicsage.library.under_paths import any_track_under
from musicsage.progress import CancelToken, ProgressFn, check_cancel
from musicsage.text import counted


@dataclass(frozen=True)
class ForgetReport:
    """What removing a folder did; :meth:`to_dict` is the ``forget --json`` contract."""

    root: str
    """The folder, as shown."""
    tracks: int
    """Tracks that left the library."""
    kept: int
    """Tracks under the folder kept because another remembered folder holds them too."""
    entries: int
    """Playlist entries left unresolved (their playlists keep them)."""
    playlists: int
    """Playlists holding such entries."""

    def to_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        """One line for the command line and the window alike. Adding the folder back
        resolves the entries to new tracks (new ids, analysed again), not the old ones."""
        line = (f"removed {self.root} from the library: {counted(self.tracks, 'track')} "
                f"left it (no file was touched)")
        if self.entries:
            line += (f"; {counted(self.entries, 'playlist entry', 'playlist entries')} in "
                     f"{counted(self.playlists, 'playlist')} now unresolved (adding the folder "
                     f"back resolves {'it' if self.entries == 1 else 'them'}, but to new "
                     "tracks: their audio is analysed again, and the graph model learns them "
                     "at its next training)")
        if self.kept:
            line += (f"; {counted(self.kept, 'track')} kept: another music folder holds "
                     f"{'it' if self.kept == 1 else 'them'}")
        return line


@dataclass(frozen=True)
class ForgottenDataset:
    """What forgetting an imported dataset dir did; :meth:`to_dict` is ``forget --json``'s."""

    dataset: str
    """The dataset dir, as shown."""
    playlists: int
    """Its playlists that left the library."""
    tracks: int
    """Its tracks without an audio file that left the library."""
    kept: int = 0
    """Its tracks without an audio file kept: another imported dataset dir names them."""
    kept_playlists: int = 0
    """Its playlists kept for the same reason."""

    def to_dict(self) -> dict:
        """The counts kept appear only when some were: most dirs share nothing."""
        return {k: v for k, v in asdict(self).items()
                if v or k not in ("kept", "kept_playlists")}

    def summary(self) -> str:
        """One line for the command line and the window alike."""
        line = (f"removed the dataset dir {self.dataset} from the library: its "
                f"{counted(self.playlists, 'playlist')} and {counted(self.tracks, 'track')} "
                "without an audio file left it (no file was touched; tracks of audio files "
                "stay)")
        if self.kept or self.kept_playlists:
            line += (f"; {counted(self.kept, 'track')} and "
                     f"{counted(self.kept_playlists, 'playlist')} kept: another imported "
                     "dataset dir names them")
        return line


def folder_names(roots: Sequence[str]) -> list[str]:
    """Each remembered folder (DB form) as the window and messages show it: printable
    (:func:`~musicsage.library.paths.display`), except where two would read the same —
    ``caf\xe9`` and ``caf\xe8``, not valid UTF-8, both showed as ``caf\ufffd`` — whose
    undecodable bytes are then written out (``caf\\xe9``): picking the second entry of
    File › Remove music folder removed the first."""
    shown = [P.display(r) for r in roots]
    return [s if shown.count(s) == 1
            else os.fsencode(P.to_fs(r)).decode("utf-8", "backslashreplace")
            for r, s in zip(roots, shown)]


def find_root(conn: sqlite3.Connection, folder: str, *, inside: bool = False) -> str:
    """The remembered folder (DB form) that ``folder`` names — an OS path, absolute or
    relative, the folder's DB form, or a folder as the window shows it
    (:func:`folder_names`) — else a one-line error naming them. With ``inside``, a folder
    inside a remembered one is named too (its DB form, as the library spells it): ``forget
    --missing`` cleans up one album, where only a whole music folder can be removed."""
    roots = q.library_roots(conn)
    names = folder_names(roots)
    known = ", ".join(names) or "none yet"
    if not folder.strip():
        raise MusicsageError(f"an empty path was given: name one of the library's music "
                             f"folders ({known})")
    if folder in roots:
        return folder
    given = P.from_fs(os.path.abspath(os.path.expanduser(folder)))
    for root, name in zip(roots, names):
        if given == root or folder.rstrip("/") == name.rstrip("/"):
            return root
    # the folder as the library spells it, when the scan reached it another way (a link):
    # ``scan Link`` then ``forget Music`` (``Link -> Music``) names the same music folder
    given = P.from_fs(P.known_spelling(P.to_fs(given), [P.to_fs(r) for r in roots]))
    if given in roots:
        return given
    holder = next((r for r in roots if P.is_under(given, r)), None)
    if holder is not None and inside:  # a typo must not read as "no missing tracks there"
        if (os.path.exists(os.path.expanduser(folder)) or os.path.exists(P.to_fs(given))
                or any_track_under(conn, given)):
            return given
        raise MusicsageError(f"{P.display(given)} does not exist and the library holds no track "
                             f"under it (inside the music folder {names[roots.index(holder)]}): "
                             "check the path; nothing was removed")
    if holder is not None:  # e.g. ~/Music/a, folded into ~/Music by a scan of ~/Music
        raise MusicsageError(f"{P.display(given)} is not one of the library's music folders: "
                             f"it is part of {P.display(holder)} (only a whole music folder "
                             f"can be removed: {known})")
    raise MusicsageError(f"{P.display(given)} is not one of the library's music folders "
                         f"({known})")


@contextmanager
def _forget_locks(conn: sqlite3.Connection, progress: ProgressFn | None,
                  cancel: CancelToken | None):
    """The scan, embed and graph-vectors locks, held while tracks leave the library (each
    waited for in turn): neither a scan, an embedding run nor its graph step sees half of
    them gone."""
    with (scan_lock(conn, progress=progress, cancel=cancel, stage="forget"),
          library_lock(conn, "embed", progress=progress, cancel=cancel, stage="forget"),
          library_lock(conn, GRAPH_VECTORS, progress=progress, cancel=cancel, stage="forget")):
        yield


def forget_root(conn: sqlite3.Connection, folder: str, *, progress: ProgressFn | None = None,
                cancel: CancelToken | None = None) -> ForgetReport | ForgottenDataset:
    """Remove the remembered music folder ``folder`` and its tracks from the library (see the
    module docstring); one transaction, under the scan, the embed and the graph-vectors lock,
    so that a scan, an embedding run or its graph step (library/lock.py) of the same library
    in another process neither adds to those tracks meanwhile nor sees half of them gone
    (each waits, then goes on without them). ``folder`` may be a dataset dir imported into
    the library instead (not a music folder): what the import stored of it is removed."""
    with _forget_locks(conn, progress, cancel):
        try:
            root = find_root(conn, folder)
        except MusicsageError:
            prefix = imported_dataset(conn, folder)
            if prefix is None:
                _refuse_dataset_with_nothing_stored(folder)
                raise
            return _forget_dataset(conn, prefix)
        roots = q.library_roots(conn)
        others = [r for r in roots if r != root]
        name = folder_names(roots)[roots.index(root)]  # the one removed, as the menu named it
        under = tracks_under(conn, [root])
        ids = [int(row[0]) for path, row in under.items()
               if not any(P.is_under(path, o) for o in others)]
        with transaction(conn):
            entries, playlists = _entries_of(conn, ids)
            retire_track_ids(conn)
            _delete_tracks(conn, ids)
            for r in conn.execute("SELECT path FROM errors").fetchall():
                if P.is_under(r[0], root) and not any(P.is_under(r[0], o) for o in others):
                    conn.execute("DELETE FROM errors WHERE path = ?", (r[0],))
            conn.execute("DELETE FROM library_roots WHERE path = ?", (root,))
    return ForgetReport(root=name, tracks=len(ids), kept=len(under) - len(ids),
                        entries=entries, playlists=playlists)


def _refuse_dataset_with_nothing_stored(given: str) -> None:
    """A dataset dir (it holds a tracks.csv) the library holds nothing of was called "not one
    of the library's music folders": true, and no help — it was never imported here, was
    forgotten already, or its playlists now stand as their files (a scan imported those)."""
    typed = os.path.abspath(os.path.expanduser(given))
    if given.strip() and os.path.isfile(os.path.join(typed, "tracks.csv")):
        raise MusicsageError(f"{P.display(P.from_fs(typed))} is a dataset dir, but the library "
                             "holds nothing an import of it stored (never imported here, "
                             "forgotten already, or its playlists now stand as their files): "
                             "nothing was removed")


def _delete_tracks(conn: sqlite3.Connection, ids: list[int]) -> None:
    for marks, chunk in in_chunks(ids):
        conn.execute(f"DELETE FROM tracks WHERE id IN ({marks})", chunk)


def imported_dataset(conn: sqlite3.Connection, given: str) -> str | None:
    """The ``dataset:<dir>#`` prefix of the dataset dir ``given`` names (as typed: absolute,
    relative, through a link — an import stores the dir with links resolved — or gone since),
    if the library holds a playlist or a track an import of it stored or named; else None."""
    if not given.strip():
        return None
    typed = os.path.abspath(os.path.expanduser(given))
    for form in (str(Path(typed).resolve()), typed):
        prefix = P.dataset_key_prefix(form)
        stored, params = stored_by_sql(conn, "path", prefix)
        for table in ("playlists", "tracks"):
            if conn.execute(f"SELECT 1 FROM {table} WHERE {stored} LIMIT 1",
                            params).fetchone():
                return prefix
        if named_by(conn, prefix):
            return prefix
    return None


def _forget_dataset(conn: sqlite3.Connection, prefix: str) -> ForgottenDataset:
    """Delete the playlists and tracks stored under ``prefix`` (an imported dataset dir's) or
    named by it, but those another imported dir names (kept, passed to it); track and
    playlist ids retired as :func:`forget_root` does (a trained graph model keeps a vector
    per id, which a playlist imported later would have taken over)."""
    with transaction(conn):
        playlists, kept_playlists = release(conn, "playlists", prefix)
        ids, kept = release(conn, "tracks", prefix)
        retire_playlist_ids(conn)
        conn.executemany("DELETE FROM playlists WHERE id = ?", [(p,) for p in playlists])
        retire_track_ids(conn)
        _delete_tracks(conn, ids)
    return ForgottenDataset(dataset=P.display(P.dataset_source(prefix)),
                            playlists=len(playlists), tracks=len(ids), kept=kept,
                            kept_playlists=kept_playlists)


def _entries_of(conn: sqlite3.Connection, ids: list[int]) -> tuple[int, int]:
    """How many playlist entries name one of ``ids``, and in how many playlists."""
    entries, playlists = 0, set()
    for marks, chunk in in_chunks(ids):
        for pid, n in conn.execute(
                "SELECT playlist_id, COUNT(*) FROM playlist_entries WHERE track_id IN"
                f" ({marks}) GROUP BY playlist_id", chunk):
            entries += n
            playlists.add(pid)
    return entries, len(playlists)


def forget_files(conn: sqlite3.Connection, tracks: Sequence[str], playlists: Sequence[str],
                 *, root: str | None = None) -> tuple[int, int]:
    """Remove exactly these tracks and playlists (OS paths of their files) from the library,
    and the remembered folder ``root`` (an OS path) when none of its tracks is left; no file
    is touched. For files musicsage made and replaces — an old demo's (see
    :func:`musicsage.usecases.demo.build_demo`) — so that the library does not keep them as
    missing tracks and stale playlists. Other tracks stay; a playlist of the user's that named
    one of the tracks keeps the entry, unresolved. Returns (tracks, playlists) removed.
    Under the same locks as :func:`forget_root`, for the same reason."""
    with _forget_locks(conn, None, None):
        with transaction(conn):
            retire_track_ids(conn)
            retire_playlist_ids(conn)  # a model's vector per playlist id: never handed on
            removed_tracks = _delete_paths(conn, "tracks", tracks)
            removed_playlists = _delete_paths(conn, "playlists", playlists)
            _delete_paths(conn, "errors", tracks)
            stored_root = P.from_fs(root) if root is not None else None
            if stored_root is not None and not tracks_under(conn, [stored_root]):
                conn.execute("DELETE FROM library_roots WHERE path = ?", (stored_root,))
    return removed_tracks, removed_playlists


def _delete_paths(conn: sqlite3.Connection, table: str, fs_paths: Sequence[str]) -> int:
    """Delete the rows of ``table`` whose ``path`` is one of ``fs_paths``; how many went."""
    return _delete_stored(conn, table, [P.from_fs(p) for p in fs_paths])


def _delete_stored(conn: sqlite3.Connection, table: str, stored: Sequence[str]) -> int:
    """Delete the rows of ``table`` whose ``path`` is one of ``stored`` (DB form); how many
    went."""
    deleted = 0
    for marks, chunk in in_chunks(stored):
        deleted += conn.execute(f"DELETE FROM {table} WHERE path IN ({marks})", chunk).rowcount
    return deleted


def forget_missing(conn: sqlite3.Connection, folders: Sequence[str] = (), *,
                   asked: MissingReport | None = None, progress: ProgressFn | None = None,
                   cancel: CancelToken | None = None) -> MissingReport:
    """Remove the tracks whose files are missing — under ``folders`` (paths as
    :func:`find_root` takes them, or folders inside a music folder) if given — as
    :func:`forget_root` removes a folder's: vectors and hashes too, ids retired, playlist
    entries left unresolved, no file touched; but one with a lone copy in the library takes
    its place (:mod:`.missing_report`). Without ``folders`` the missing tracks of a music
    folder that is gone or empty (a drive not mounted) are kept, said in the report.
    ``asked``: the check (:func:`missing_to_remove`) a question named and the user confirmed:
    only its tracks that are still missing go (those found again, or gone missing since, are
    kept and said), and one it would move to its copy is never removed instead (its copy gone
    since: kept, said apart)."""
    with _forget_locks(conn, progress, cancel):
        ids, paths, kept, back, linked, file_links = _missing_plan(conn, folders, cancel)
        confirmed, to_remove = ((asked.asked(), frozenset(asked.ids)) if asked is not None
                                else (None, None))
        with transaction(conn):
            returned = came_back(conn, confirmed) if confirmed else 0  # before any is moved
            ids, paths, unasked = only_asked(ids, paths, confirmed)
            ids, paths, moved = adopt_before_removal(conn, ids, paths)  # gone for good: moved?
            ids, paths, copy_gone = only_asked(ids, paths, to_remove)  # asked to move, not remove
            entries, playlists = _entries_of(conn, ids)
            retire_track_ids(conn)
            _delete_tracks(conn, ids)
            _delete_stored(conn, "errors", paths)
    return MissingReport(tracks=len(ids), entries=entries, playlists=playlists, kept=kept,
                         back=back, linked=linked, moved=moved, returned=returned,
                         unasked=unasked, copy_gone=copy_gone, ids=tuple(ids),
                         file_links=file_links)


def missing_to_remove(conn: sqlite3.Connection, *,
                      cancel: CancelToken | None = None) -> MissingReport:
    """What :func:`forget_missing` with no folder would remove, nothing removed: the window
    asks about these (a count of every missing track offered to remove those of an unplugged
    drive too), then removes only them (its ``asked``). ``cancel`` stops the look at the files
    between two of them."""
    ids, _paths, kept, back, linked, file_links = _missing_plan(conn, (), cancel)
    moved = would_adopt(conn, ids)
    ids = [t for t in ids if t not in moved]
    entries, playlists = _entries_of(conn, ids)
    return MissingReport(tracks=len(ids), entries=entries, playlists=playlists, kept=kept,
                         back=back, linked=linked, moved=len(moved), ids=tuple(ids),
                         moved_ids=tuple(sorted(moved)), file_links=file_links)


def _missing_plan(conn: sqlite3.Connection, folders: Sequence[str],
                  cancel: CancelToken | None = None
                  ) -> tuple[list[int], list[str], list[tuple[str, int]], int,
                             list[tuple[str, int]], frozenset[str]]:
    """(ids, stored paths) of the missing tracks to remove, (folder as shown, count) of
    those kept because their music folder is gone or empty and ``folders`` names none, how
    many are kept because their file is there again ("missing" is what the last scan saw: a
    drive plugged back in since), (link as shown, count) of those kept behind a dead link
    (:class:`DeadLinks`, or their file a link to a file on a drive not mounted:
    :func:`dead_file_link`), ``folders`` naming none, and which of those links are such files.
    ``cancel`` is checked before each file is looked at: on a slow drive a cancelled check
    went on looking at thousands of them."""
    roots = q.library_roots(conn)
    named = [find_root(conn, f, inside=True) for f in folders]  # a music folder, or inside one
    gone = [] if named else [r for r in roots if unreachable_root(P.to_fs(r))]
    where, params = q.under_sql("path", named) if named else ("1", [])
    kept, links, linked = {r: 0 for r in gone}, DeadLinks([] if named else roots), {}
    ids, paths, back, file_links = [], [], 0, set()
    for tid, path in conn.execute(f"SELECT id, path FROM tracks WHERE status = 'missing' "
                                  f"AND {where}", params).fetchall():
        check_cancel(cancel)
        holder = next((r for r in gone if P.is_under(path, r)), None)
        if holder is not None:
            kept[holder] += 1
        elif (link := links.holder(path)) is not None:
            linked[link] = linked.get(link, 0) + 1
        elif os.path.exists(P.to_fs(path)):  # a link whose target is gone is no file back:
            back += 1  # "rescan to bring it back" looped, the rescan calling it a broken link
        elif not named and dead_file_link(conn, tid, P.to_fs(path)):  # a drive not mounted
            linked[path] = 1
            file_links.add(path)
        else:
            ids.append(int(tid))
            paths.append(path)
    names = dict(zip(roots, folder_names(roots)))
    return (ids, paths, [(names[r], n) for r, n in kept.items() if n], back,
            [(P.display(link), n) for link, n in linked.items()],
            frozenset(P.display(link) for link in file_links))

