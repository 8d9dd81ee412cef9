"""A Strawberry/Clementine database read while the running player commits a change to it.

The player writes its database in place (SQLite's default rollback journal), so pages of a
commit under way are already in the file. Read without a lock, that half-written state said
"database disk image is malformed" (the user told their database is damaged) or, as here,
showed lists gone: the import then removed them from the library and retired their ids (a
trained model's vectors for them lost). The last committed state must be read instead.
"""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest
from library_audio import write_audio
from player_files import write_clementine, write_strawberry

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.playlists import import_playlists
from musicsage.library.playlists import strawberry as player_db
from musicsage.library.scan import resolve_roots, scan_roots


@pytest.fixture
def songs(conn, tmp_path):
    """Three scanned tracks: (their files, their ids)."""
    root = tmp_path / "music"
    files = [root / f"Album/0{i} Song.wav" for i in range(1, 4)]
    for f in files:
        write_audio(f, seconds=0.1)
    scan_roots(conn, resolve_roots([root]))
    return files, [q.track_by_path(conn, P.from_fs(str(f)))["id"] for f in files]


def _stored(conn, source: str) -> dict[str, tuple[int, list]]:
    """The library's playlists of ``source``: name → (id, track ids in order)."""
    return {r["name"]: (r["id"], [e["track_id"] for e in q.playlist_entries(conn, r["id"])])
            for r in q.playlist_rows(conn) if source in r["path"]}


@pytest.mark.parametrize("writer", [write_strawberry, write_clementine])
def test_a_commit_under_way_is_not_read(conn, tmp_path, songs, writer, monkeypatch):
    monkeypatch.setattr(player_db, "STEADY_WAIT_SECONDS", 0.0, raising=False)
    files, ids = songs
    path = writer(tmp_path / "player.db", [("Road trip", files), ("Quiet", files[:2]),
                                           ("Last", files[2:])])
    import_playlists(conn, [str(path)])
    before = _stored(conn, str(path))
    assert {name: tracks for name, (_, tracks) in before.items()} == {
        "Road trip": ids, "Quiet": ids[:2], "Last": ids[2:]}

    player = sqlite3.connect(path, isolation_level=None)
    player.execute("PRAGMA cache_size = 1")  # its change spills into the file before commit
    player.execute("BEGIN IMMEDIATE")
    player.execute("DELETE FROM playlist_items")
    player.execute("DELETE FROM playlists WHERE name != 'Quiet'")
    player.execute("CREATE TABLE filler AS SELECT randomblob(200000) AS b")
    try:
        assert os.path.getsize(f"{path}-journal") > 0  # a commit under way, pages in the file
        os.utime(path, ns=(1, 1))  # the file changed: the scan reads it again
        reports = import_playlists(conn, [str(path)])
        assert all(r.error is None for r in reports if not getattr(r, "skipped", None))
        assert _stored(conn, str(path)) == before  # same lists, ids and tracks
    finally:
        player.execute("ROLLBACK")
        player.close()
    with closing(sqlite3.connect(path)) as check:  # the player's file was not touched
        assert check.execute("SELECT COUNT(*) FROM playlists").fetchone()[0] == 4


def test_a_database_that_is_bad_still_says_so_at_once(tmp_path, monkeypatch):
    """A file that is not torn but bad (no playlists table) is refused on the first read, not
    after the retries meant for a player's write."""
    sleeps: list[float] = []
    monkeypatch.setattr(time, "sleep", sleeps.append)
    path = tmp_path / "strawberry.db"
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE playlist_items (collection_id)")
    with pytest.raises(player_db.PlaylistError, match="no such table: playlists"):
        player_db.STRAWBERRY_FORMAT.read(str(path))
    assert sleeps == []


def _five_lists(tmp_path, files):
    return write_strawberry(tmp_path / "strawberry.db",
                            [(f"List {n}", files[:2] if n % 2 else files) for n in range(1, 6)])


def _counting(monkeypatch, name: str, before=None) -> list[int]:
    """Calls of ``player_db.<name>`` counted; ``before(call number)`` runs ahead of each."""
    calls: list[int] = []
    real = getattr(player_db, name)

    def counted(*args, **kwargs):
        calls.append(len(calls) + 1)
        if before is not None:
            before(len(calls))
        return real(*args, **kwargs)

    monkeypatch.setattr(player_db, name, counted)
    return calls


def test_a_commit_between_the_lists_and_their_entries_is_read_again(tmp_path, monkeypatch):
    """The player deletes list 5 (and its entries) after the lists were read and before their
    entries were: list 5 read with no entries would empty it in the library. (A guard of what
    554935d already did: the file's state, checked after each read, says to read again.)"""
    monkeypatch.setattr(player_db, "STEADY_WAIT_SECONDS", 0.0)
    files = [tmp_path / f"0{i} Song.wav" for i in range(1, 4)]
    path = _five_lists(tmp_path, files)
    player = sqlite3.connect(path, isolation_level=None)

    def player_deletes_list_5(call: int) -> None:
        if call == 1:
            with player:
                player.execute("DELETE FROM playlist_items WHERE playlist = 5")
                player.execute("DELETE FROM playlists WHERE ROWID = 5")

    _counting(monkeypatch, "_items", player_deletes_list_5)
    reads = _counting(monkeypatch, "_read")
    try:
        library = player_db.STRAWBERRY_FORMAT.read(str(path))
    finally:
        player.close()
    assert {p.name: len(p.entries) for p in library.playlists} == {
        "List 1": 2, "List 2": 3, "List 3": 2, "List 4": 3}
    assert len(reads) == 2


