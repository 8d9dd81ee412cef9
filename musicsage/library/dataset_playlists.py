"""A dataset dir's playlists into the library: the playlist step of
:func:`musicsage.library.dataset.import_dataset`, inside its transaction (docs/dataset-dir.md).

Each playlist of ``memberships.csv`` is stored under the synthetic path
``dataset:<dir>#<playlist_id>`` (importing the same dir again updates it in place) — unless
the library already has it: a playlist of the same name with the same tracks in the same
order, among the tracks the dir holds. That is what an export of this library writes of each
of its playlists, and importing such an export back into the library stored every playlist
a second time (once under its file, once as ``dataset:<dir>#<id>``), with no command to undo
it (:mod:`musicsage.library.playlists.twins` has the rule, which a scan that imports the file
of a playlist an import stored keeps too). Playlists an import of a dataset dir stored count only when the dir is an export of
this library (a track's ``source`` named one of its tracks without an audio file). A copy of
such a playlist that an earlier import of the same dir stored is removed, so
importing the dir again mends a library doubled that way; ``forget DIR`` removes what an
import of a dir stored (:mod:`musicsage.library.forget`).
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from musicsage.library import queries as q
from musicsage.library.db import NOW_SQL
from musicsage.library.paths import DATASET_PREFIX
from musicsage.library.dataset_read import DatasetFiles, row_id, unkept_ids_note
from musicsage.library.playlists.store import new_playlist_id, retire_playlist_ids
from musicsage.library.playlists.twins import same_playlist
from musicsage.text import counted, noun

if TYPE_CHECKING:  # dataset imports this module
    from musicsage.library.dataset import DatasetReport


@dataclass
class StoredPlaylists:
    """What :func:`import_playlists` did."""

    playlists: int = 0
    """Playlists stored (new, or updated in place)."""
    new: int = 0
    """Of those, the new ones (not stored by an earlier import of the dir)."""
    memberships: int = 0
    """Their membership rows."""
    unknown: int = 0
    """Of those, rows naming a track_id absent from tracks.csv (kept as unresolved entries)."""
    known: int = 0
    """Playlists the library already had: not stored again."""
    mended: int = 0
    """Copies of those an earlier import of the dir had stored: removed."""
    updated: int = 0
    """Of the playlists stored, those an earlier import stored whose name or entries the
    dir changed (memberships.csv and playlists.csv may be edited freely)."""
    dropped: list[str] = field(default_factory=list)
    """The names of the playlists an earlier import of the dir stored that it no longer
    holds (:func:`_left_out`): removed (:func:`_drop`) — not counted in :attr:`updated` (a re-import
    that only removed two said "updated 2 playlists")."""
    shared: list[str] = field(default_factory=list)
    """The names of those it no longer holds that stay, as another imported dir names them
    too (this library's export, imported back): they had no word, or a wrong "was not
    imported"."""
    unkept_note: str | None = None
    """What the import says of playlist ids it could not keep (:func:`unkept_ids_note`)."""
    playlist_notes: list[str] = field(default_factory=list)
    """The notes on the playlists playlists.csv names that memberships.csv gives no member
    (:func:`memberless_notes`): a named empty playlist vanished without a word; and on
    those an earlier import stored that it no longer holds (:func:`dropped_note`), by their
    names in the library — such a playlist that playlists.csv still names is in that note
    only (it was in both, as 'p2' and as 'Late'); and on those of them kept, for another
    imported dir (:func:`shared_note`), for a memberships.csv holding none
    (:func:`_kept_for_empty_note`) or for a dir without one."""
    named: dict[str, int] = field(default_factory=dict)
    """The library id of each playlist_id of memberships.csv: the playlist stored, or the
    library's own it is (recorded: :mod:`musicsage.library.dataset_names`); and of each an
    earlier import stored that a memberships.csv holding none, or none at all, left in place
    (still the dir's: its next import, or ``forget``, finds them)."""

    def known_note(self) -> str:
        """The import report's note on the playlists it did not store again."""
        return (f"{counted(self.known, 'playlist')} already in the library (the same name and "
                "tracks): not stored again" + (
                    f"; {counted(self.mended, 'copy', 'copies')} stored by an earlier import of "
                    f"this dir {noun(self.mended, 'was', 'were')} removed" if self.mended else ""))

    def count_into(self, rep: DatasetReport) -> None:
        """Put these counts into the import's report ``rep``
        (:class:`~musicsage.library.dataset.DatasetReport`)."""
        rep.playlists, rep.memberships = self.playlists, self.memberships
        rep.new_playlists, rep.updated_playlists = self.new, self.updated
        rep.removed_playlists = len(self.dropped)
        rep.unknown_memberships, rep.known_playlists = self.unknown, self.known

    def notes(self) -> list[str]:
        """The import report's notes on its playlists, in the order it gives them."""
        return (([self.known_note()] if self.known else [])
                + ([self.unkept_note] if self.unkept_note else []) + self.playlist_notes)


def import_playlists(conn, read: DatasetFiles, synthetic: str, track_of: dict[str, int],
                     *, own_export: bool = False) -> StoredPlaylists:
    """Store the playlists of ``read`` (see the module docstring); ``synthetic`` is the dir's
    ``dataset:<dir>#`` prefix, ``track_of`` the library id of each track_id of tracks.csv;
    ``own_export``: the dir is an export of this library (a track's ``source`` named one of
    its tracks without an audio file), so the playlists other imports stored are its own."""
    by_playlist: dict[str, list[str]] = {}
    for m in read.memberships:
        by_playlist.setdefault(m["playlist_id"], []).append(m["track_id"])
    known, held, done = _known_playlists(conn, synthetic if own_export else None), \
        set(track_of.values()), StoredPlaylists()
    later = []
    for pkey, members in by_playlist.items():
        ids = [track_of.get(key) for key in members]
        same_name = known.get(read.names.get(pkey) or "", [])
        if same_playlist([tracks for _, tracks in same_name], ids, held):
            done.known += 1
            done.mended += _remove_copy(conn, synthetic + pkey)
            done.named[pkey] = next(p for p, tracks in same_name
                                    if same_playlist([tracks], ids, held))
        elif (stored := _import_playlist(conn, synthetic, pkey, read, members, track_of, done,
                                         fresh=False)) is None:
            later.append(pkey)
        else:
            done.named[pkey] = stored
    # two passes, as tracks: one by one, ids 0, 1, 2 became 1, 2, 3 (0 is no row id), so
    # `playlists 1` picked the one named "0"; every free id is kept first
    fresh = [(pkey, _import_playlist(conn, synthetic, pkey, read, by_playlist[pkey], track_of,
                                     done)) for pkey in later]
    done.named.update(fresh)
    done.unkept_note = unkept_ids_note(fresh, item="playlist", file="memberships.csv",
                                       kind="playlist")
    done.playlist_notes = _left_out_notes(conn, read, synthetic, set(by_playlist), done)
    return done


def _left_out_notes(conn, read: DatasetFiles, synthetic: str, held: set[str],
                    done: StoredPlaylists) -> list[str]:
    """Deal with the playlists an earlier import of the dir stored that its memberships.csv
    no longer holds (``held``: those it does), counted in ``done``; the notes on them and on
    those playlists.csv names without members. A dir without a memberships.csv (the file
    moved away) drops none and leaves them all the dir's, as they were, with one note by
    their names (it said "2 playlists have no members and were not imported: 'p1', 'p2'",
    and forgot they were the dir's); one whose memberships.csv holds no playlist (a header
    alone: what an export of an empty library writes) drops none either — they may be the
    last copy — and says how to remove them."""
    own, shared = _left_out(conn, synthetic, held)
    unread = [] if read.has_memberships else own + shared  # the file moved away: all stay
    if unread:
        own, shared = [], []
    kept_for_empty = own if not held else []
    if held:
        _drop(conn, own)
        done.dropped = [name for _, _, name in own]
    done.named.update((key, pid) for key, pid, _ in kept_for_empty + unread)  # the dir's
    _hand_over(conn, synthetic, shared)
    done.shared = [name for _, _, name in shared]
    # one note each, by its name in the library: a playlist playlists.csv still names that
    # an earlier import stored was said twice, "not imported: 'p2'" and "removed: 'Late'"
    said = {key for key, _, _ in own + shared + unread}
    return (memberless_notes([k for k in read.names if k not in held and k not in said],
                             "no members", "imported")
            + dropped_note(done.dropped) + shared_note(done.shared)
            + _kept_for_empty_note(len(kept_for_empty), read)
            + _kept_unread_note([name for _, _, name in unread]))


def dropped_note(names: list[str]) -> list[str]:
    """The import's note (a list of one, or none) on the playlists :func:`_drop`
    removed, by their names."""
    return playlists_note(names, lambda n: (
        f"an earlier import of this dir stored {noun(n, 'is', 'are')} no longer in its "
        f"memberships.csv and {noun(n, 'was', 'were')} removed"))


def shared_note(names: list[str]) -> list[str]:
    """The import's note (a list of one, or none) on the playlists the dir no longer holds
    that stay for another imported dir, by their names."""
    return playlists_note(names, lambda n: (
        f"this dir no longer holds {noun(n, 'stays', 'stay')} (another imported dir names "
        f"{noun(n, 'it', 'them')} too)"))


def _kept_for_empty_note(n: int, read: DatasetFiles) -> list[str]:
    """The import's note (a list of one, or none) on the ``n`` playlists an earlier import
    stored that a memberships.csv holding none left in place, and how to remove them."""
    if not n:
        return []
    src = shlex.quote(str(read.src))
    return [f"memberships.csv holds no playlist now; the {counted(n, 'playlist')} an earlier "
            f"import of {read.src} stored {noun(n, 'stays', 'stay')}: `musicsage forget {src}` "
            f"then `musicsage import {src}` removes {noun(n, 'it', 'them')}"]


def _kept_unread_note(names: list[str]) -> list[str]:
    """The import's note (a list of one, or none) on the playlists an earlier import stored
    that a dir without a memberships.csv left as they were, by their names."""
    return playlists_note(names, lambda n: (
        f"an earlier import of this dir stored {noun(n, 'stays', 'stay')} as "
        f"{noun(n, 'it was', 'they were')} (the dir has no memberships.csv now)"))


def _left_out(conn, synthetic: str, held: set[str]
              ) -> tuple[list[tuple[str, int, str]], list[tuple[str, int, str]]]:
    """The playlists the last import of the dir ``synthetic`` stored (its records:
    :mod:`musicsage.library.dataset_names`) whose playlist_id is not among ``held`` (those
    its memberships.csv has now), each as its playlist_id, library id and name: those only
    this dir names, and those another imported dir names too (which stay for it). Re-imported
    after a playlist left the dir, the library kept it with its old tracks, while the
    import's note said the playlist "was not imported"."""
    own: list[tuple[str, int, str]] = []
    shared: list[tuple[str, int, str]] = []
    for key, pid, name, elsewhere in conn.execute(
            "SELECT d.row_id, p.id, p.name, EXISTS (SELECT 1 FROM dataset_playlists o"
            " WHERE o.playlist_id = p.id AND o.dataset != d.dataset) FROM dataset_playlists d"
            " JOIN playlists p ON p.id = d.playlist_id AND p.path = d.dataset || d.row_id"
            " WHERE d.dataset = ? ORDER BY p.id", (synthetic,)):
        if key not in held:
            (shared if elsewhere else own).append((key, int(pid), name or f"#{pid}"))
    return own, shared


def _hand_over(conn, synthetic: str, playlists: list[tuple[str, int, str]]) -> None:
    """Pass ``playlists`` (as :func:`_left_out` gives them: another imported dir names each)
    to the first other dir that names it — its path becomes that dir's, when free — as
    ``forget`` does (:func:`~musicsage.library.dataset_names.release`): the dir that no
    longer holds them kept them under its own path."""
    from musicsage.library.dataset_names import hand_over

    for _, pid, _ in playlists:
        hand_over(conn, "playlists", pid, synthetic)


def _drop(conn, playlists: list[tuple[str, int, str]]) -> None:
    """Remove ``playlists`` (as :func:`_left_out` gives them), their ids retired first as
    every removed playlist's is (a trained model keeps a vector per id): a playlist edited
    in the dir is re-filled, so one removed from it goes."""
    if playlists:
        retire_playlist_ids(conn)
        conn.executemany("DELETE FROM playlists WHERE id = ?",
                         [(pid,) for _, pid, _ in playlists])


def memberless_notes(names: list[str], lacking: str, done: str) -> list[str]:
    """The note (a list of one, or none) on the playlists ``names`` that were not ``done``
    (imported, exported) for having ``lacking`` ("no members"): a dataset dir holds a
    playlist only as its memberships, and an empty one left without a word."""
    return playlists_note(names, lambda n: (
        f"{noun(n, 'has', 'have')} {lacking} and {noun(n, 'was', 'were')} not {done}"))


def unnamed_note(lines: Sequence[int]) -> str:
    """The import's note on the playlists.csv rows it skipped for having text but no
    playlist_id (``lines``: :attr:`~musicsage.library.dataset_read.DatasetFiles.unnamed_lines`),
    naming the first five lines: such a row was said to be a playlist ``''`` that "has no
    members and was not imported"."""
    n, shown = len(lines), ", ".join(map(str, lines[:5])) + (", …" if len(lines) > 5 else "")
    return (f"{counted(n, 'row')} of playlists.csv {noun(n, 'has', 'have')} no playlist id and "
            f"{noun(n, 'was', 'were')} skipped ({noun(n, 'line', 'lines')} {shown})")


def playlists_note(names: list[str], said: Callable[[int], str]) -> list[str]:
    """The note (a list of one, or none) counting the playlists ``names``, saying
    ``said(count)`` of them and naming the first five: every playlist note of import and
    export in one shape."""
    if not names:
        return []
    n = len(names)
    shown = ", ".join(repr(name) for name in names[:5]) + (", …" if n > 5 else "")
    return [f"{counted(n, 'playlist')} {said(n)}: {shown}"]


def _known_playlists(conn, own_export_of: str | None) -> dict[str, list[tuple[int, list[int]]]]:
    """The library's playlists by name (an unnamed one under ""), each as its id and resolved
    tracks, distinct, in order (what an export writes of it); those any dataset import stored left
    out — they are no playlists of the library's: a copy of dir A imported as B stored
    nothing, and forgetting A then took B's playlists too — unless the dir is an export of
    this library (``own_export_of``: its ``dataset:<dir>#`` prefix; those of that dir stay
    out, copies an earlier import of it stored)."""
    tracks: dict[int, list[int]] = {}
    for playlist_id, track_id in q.memberships(conn):
        tracks.setdefault(playlist_id, []).append(track_id)
    known: dict[str, list[tuple[int, list[int]]]] = {}
    for p in q.playlist_rows(conn):
        imported = p["path"].startswith(DATASET_PREFIX)
        if p["id"] in tracks and (not imported or own_export_of is not None
                                  and not p["path"].startswith(own_export_of)):
            # by its name as the dir's reader reads it (spaces around dropped): a library's
            # ``mix `` (a file ``mix .m3u``) came back as ``mix`` and was stored again
            known.setdefault((p["name"] or "").strip(), []).append((p["id"], tracks[p["id"]]))
    return known


def _import_playlist(conn, synthetic: str, pkey: str, read: DatasetFiles, members: list[str],
                     track_of: dict[str, int], done: StoredPlaylists, *,
                     fresh: bool = True) -> int | None:
    """Store one playlist (replacing the entries and the name of an earlier import of it),
    counted in ``done``; its library id — a new playlist takes the dir's own id when free
    and never retired (no removed playlist's vector), else a new id, or None (nothing
    stored) when not ``fresh``: the first pass keeps every free id before new ones go."""
    ppath, name = synthetic + pkey, read.names.get(pkey) or pkey
    entries = [(position, tkey, None, track_of.get(tkey)) for position, tkey in enumerate(members)]
    existing = conn.execute("SELECT id, name FROM playlists WHERE path = ?", (ppath,)).fetchone()
    if existing is not None:
        playlist_id = existing[0]
        done.updated += existing[1] != name or [tuple(e) for e in conn.execute(
            "SELECT position, raw, title, track_id FROM playlist_entries WHERE playlist_id = ?"
            " ORDER BY position", (playlist_id,))] != entries
        conn.execute(f"UPDATE playlists SET name = ?, imported_at = {NOW_SQL} WHERE id = ?",
                     (name, playlist_id))
        conn.execute("DELETE FROM playlist_entries WHERE playlist_id = ?", (playlist_id,))
    else:
        wanted = row_id(pkey)
        playlist_id = new_playlist_id(conn, wanted)
        if playlist_id != wanted and not fresh:
            return None
        conn.execute("INSERT INTO playlists(id, path, name, format) VALUES (?, ?, ?, 'dataset')",
                     (playlist_id, ppath, name))
        done.new += 1
    conn.executemany("INSERT INTO playlist_entries(playlist_id, position, raw, title, track_id)"
                     " VALUES (?, ?, ?, ?, ?)", [(playlist_id, *e) for e in entries])
    done.unknown += sum(1 for e in entries if e[3] is None)
    done.memberships += len(members)
    done.playlists += 1
    return playlist_id


def _remove_copy(conn, ppath: str) -> int:
    """Delete the playlist an earlier import stored at ``ppath`` (0 or 1 removed), its id
    retired first as every removed playlist's is (a trained model keeps a vector per id)."""
    if conn.execute("SELECT 1 FROM playlists WHERE path = ?", (ppath,)).fetchone() is None:
        return 0
    retire_playlist_ids(conn)
    return conn.execute("DELETE FROM playlists WHERE path = ?", (ppath,)).rowcount
