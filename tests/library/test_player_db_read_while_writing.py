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