def test_a_save_begun_during_the_last_copy_keeps_the_stored_lists(conn, tmp_path, songs,
                                                                  monkeypatch):
    """The player writes during every read, then begins a save while the copy read last is
    made: that copy (1 list of 5, no entries) must not replace the stored lists."""
    monkeypatch.setattr(player_db, "STEADY_TRIES", 1)
    files, _ids = songs
    path = _five_lists(tmp_path, files)
    import_playlists(conn, [str(path)])
    before = _stored(conn, str(path))
    player = sqlite3.connect(path, isolation_level=None)
    player.execute("PRAGMA cache_size = 1")  # its save spills into the file before commit

    def player_commits(call: int) -> None:
        if call == 1:
            player.execute("UPDATE playlists SET ui_order = ui_order + 1")

    def player_begins_a_save(src, dst, **kwargs):
        if str(src) == str(path) and not player.in_transaction:
            player.execute("BEGIN IMMEDIATE")
            player.execute("DELETE FROM playlist_items")
            player.execute("DELETE FROM playlists WHERE name != 'List 3'")
            player.execute("CREATE TABLE filler AS SELECT randomblob(300000) AS b")
        return real_copy(src, dst, **kwargs)

    real_copy = player_db.shutil.copyfile
    _counting(monkeypatch, "_read", player_commits)
    monkeypatch.setattr(player_db.shutil, "copyfile", player_begins_a_save)
    os.utime(path, ns=(1, 1))  # the file changed: the scan reads it again
    try:
        reports = import_playlists(conn, [str(path)])
    finally:
        player.execute("ROLLBACK") if player.in_transaction else None
        player.close()
    errors = [r.error for r in reports if r.error]
    said = "Strawberry wrote to its database while it was read; its playlists are as last imported"
    assert errors and all(said in e for e in errors)
    assert _stored(conn, str(path)) == before


def _crashed_copy(tmp_path, files) -> str:
    """A Strawberry database and the journal of a save cut short by a crash (the player is not
    running): its pages half overwritten, the journal holding the old ones."""
    path = _five_lists(tmp_path, files)
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    player = sqlite3.connect(path, isolation_level=None)
    player.execute("PRAGMA cache_size = 1")
    player.execute("BEGIN IMMEDIATE")
    player.execute("DELETE FROM playlist_items")
    player.execute("CREATE TABLE filler AS SELECT randomblob(200000) AS b")
    for suffix in ("", "-journal"):
        (crashed / f"strawberry.db{suffix}").write_bytes(Path(f"{path}{suffix}").read_bytes())
    player.execute("ROLLBACK")
    player.close()
    return str(crashed / "strawberry.db")


def test_a_journal_left_by_a_crash_is_read_after_one_wait(tmp_path, monkeypatch):
    sleeps: list[float] = []
    monkeypatch.setattr(time, "sleep", sleeps.append)
    files = [tmp_path / f"0{i} Song.wav" for i in range(1, 4)]
    crashed = _crashed_copy(tmp_path, files)
    library = player_db.STRAWBERRY_FORMAT.read(crashed)
    assert [len(p.entries) for p in library.playlists] == [2, 3, 2, 3, 2]
    assert sleeps == [player_db.STEADY_WAIT_SECONDS]


def test_a_busy_player_in_wal_mode_costs_one_copy(tmp_path, monkeypatch):
    """Each commit of the player only adds to its -wal: one copy reads the lists, not one
    per try and another at last."""
    monkeypatch.setattr(time, "sleep", lambda _s: None)
    files = [tmp_path / f"0{i} Song.wav" for i in range(1, 4)]
    path = _five_lists(tmp_path, files)
    player = sqlite3.connect(path, isolation_level=None)
    player.execute("PRAGMA journal_mode = WAL")
    player.execute("PRAGMA wal_autocheckpoint = 0")
    player.execute("UPDATE playlists SET ui_order = ui_order + 1")  # its -wal holds a commit
    copies = []
    real_copy = player_db.shutil.copyfile
    monkeypatch.setattr(player_db.shutil, "copyfile", lambda src, dst, **kw: (
        copies.append(src) if str(src) == str(path) else None, real_copy(src, dst, **kw))[1])
    _counting(monkeypatch, "_read", lambda _call: player.execute(
        "UPDATE playlists SET ui_order = ui_order + 1"))
    try:
        library = player_db.STRAWBERRY_FORMAT.read(str(path))
    finally:
        player.close()
    assert [len(p.entries) for p in library.playlists] == [2, 3, 2, 3, 2]
    assert len(copies) == 1


def test_a_path_written_with_two_leading_slashes_is_read(tmp_path):
    """``//home/me/…`` names the same file; SQLite read its first part as a URI's host."""
    files = [tmp_path / f"0{i} Song.wav" for i in range(1, 4)]
    path = _five_lists(tmp_path, files)
    library = player_db.STRAWBERRY_FORMAT.read("/" + str(path))
    assert len(library.playlists) == 5
