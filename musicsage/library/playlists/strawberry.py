"""Strawberry and Clementine: playlists in the player's SQLite database, read without locking it.

Where they are: ``~/.local/share/strawberry/strawberry/strawberry.db`` and
``~/.config/Clementine/clementine.db``. Strawberry began as a fork of Clementine; both keep
(``data/schema/schema.sql``, ``src/playlist/playlistbackend.cpp`` of each):

- ``playlists``: one row per playlist (its ``ROWID`` is its id), ``name``, ``ui_order``, and
  ``dynamic_playlist_type`` — set for a dynamic ("smart") playlist the player generates from a
  query, which is skipped;
- ``playlist_items``: ``playlist`` (= ``playlists.ROWID``), in ``ROWID`` order (the player
  deletes and re-inserts a playlist's items on every save), and a ``type``:

  * an item from the player's collection stores only the song's row id — Strawberry:
    ``type`` 2 (``Song::Source::Collection``) and ``collection_id``; Clementine: ``type``
    ``'Library'`` and ``library_id`` — and its location is the song's: Strawberry
    ``songs.url``, Clementine ``songs.filename``;
  * any other item (a file dropped in, a stream) stores its own location: Strawberry ``url``,
    Clementine ``filename`` (schema 29 on; before that ``url``).

  Locations are URLs as Qt encodes them (``QUrl::toEncoded``/``FullyEncoded``): percent-encoded
  UTF-8, ``file:///home/me/Music/…`` (``file:///C:/Users/…`` on Windows).

**Never locking the running player**: the file is opened as a read-only, immutable SQLite URI
(``file:…?mode=ro&immutable=1``), which takes no lock at all, so the player can write while we
read. SQLite ignores a ``-wal`` file in that mode, so when one exists (a database in WAL mode)
the database and its WAL are copied to a temporary folder and the copy is read instead. Without
a lock, a read may meet a commit under way (pages overwritten in place, the rollback journal
holding the old ones): such a read is done again, and at last a copy with its journal is read,
which SQLite rolls back to the last commit — made again when the player wrote while it was
made, and refused at last (:func:`_steady_read`).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from musicsage.library.db_readonly import read_only_uri
from musicsage.library.playlists.base import PlaylistError
from musicsage.library.playlists.players import (PlayerEntry, PlayerFormat, PlayerLibrary,
                                                  PlayerPlaylist, SkippedList, register_player,
                                                  wal_in_use)

SQLITE_MAGIC = b"SQLite format 3\x00"


@contextmanager
def open_player_db(fs_path: str, *, copy: bool = False) -> Iterator[sqlite3.Connection]:
    """A connection that reads ``fs_path`` without taking any lock and without writing to it.
    ``copy``: read a copy of it with its rollback journal, which SQLite rolls back to the last
    commit as it opens it (:func:`_steady_read`); a database in WAL mode is always copied."""
    if copy or wal_in_use(fs_path):
        with tempfile.TemporaryDirectory(prefix="musicsage-player-db-") as tmp:
            target = os.path.join(tmp, "copy.db")
            for suffix in ("-journal", "", "-wal"):  # the journal first: it holds the pages
                try:                                 # a commit is overwriting, as they were
                    shutil.copyfile(fs_path + suffix, target + suffix)
                except FileNotFoundError:
                    if not suffix:
                        raise
            with closing(sqlite3.connect(target)) as conn:
                yield conn
        return
    with _main_file_only(fs_path) as conn:
        yield conn


@contextmanager
def _main_file_only(fs_path: str) -> Iterator[sqlite3.Connection]:
    """The database file itself, opened immutable: no lock taken, any ``-wal`` ignored (its
    commits unseen). ``read_only_uri``: no "//host" from a path written with "//"."""
    with closing(sqlite3.connect(read_only_uri(Path(fs_path)) + "&immutable=1", uri=True)) as conn:
        yield conn


JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
"""How a rollback journal of a write under way (or cut short by a crash) begins."""
WAL_HEADER_BYTES = 32
STEADY_TRIES = 5
"""Reads tried while the player writes, :data:`STEADY_WAIT_SECONDS` apart, before a copy."""
STEADY_WAIT_SECONDS = 0.2


class _WriteState(NamedTuple):
    """What changes whenever the player writes its database (:func:`_write_state`)."""

    counter: bytes
    """The header's file change counter: one more per commit in place."""
    size: int
    mtime_ns: int
    wal: bytes
    """The ``-wal`` file's header (b"": none, or empty). A commit in WAL mode only appends to
    it, which a copy reads up to its last whole commit; the header changes when the WAL starts
    over after a checkpoint, which a copy may tear (:func:`_copy_was_steady`)."""
    writing: bool
    """A rollback journal with its header is there: a commit is overwriting pages in place
    (or one was cut short by a crash)."""


