"""Recognising a moved or renamed audio file as the track it was, not a new one.

A track's identity is its path (docs/architecture.md, "Conventions"), so a file moved would
otherwise become a new track, the old one missing — losing its playlist places and vectors.
Before a scan calls a file new, :class:`MoveFinder` looks for a track whose file is gone from
its stored path (or whose song left it: a chain of renames, :mod:`.move_chains`) and whose
content matches: same size and hash of the first and last :data:`BLOCK` bytes — or, for a file
renamed and retagged, the same hash of its audio alone (:mod:`.audio_hash`), claimed once every
file moved unchanged has claimed its track, and only when it tells one gone track: the only one
of that audio, else the one in the new file's folder, else none. The matched track takes the
new path and keeps its id, memberships and embeddings. A track imported from a dataset dir,
never scanned, is matched by the content hash its export wrote
(:func:`record_imported_hashes`).

The old path is remembered (``track_moves``): a playlist file still naming it keeps resolving
to the track when it is re-imported (:func:`musicsage.library.playlists.players.library_index`).

The hash of a file that is gone cannot be computed, so it is recorded while the file is
there (every file a scan writes; :mod:`.hash_backfill` for older tracks), in ``track_hashes``
with the (size, mtime_ns) it was computed on, so a stale hash never matches.

A copy is not a move: while the original is still at its path, the new file is a new track —
until the original goes (a move across drives: a copy, then a delete): then the original's
track takes the copy's place, if the copy is its one copy and holds nothing of its own
(:func:`adopt_copies`, in :mod:`.copy_moves`; removing missing tracks does the same first).
(A copy made while the original's drive is unplugged is taken for a move: nothing tells it
from a music folder renamed — ``mv Music Musik`` —, which must keep its tracks.)

A track with no hash of its file as last scanned (an older library's; a file unreadable when
hashed) is matched on its row (:meth:`MoveFinder.hold`): size, title, artist, album, duration —
only one such gone track for one such new file (:meth:`MoveFinder.settle`).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable

from musicsage.errors import MusicsageError
from musicsage.library.audio_hash import BLOCK, audio_hash
from musicsage.library.copy_moves import HASH_TELLS_FILE_SQL, HEX_DIGEST
from musicsage.library.db import NOW_SQL, transaction
from musicsage.library.move_chains import ChainLinks, FileFacts

DURATION_SLACK = 0.05
"""Seconds a moved file's duration and its track's may differ (another tag reader's reading)."""

_NO_HASH_SQL = (
    "SELECT t.id, t.path, t.size, t.title, t.artist, t.album, t.duration FROM tracks t"
    " LEFT JOIN track_hashes h ON h.track_id = t.id AND h.size = t.size"
    " AND h.mtime_ns = t.mtime_ns WHERE h.track_id IS NULL AND t.size IS NOT NULL")

HASH_LABEL = "musicsage1"
"""The kind of :func:`content_hash` named in an export's ``tracks.csv``: values are written
``musicsage1:<32 hex digits>``, so that a hash another tool (or another version) wrote there —
a sha256 of the whole file, say — is told apart instead of taken for a rewritten file."""


def content_hash(fs_path: str, size: int) -> str | None:
    """Hash of the size and the first and last :data:`BLOCK` bytes; None if unreadable."""
    h = hashlib.blake2b(str(size).encode(), digest_size=16)
    try:
        with open(fs_path, "rb") as fh:
            h.update(fh.read(BLOCK))
            if size > BLOCK:
                fh.seek(max(BLOCK, size - BLOCK))
                h.update(fh.read(BLOCK))
    except OSError:
        return None
    return h.hexdigest()


def labelled_hash(digest: str) -> str:
    """``digest`` (a :func:`content_hash`) as an export writes it: ``musicsage1:<hex>``."""
    return f"{HASH_LABEL}:{digest}"


def our_hash(value: str) -> str | None:
    """The :func:`content_hash` that a ``tracks.csv`` ``content_hash`` value names, or None
    when the value is of another kind: another label, or not 32 hex digits. An unlabelled
    value of this form is taken as ours (the exports of the version before the label)."""
    label, colon, digest = value.strip().lower().rpartition(":")
    if colon and label != HASH_LABEL:
        return None
    return digest if HEX_DIGEST.fullmatch(digest) else None


class RingCut(MusicsageError):
    """A ring of moves (a swap) written part-way: a track set aside for it
    (:meth:`MoveFinder.make_room`) did not take its own path in the same transaction, which
    is then rolled back (:meth:`MoveFinder.check_room`). A scan stopped meanwhile says its
    own line (:meth:`~.scan_write.ScanWriter.flush`); without a stop, only a bug leaves a
    ring so."""

    def __init__(self) -> None:
        super().__init__("files that swapped paths were not all written, so the scan's last"
                         " batch was not stored (nothing is lost); this is a bug, please report"
                         " it")


@dataclass(frozen=True)
class _Noted:
    db_path: str
    size: int
    mtime_ns: int
    hash: str | None
    audio: str | None


class MoveFinder(ChainLinks):
    """One scan's move detection: :meth:`claim` new files, :meth:`note` every file written,
    :meth:`record` their hashes and moves in the transaction that writes their rows
    (:class:`~musicsage.library.scan_write.ScanWriter`), so a killed scan keeps both or
    neither."""

    def __init__(self, conn: sqlite3.Connection):
        super().__init__(conn)
        self.moved: dict[int, str] = {}
        """track id -> new DB path, for tracks this scan moved."""
        self.rewritten: dict[int, str] = {}
        """track id -> DB path, for known tracks whose file this scan read with other content
        (changed): perhaps another track's file moved over it (``mv a.wav b.wav``), which
        :func:`~.copy_moves.fold_copies_into_moves` tells once the gone tracks are known."""
        self._moved_from: dict[int, str] = {}
        self._hashes: dict[str, str | None] = {}
        self._audio: dict[str, str | None] = {}
        self._noted: list[_Noted] = []
        self._no_hash: dict[int, list[tuple]] | None = None  # size -> rows, read once
        self._held: list[tuple[FileFacts, object, list[tuple[int, str]]]] = []
        self._held_audio: list[tuple[FileFacts, object, list[tuple[int, str]]]] = []
        self._changed: list[tuple[FileFacts, tuple, object]] = []
        self._ring: dict[str, int] = {}
        """DB path -> the track whose song went round a ring of paths to it (:meth:`cycles`)."""
        self._aside: set[int] = set()
        """Tracks :meth:`make_room` set aside in the open transaction, not yet at their path."""
        self._gone_of: dict[tuple, list[tuple[int, str]]] = {}
        """(kind, size, hash) -> the tracks of that hash whose file was gone, read once."""

    def content_hash_of(self, f: FileFacts) -> str | None:
        """``f``'s :func:`content_hash` (None: unreadable), read once for the scan."""
        return self._hash(f)

    def _hash(self, f: FileFacts) -> str | None:
        if f.fs_path not in self._hashes:
            self._hashes[f.fs_path] = content_hash(f.fs_path, f.size)
        return self._hashes[f.fs_path]

    def _audio_hash(self, f: FileFacts) -> str | None:
        if f.fs_path not in self._audio:
            self._audio[f.fs_path] = audio_hash(f.fs_path, f.size)
        return self._audio[f.fs_path]

    def claim(self, f: FileFacts) -> int | None:
        """The id of the track ``f`` (a file not yet in the DB) was moved from, or None: one
        of the same content. One of the same audio only (renamed and retagged by a tag editor:
        :mod:`.audio_hash`) is found by :meth:`hold`, and claimed once every file moved
        unchanged has claimed its track (:meth:`settle`). A file of a ring (:meth:`cycles`)
        takes the track :meth:`take_changed` found for it."""
        if (ringed := self._ring.pop(f.db_path, None)) is not None:
            return ringed
        digest = self._hash(f)
        if digest is None:
            return None
        rows = self._gone_tracks(  # an imported track's hash is stored under size 0
            ("content", f.size, digest),
            "SELECT h.track_id, t.path FROM track_hashes h JOIN tracks t ON t.id = h.track_id"
            f" WHERE h.size IN (?, 0) AND h.hash = ? AND {HASH_TELLS_FILE_SQL}"
            " ORDER BY h.track_id", (f.size, digest), lambda path: self._left(path, f))
        for i, (track_id, path) in enumerate(rows):
            if track_id not in self.moved and path != f.db_path:
                del rows[i]  # taken: the next file of this content does not look at it again
                self._take(track_id, f, path)
                return track_id
        return None

    def _gone_tracks(self, key: tuple, sql: str, params: tuple,
                     left: Callable[[str], bool]) -> list[tuple[int, str]]:
        """The tracks (id, path) that ``sql`` finds for a hash whose file is gone or ``left``
        (:meth:`_left`), read once per ``key`` in a scan (per file, 3,000 copies of a sound
        effect made the scan quadratic; rows a scan adds meanwhile are of files just read)."""
        rows = self._gone_of.get(key)
        if rows is None:
            found = [(int(r[0]), r[1]) for r in self.conn.execute(sql, params)]
            gone = [r for r in found if self._file_gone(r[1])]
            left_rows = [r for r in found if not self._file_gone(r[1]) and left(r[1])]
            links = [r for r in left_rows if self.is_link(r[1])]
            # a chain's link (the song there left its path too), a file gone, a copy there
            rows = links + gone + [r for r in left_rows if r not in links]
            self._gone_of[key] = rows
        return rows

    def _take(self, track_id: int, f: FileFacts, old_path: str) -> None:
        """``f`` is the track ``track_id`` moved from ``old_path``: no other file claims it,
        and :meth:`record` keeps where it came from."""
        self.moved[track_id] = f.db_path
        self._moved_from[track_id] = old_path

    def _gone(self, f: FileFacts, rows: Iterable[tuple]) -> list[tuple[int, str]]:
        """Those of ``rows`` (track id, path) ``f`` may be moved from: unclaimed, file gone."""
        return [(int(r[0]), r[1]) for r in rows if r[0] not in self.moved
                and r[1] != f.db_path and self._file_gone(r[1])]  # there: ``f`` is a copy

    def _same_audio(self, f: FileFacts) -> list[tuple[int, str]]:
        """Unclaimed tracks of ``f``'s audio hash (none without one) whose file is gone or
        whose song left it (:meth:`_left`: ``mv b c; retag c; mv a b``)."""
        audio = self._audio_hash(f)
        if not audio:  # NO_AUDIO_HASH (or unreadable): matches nothing
            return []
        return [r for r in self._gone_tracks(
            ("audio", audio),
            "SELECT a.track_id, t.path FROM track_audio_hashes a JOIN tracks t"
            " ON t.id = a.track_id WHERE a.hash = ? AND t.size = a.size"
            " AND t.mtime_ns = a.mtime_ns ORDER BY a.track_id", (audio,),
            lambda path: self._left(path, f)) if r[0] not in self.moved and r[1] != f.db_path]

    def hold(self, f: FileFacts, values: dict, payload: object,
             guessed: float | None) -> bool:
        """Whether ``f``, a new file :meth:`claim` found no track for, may be a track whose
        file is gone, renamed and retagged (the same audio hash), or one with no hash moved
        (module doc): of ``f``'s size and the title, artist, album and duration of ``values``
        (the row a scan writes for ``f``), or ``guessed``, an MP3's header length that older
        scans stored before its frames were counted (a track stored at the 17.6-s guess, moved,
        counted 30 s: a new track). If so it is held, with ``payload``, for :meth:`settle`,
        once every new file is seen."""
        if same_audio := self._same_audio(f):
            self._held_audio.append((f, payload, same_audio))
            return True
        if self._no_hash is None:
            self._no_hash = {}
            for row in self.conn.execute(_NO_HASH_SQL):
                self._no_hash.setdefault(int(row[2]), []).append(tuple(row))
        rows = self._gone(f, [r for r in self._no_hash.get(f.size, ())
                              if _alike(r, values, guessed)])
        if rows:
            self._held.append((f, payload, rows))
        return bool(rows)

    def settle(self) -> list[tuple[FileFacts, object, int | None]]:
        """The files :meth:`hold` held, each with its payload and the id of the track it was
        moved from, or None (a new track). First those of the same audio as gone tracks not
        claimed by a file moved unchanged (:meth:`claim`): the one such track, else the one
        in the file's folder (a copy's track elsewhere is not it), else none — not the
        lowest id. Then those alike only one gone track, and that track only them."""
        out: list[tuple[FileFacts, object, int | None]] = []
        for f, payload, rows in self._held_audio:
            rows = [r for r in rows if r[0] not in self.moved]
            folder = f.db_path.rpartition("/")[0]
            if len(rows) > 1:
                rows = [r for r in rows if r[1].rpartition("/")[0] == folder]
            track_id = rows[0][0] if len(rows) == 1 else None
            if track_id is not None:
                self._take(track_id, f, rows[0][1])
            out.append((f, payload, track_id))
        self._held_audio.clear()
        held = [(f, p, [r for r in rows if r[0] not in self.moved]) for f, p, rows in self._held]
        claims = Counter(r[0] for _f, _payload, rows in held for r in rows)
        for f, payload, rows in held:
            track_id = rows[0][0] if len(rows) == 1 and claims[rows[0][0]] == 1 else None
            if track_id is not None:
                self._take(track_id, f, rows[0][1])
            out.append((f, payload, track_id))
        self._held.clear()
        return out

    def hold_changed(self, f: FileFacts, old: tuple, payload: object) -> bool:
        """Whether ``f``, a known track's file (``old``: id, size, mtime_ns, status) holding
        another known track's song (a link of a chain of renames), is held with ``payload``
        till every file is seen (:meth:`take_changed`): its track's song may be in a file not
        met yet (:meth:`_left`). Other changed files are written at once (kept on cancel)."""
        if old[1] is None or self.conn.execute(
                "SELECT 1 FROM track_hashes WHERE track_id = ? AND size = ? AND mtime_ns = ?",
                (int(old[0]), old[1], old[2])).fetchone() is None or not self._anothers_song(f):
            return False
        self._changed.append((f, old, payload))
        return True

    def take_changed(self) -> list[tuple[FileFacts, tuple, object]]:
        """The files :meth:`hold_changed` held, with their track and payload (once). Those
        whose songs went round a ring of their paths (:meth:`cycles`) take the tracks of the
        songs they hold: each is a file moved, its track's song moved on (:meth:`claim`)."""
        out, self._changed = self._changed, []
        ring = self.cycles((f, int(old[0])) for f, old, _p in out if old[0] not in self.moved)
        for f, _old, _payload in out:
            if f.db_path in ring:
                track_id, old_path = ring[f.db_path]
                self._ring[f.db_path] = track_id
                self._take(track_id, f, old_path)
        return out

    def make_room(self, db_path: str, track_id: int) -> None:
        """Before the track ``track_id`` takes ``db_path`` (in the scan's writing transaction:
        :class:`~.scan_write.ScanWriter`, for any write of a track this scan moved, a
        recounted MP3's written as changed content too), set the track still there aside, to
        a path no file has (``moving:<id>``: a path is one track's), when this scan moved it
        too: a ring of renames (:meth:`cycles`), whose moves are written in one transaction,
        each track's after the one that takes its path."""
        if track_id not in self.moved:  # a track at its own path: nothing to make room for
            return
        self._aside.discard(track_id)  # set aside before, it takes its own path now
        row = self.conn.execute("SELECT id FROM tracks WHERE path = ?", (db_path,)).fetchone()
        if row is not None and row[0] != track_id and row[0] in self.moved:
            self.conn.execute("UPDATE tracks SET path = ? WHERE id = ?",
                              (f"moving:{row[0]}", row[0]))
            self._aside.add(row[0])

    def check_room(self) -> None:
        """Before the writing transaction commits: raise :class:`RingCut` (it then rolls back)
        when a track :meth:`make_room` set aside did not take its own path in it — the
        ring's writes cut short (a second Ctrl-C, a failure, as they were added). Committed,
        ``moving:<id>`` stayed that track's path for good: no file's, so never gone, and its
        song was read as a new track, its vectors and playlist places left behind."""
        aside, self._aside = self._aside, set()
        if aside:
            raise RingCut()

    def changed_since_export(self, f: FileFacts, track_id: int) -> bool:
        """Whether ``f``, the file of a track an import brought and no scan has recorded,
        is not the file its imported vectors were made from: the import kept the content
        hash the exporting library had for it (:func:`record_imported_hashes`), and this
        file's differs — rewritten in place since. False when no hash was kept, or one of
        another kind (an import before values were checked kept any text)."""
        row = self.conn.execute("SELECT hash FROM track_hashes WHERE track_id = ?",
                                (int(track_id),)).fetchone()
        if row is None or not HEX_DIGEST.fullmatch(str(row[0])):
            return False
        digest = self._hash(f)
        return digest is not None and digest != row[0]

    def same_content(self, f: FileFacts, old: tuple) -> bool:
        """Whether ``f``, the file of a known track (``old``: id, size, mtime_ns, status)
        whose mtime changed, still holds the content the track was read from: same size and
        the hash recorded for the track's stamp (``touch``, a copy or restore that does not
        keep times, ``cp -r`` without ``-p``). Such a file is no changed one: its embeddings,
        hours of work for a library, stay. False when no hash was recorded for that stamp."""
        if old[1] is None or old[1] != f.size:
            return False
        row = self.conn.execute(
            "SELECT hash FROM track_hashes WHERE track_id = ? AND size = ? AND mtime_ns = ?",
            (int(old[0]), old[1], old[2])).fetchone()
        return row is not None and self._hash(f) == row[0]

    def kept_audio(self, f: FileFacts, old: tuple) -> str:
        """``"same"`` when ``f``, the file of a known track (``old``: id, size, mtime_ns,
        status) whose stamp changed, is its content (:meth:`same_content`); ``"retagged"``
        when only its tags changed (the audio hash recorded for the track's stamp is the
        file's: :mod:`.audio_hash`), its vectors valid still; else ``""``."""
        if self.same_content(f, old):
            return "same"
        if old[1] is None:
            return ""
        row = self.conn.execute(
            "SELECT hash FROM track_audio_hashes WHERE track_id = ? AND size = ?"
            " AND mtime_ns = ?", (int(old[0]), old[1], old[2])).fetchone()
        return "retagged" if row and row[0] and self._audio_hash(f) == row[0] else ""

    def note(self, f: FileFacts) -> None:
        """``f`` was (or is about to be) written as a track: record its hash in :meth:`record`."""
        self._noted.append(_Noted(f.db_path, f.size, f.mtime_ns, self._hash(f),
                                  self._audio_hash(f)))

    def record(self) -> None:
        """Store the hashes of the noted files (for rows that exist by now) and where the
        moved tracks came from; in the caller's transaction when there is one (a savepoint)."""
        rows = [(n.size, n.mtime_ns, n.hash, n.db_path) for n in self._noted if n.hash]
        audio = [(n.size, n.mtime_ns, n.audio, n.db_path) for n in self._noted
                 if n.audio is not None]
        moves = list(self._moved_from.items())
        self._noted.clear()
        self._moved_from.clear()
        if rows or audio or moves:
            with transaction(self.conn):
                store_hashes(self.conn, rows)
                store_hashes(self.conn, audio, "track_audio_hashes")
                self.conn.executemany(
                    "INSERT INTO track_moves(old_path, track_id) VALUES (?, ?) ON CONFLICT(old_path)"
                    f" DO UPDATE SET track_id = excluded.track_id, moved_at = {NOW_SQL}",
                    [(old, tid) for tid, old in moves])


def _alike(row: tuple, values: dict, guessed: float | None) -> bool:
    """Whether a track row of :data:`_NO_HASH_SQL` has the tags of ``values`` and its duration
    or the ``guessed`` one (:meth:`MoveFinder.hold`)."""
    if any(row[i] != values[k] for i, k in ((3, "title"), (4, "artist"), (5, "album"))):
        return False
    a, b = row[6], values["duration"]
    if a is None or b is None:
        return a is None and b is None
    return any(d is not None and abs(a - d) <= DURATION_SLACK for d in (b, guessed))


def store_hashes(conn: sqlite3.Connection, rows: list[tuple[int, int, str, str]],
                 table: str = "track_hashes") -> None:
    """Upsert ``(size, mtime_ns, hash, db_path)`` for the tracks at those paths, in ``table``:
    ``track_hashes`` (:func:`content_hash`) or ``track_audio_hashes`` (:mod:`.audio_hash`),
    the two kept alike."""
    conn.executemany(
        f"INSERT INTO {table}(track_id, size, mtime_ns, hash)"
        " SELECT id, ?, ?, ? FROM tracks WHERE path = ?"
        " ON CONFLICT(track_id) DO UPDATE SET size = excluded.size,"
        " mtime_ns = excluded.mtime_ns, hash = excluded.hash", rows)


def record_imported_hashes(conn: sqlite3.Connection, hashes: dict[int, str]) -> None:
    """Keep ``{track_id: hash}``, the content hashes a dataset dir's ``tracks.csv`` gives
    tracks that no scan has recorded, for their first scan to compare with their file
    (:meth:`MoveFinder.changed_since_export`). Stored with size and mtime 0, which no file's
    stamp matches, until a scan records the file (and its own hash over this one); meanwhile
    it finds the track's file moved (:meth:`MoveFinder.claim`: an export imported where the
    music sits elsewhere) and its copy (:func:`~.copy_moves.adopt_copies`), by the hash
    alone (:data:`~.copy_moves.HASH_TELLS_FILE_SQL`)."""
    conn.executemany(
        "INSERT INTO track_hashes(track_id, size, mtime_ns, hash) VALUES (?, 0, 0, ?)"
        " ON CONFLICT(track_id) DO UPDATE SET size = 0, mtime_ns = 0, hash = excluded.hash",
        [(int(t), h) for t, h in hashes.items()])


def exported_hashes(conn: sqlite3.Connection) -> dict[int, str]:
    """``{track_id: hash}`` of the content each track's vectors were made from, for
    ``export``: the hash a scan recorded for the file as the library knows it (same size and
    mtime), or, for a track no scan has recorded, the one its own import brought (if of
    this kind: an import before values were checked kept any text). Labelled as written
    (:func:`labelled_hash`)."""
    return {int(r[0]): labelled_hash(str(r[1])) for r in conn.execute(
        "SELECT h.track_id, h.hash FROM track_hashes h JOIN tracks t ON t.id = h.track_id"
        f" WHERE {HASH_TELLS_FILE_SQL}")
        if HEX_DIGEST.fullmatch(str(r[1]))}


def current_hashes(conn: sqlite3.Connection, track_ids: Iterable[int]) -> dict[int, str]:
    """``{track_id: hash}`` for those of ``track_ids`` whose hash was computed on their file as
    it is now (same size and mtime). Two tracks with the same one are one file copied: what
    neighbour lists fold as copies where the tags cannot tell (an untagged file)."""
    ids = [int(t) for t in track_ids]
    out: dict[int, str] = {}
    for start in range(0, len(ids), 900):  # stay under SQLite's host-parameter limit
        chunk = ids[start:start + 900]
        marks = ",".join("?" * len(chunk))
        out.update((int(r[0]), str(r[1])) for r in conn.execute(
            "SELECT h.track_id, h.hash FROM track_hashes h JOIN tracks t ON t.id = h.track_id"
            " WHERE t.size = h.size AND t.mtime_ns = h.mtime_ns"
            f" AND h.track_id IN ({marks})", chunk))
    return out