def _write_state(fs_path: str) -> _WriteState:
    """The :class:`_WriteState` of the database at ``fs_path`` now."""
    st = os.stat(fs_path)
    with open(fs_path, "rb") as fh:
        counter = fh.read(28)[24:]
    return _WriteState(counter, st.st_size, st.st_mtime_ns,
                       _head(fs_path + "-wal", WAL_HEADER_BYTES),
                       _head(fs_path + "-journal", len(JOURNAL_MAGIC)) == JOURNAL_MAGIC)


def _head(fs_path: str, size: int) -> bytes:
    """The first ``size`` bytes of the file (b"" when there is none)."""
    try:
        with open(fs_path, "rb") as fh:
            return fh.read(size)
    except FileNotFoundError:
        return b""


def _steady_read(fs_path: str, schema: PlayerSchema) -> PlayerLibrary:
    """The player's playlists as last committed. The running player writes its database in
    place (SQLite's default rollback journal), and a read without a lock during a commit saw
    half-written pages: "database disk image is malformed" (the user told their database is
    damaged), or lists gone that the import then removed from the library, their ids retired.
    So a read counts when no write was under way as it began and the file did not change
    while it ran (:func:`_write_state`); after a few tries a copy is read, rolled back
    (:func:`_checked_copy`). Straight to the copy: a database in WAL mode (only a copy reads
    its WAL: one copy, not one per try), and a journal unchanged after a wait (a crash left
    it, and the player is not running: no need to wait more on every scan)."""
    journal_seen = None
    for attempt in range(STEADY_TRIES):
        before = _write_state(fs_path)
        if before.wal or before == journal_seen:
            break
        if before.writing:
            journal_seen = before
        elif (library := _unlocked_read(fs_path, schema, before)) is not None:
            return library
        if attempt < STEADY_TRIES - 1:
            time.sleep(STEADY_WAIT_SECONDS)
    return _checked_copy(fs_path, schema)


def _unlocked_read(fs_path: str, schema: PlayerSchema,
                   before: _WriteState) -> PlayerLibrary | None:
    """The lists read in place, or None when the player wrote meanwhile (read again)."""
    try:
        with open_player_db(fs_path) as conn:
            library = _read(conn, schema)
    except sqlite3.DatabaseError:
        if _write_state(fs_path) == before:  # not torn: the file itself is bad
            raise
        return None
    return library if _write_state(fs_path) == before else None


def _checked_copy(fs_path: str, schema: PlayerSchema) -> PlayerLibrary:
    """The lists read from a copy, made again (:data:`STEADY_TRIES` times at most) when the
    player wrote while it was made (:func:`_copy_was_steady`), refused at last: a save that
    began during the copy gave 1 list of 20, and the import removed the other 19 and retired
    their ids; a save that tore the copy said the database is damaged. Refused, the stored
    lists stay as they were."""
    for attempt in range(STEADY_TRIES):
        if attempt:
            time.sleep(STEADY_WAIT_SECONDS)
        before = _write_state(fs_path)
        try:
            with open_player_db(fs_path, copy=True) as conn:
                library = _read(conn, schema)
        except sqlite3.DatabaseError:
            if _copy_was_steady(before, _write_state(fs_path)):  # not torn: the file is bad
                raise
            continue
        if _copy_was_steady(before, _write_state(fs_path)):
            return library
    raise PlaylistError(f"{schema.player} wrote to its database while it was read; its "
                        f"playlists are as last imported — scan again when {schema.player} "
                        "is idle")


def _copy_was_steady(before: _WriteState, after: _WriteState) -> bool:
    """Whether a copy made between the two states holds one committed state. In WAL mode
    only the WAL's header counts: a checkpoint that changed the file during the copy wrote
    pages the WAL, copied after it and not started over (its header unchanged), still holds
    and the copy reads from there; a busy player checkpoints often, and a copy refused then
    was a scan refused for nothing. Otherwise any change counts (:class:`_WriteState`)."""
    if before.wal:
        return after.wal == before.wal
    return after == before


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}


@dataclass(frozen=True)
class PlayerSchema:
    player: str
    song_id: str
    """The item column holding the collection song's row id."""
    song_location: str
    """The ``songs`` column holding a collection song's location."""
    item_locations: tuple[str, ...]
    """The item's own location columns, newest first."""
    from_collection: Callable[[object], bool]
    """Whether an item's ``type`` says it is a collection song."""


STRAWBERRY = PlayerSchema("Strawberry", "collection_id", "url", ("url",), lambda t: t == 2)
CLEMENTINE = PlayerSchema("Clementine", "library_id", "filename", ("filename", "url"),
                          lambda t: t == "Library")


def _detector(schema: PlayerSchema) -> Callable[[str, bytes], bool]:
    def detect(fs_path: str, head: bytes) -> bool:
        if not head.startswith(SQLITE_MAGIC):
            return False
        try:
            with _main_file_only(fs_path) as conn:
                found = _has_schema(conn, schema)
        except sqlite3.Error:  # torn by a checkpoint under way: the copy tells
            found = None
        except OSError:
            return False
        if found is None and wal_in_use(fs_path):  # its tables created since the checkpoint
            try:
                with open_player_db(fs_path, copy=True) as conn:
                    found = _has_schema(conn, schema)
            except (sqlite3.Error, OSError):
                return False
        return bool(found)

    return detect


def _has_schema(conn: sqlite3.Connection, schema: PlayerSchema) -> bool | None:
    """Whether the database has ``schema``'s tables and item column; None: it lacks either
    table (the other may be only in its ``-wal`` yet, so the copy tells). Detection reads the
    file alone (:func:`_main_file_only`): a copy of a database in WAL mode for each of the
    scan's several detections was 5 copies of it per scan."""
    items, lists = _columns(conn, "playlist_items"), _columns(conn, "playlists")
    if not items or not lists:
        return None
    return schema.song_id in items and "name" in lists


def _is_dynamic(value) -> bool:
    return value not in (None, 0, "", "0")


def _items(conn: sqlite3.Connection, schema: PlayerSchema, playlist_id: int) -> list[PlayerEntry]:
    have = _columns(conn, "playlist_items")
    own = [f"NULLIF(p.{c}, '')" for c in schema.item_locations if c in have] + ["NULL"]
    rows = conn.execute(
        f"SELECT p.type, p.{schema.song_id}, COALESCE({', '.join(own)}), p.title, p.artist,"
        f" s.{schema.song_location}, s.title, s.artist FROM playlist_items p"
        f" LEFT JOIN songs s ON p.{schema.song_id} = s.ROWID"
        " WHERE p.playlist = ? ORDER BY p.ROWID", (playlist_id,)).fetchall()
    entries = []
    for kind, song_id, location, title, artist, song_location, song_title, song_artist in rows:
        if schema.from_collection(kind):
            location, title, artist = song_location, song_title, song_artist
        display = f"{artist} - {title}" if artist and title else (title or artist or None)
        entries.append(_entry(schema, location, display, song_id))
    return entries


def _entry(schema: PlayerSchema, location, title: str | None, song_id) -> PlayerEntry:
    if not location:
        return PlayerEntry(f"song {song_id}", title,
                           no_file=f"song {song_id} is no longer in {schema.player}'s collection")
    location = str(location)
    scheme = location.partition(":")[0].lower()
    if ":" in location and scheme != "file" and len(scheme) > 1:  # not a file, not C:\…
        return PlayerEntry(location, title, no_file=f"not a local file ({scheme} URL)")
    return PlayerEntry(location, title)


def _reader(schema: PlayerSchema) -> Callable[[str], PlayerLibrary]:
    def read(fs_path: str) -> PlayerLibrary:
        _refuse_not_sqlite(fs_path, schema)
        try:
            return _steady_read(fs_path, schema)
        except sqlite3.Error as exc:
            raise PlaylistError(f"not a readable {schema.player} database ({exc})") from exc

    return read


def _refuse_not_sqlite(fs_path: str, schema: PlayerSchema) -> None:
    """A :class:`PlaylistError` saying what the file is instead, when it is no SQLite database:
    SQLite reads an empty file as an empty database ("no such table: playlists"), and another
    file's bytes as "file is not a database", neither of which tells the user what is wrong."""
    with open(fs_path, "rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if not head:
        raise PlaylistError(f"an empty file, not a {schema.player} database yet ("
                            f"{schema.player} fills it once it has run; scan again then)")
    if head != SQLITE_MAGIC:
        raise PlaylistError(f"not a {schema.player} database (not an SQLite file: damaged, "
                            "or another file under its name)")


def _read(conn: sqlite3.Connection, schema: PlayerSchema) -> PlayerLibrary:
    have = _columns(conn, "playlists")
    dynamic = "dynamic_playlist_type" if "dynamic_playlist_type" in have else "NULL"
    order = "ui_order, ROWID" if "ui_order" in have else "ROWID"
    out = PlayerLibrary()
    for rowid, name, kind in conn.execute(
            f"SELECT ROWID, name, {dynamic} FROM playlists ORDER BY {order}").fetchall():
        name = str(name or "(unnamed)")
        if _is_dynamic(kind):
            out.skipped.append(SkippedList(name, f"dynamic playlist: {schema.player} generates it "
                                                 "from a query, it holds no choice of tracks"))
            continue
        out.playlists.append(PlayerPlaylist(str(rowid), name, _items(conn, schema, rowid)))
    return out


STRAWBERRY_FORMAT = register_player(PlayerFormat(
    "strawberry", "Strawberry database (strawberry.db)", _detector(STRAWBERRY),
    _reader(STRAWBERRY), ("strawberry.db",), owns_filenames=True))
CLEMENTINE_FORMAT = register_player(PlayerFormat(
    "clementine", "Clementine database (clementine.db)", _detector(CLEMENTINE),
    _reader(CLEMENTINE), ("clementine.db",), owns_filenames=True))
