"""The library DB: schema (the contract other areas build on), connections, transactions."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from musicsage.errors import MusicsageError
from musicsage.library import db
from musicsage.library.db import connect, transaction

CONTRACT_COLUMNS = {
    "tracks": {"id", "path", "size", "mtime_ns", "format", "title", "artist", "album",
               "albumartist", "genre", "track_number", "year", "duration", "sample_rate",
               "channels", "status", "needs_analysis", "added_at", "updated_at"},
    "library_roots": {"path", "added_at"},
    "playlists": {"id", "path", "name", "format", "size", "mtime_ns", "imported_at"},
    "playlist_entries": {"playlist_id", "position", "raw", "title", "track_id"},
    "errors": {"id", "path", "track_id", "stage", "message", "created_at"},
    "audio_embeddings": {"track_id", "model_id", "model_version", "dim", "vector", "created_at"},
    "graph_models": {"id", "name", "audio_model", "created_at", "dir", "params", "metrics",
                     "fingerprint", "is_current"},
    "settings": {"key", "value"},
    "track_hashes": {"track_id", "size", "mtime_ns", "hash"},
    "track_audio_hashes": {"track_id", "size", "mtime_ns", "hash"},
    "track_moves": {"old_path", "track_id", "moved_at"},
    "dataset_tracks": {"dataset", "row_id", "track_id"},
    "dataset_playlists": {"dataset", "row_id", "playlist_id"},
}


def test_schema_is_the_contract(ctx):
    conn = connect(ctx)
    tables = {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    assert tables == set(CONTRACT_COLUMNS) | {"schema_migrations"}
    for table, columns in CONTRACT_COLUMNS.items():
        got = {r["name"] for r in conn.execute(f"PRAGMA table_info({table})")}
        assert got == columns, table


def test_connection_settings(ctx):
    conn = connect(ctx)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert conn.row_factory is sqlite3.Row
    assert [r[0] for r in conn.execute("SELECT version FROM schema_migrations")] == [
        m.version for m in db.MIGRATIONS]


def test_one_connection_per_thread_reopened_after_close(ctx):
    main = connect(ctx)
    assert connect(ctx) is main
    other = []
    t = threading.Thread(target=lambda: other.append(connect(ctx)))
    t.start()
    t.join()
    assert other[0] is not main
    main.close()
    again = connect(ctx)
    assert again is not main and again.execute("SELECT 1").fetchone()[0] == 1


def test_transaction_commits_or_rolls_back(ctx):
    conn = connect(ctx)
    with transaction(conn):
        conn.execute("INSERT INTO tracks(path) VALUES ('/a.wav')")
    with pytest.raises(RuntimeError):
        with transaction(conn):
            conn.execute("INSERT INTO tracks(path) VALUES ('/b.wav')")
            raise RuntimeError("boom")
    assert [r[0] for r in conn.execute("SELECT path FROM tracks")] == ["/a.wav"]
    assert not conn.in_transaction


def test_nested_transaction_rolls_back_inner_only(ctx):
    conn = connect(ctx)
    with transaction(conn):
        conn.execute("INSERT INTO tracks(path) VALUES ('/outer.wav')")
        with pytest.raises(ValueError):
            with transaction(conn):
                conn.execute("INSERT INTO tracks(path) VALUES ('/inner.wav')")
                raise ValueError
    assert [r[0] for r in conn.execute("SELECT path FROM tracks")] == ["/outer.wav"]


def test_foreign_keys_cascade_embeddings(ctx):
    conn = connect(ctx)
    conn.execute("INSERT INTO tracks(id, path) VALUES (1, '/a.wav')")
    conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim, vector)"
                 " VALUES (1, 'spectral', 'v1', 1, x'0000803f')")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim, vector)"
                     " VALUES (99, 'spectral', 'v1', 1, x'0000803f')")
    conn.execute("DELETE FROM tracks WHERE id = 1")
    assert conn.execute("SELECT COUNT(*) FROM audio_embeddings").fetchone()[0] == 0


def test_writes_visible_to_other_connection_without_commit_call(ctx):
    """Autocommit: a write outside transaction() is committed at once (no lock left held)."""
    connect(ctx).execute("INSERT INTO settings(key, value) VALUES ('k', '1')")
    other = db.open_connection(ctx.db_path)
    assert other.execute("SELECT value FROM settings").fetchone()[0] == "1"
    other.execute("INSERT INTO settings(key, value) VALUES ('k2', '2')")  # not locked out
    other.close()


def test_migrations_are_recorded_once_and_newer_db_refused(ctx):
    conn = connect(ctx)
    assert db.migrate(conn) == []  # already applied
    extra = db.Migration(db.SCHEMA_VERSION + 1, "add a column",
                         lambda c: c.execute("ALTER TABLE settings ADD COLUMN note TEXT"))
    assert db.migrate(conn, db.MIGRATIONS + (extra,)) == [extra.version]
    with pytest.raises(MusicsageError, match="newer"):
        db.migrate(conn)


def test_failed_migration_leaves_schema_unchanged(ctx):
    conn = connect(ctx)

    def broken(c):
        c.execute("CREATE TABLE half_done (x)")
        raise sqlite3.OperationalError("boom")

    with pytest.raises(sqlite3.OperationalError):
        db.migrate(conn, db.MIGRATIONS + (db.Migration(99, "broken", broken),))
    assert conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    assert db.SCHEMA_VERSION == max(db.applied_versions(conn))


def test_corrupt_db_file_gives_clear_error(tmp_path):
    bad = tmp_path / "library.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(MusicsageError, match="the library database .* is damaged .*move it "
                       "aside") as info:
        db.open_connection(bad)
    assert bad.read_bytes() == b"this is not a database" * 100  # left as it was
    assert "\n" not in str(info.value)


def test_a_database_path_that_is_a_folder_or_a_link_to_nowhere_says_so(tmp_path, capsys):
    """Both said "unable to open database file"; a link to nowhere, followed, even made a new
    empty library at its target (a drive not mounted)."""
    import os

    from musicsage import cli

    folder, link, fifo = (tmp_path / n for n in ("folder", "link", "fifo"))
    (folder / "library.sqlite3").mkdir(parents=True)
    link.mkdir()
    (link / "library.sqlite3").symlink_to(tmp_path / "unmounted" / "lib.db")
    fifo.mkdir()
    os.mkfifo(fifo / "library.sqlite3")
    lines = {
        folder: f"{folder / 'library.sqlite3'} is a folder, not a library database: move it "
                "away",
        link: f"{link / 'library.sqlite3'} is a link to {tmp_path / 'unmounted' / 'lib.db'}, "
              "which does not exist (a drive not mounted?): mount it, or move the link away "
              "(nothing was created)",
        fifo: f"{fifo / 'library.sqlite3'} is not a regular file, so not a library database: "
              "move it away"}
    for data_dir, line in lines.items():
        for command in (["stats"], ["scan", str(tmp_path)]):
            assert cli.main(["--data-dir", str(data_dir), *command]) == 1
            assert capsys.readouterr().err.strip().splitlines() == [
                f"musicsage {command[0]}: {line}"]
        with pytest.raises(MusicsageError, match="move it away|move the link away"):
            db.open_connection(data_dir / "library.sqlite3")
    assert not (tmp_path / "unmounted").exists()
    good = tmp_path / "good"
    good.mkdir()
    db.open_connection(tmp_path / "elsewhere.db").close()
    (good / "library.sqlite3").symlink_to(tmp_path / "elsewhere.db")  # a link to a library
    assert cli.main(["--data-dir", str(good), "stats"]) == 0


def test_a_library_missing_one_of_its_tables_is_damaged_not_a_crash(tmp_path):
    """A table dropped by another tool was a crash at every command's first query."""
    path = tmp_path / "library.sqlite3"
    db.open_connection(path).close()
    with sqlite3.connect(path) as c:
        c.execute("PRAGMA foreign_keys = OFF")
        c.execute("DROP TABLE tracks")
    with pytest.raises(MusicsageError, match="is damaged .malformed: the table tracks is "
                                             "missing.: move it aside"):
        db.open_connection(path)
    with sqlite3.connect(path) as c:  # left as it was: nothing re-created over it
        assert not c.execute("SELECT 1 FROM sqlite_master WHERE name = 'tracks'").fetchone()


def test_reader_thread_works_while_a_writer_thread_commits_batches(ctx):
    """The GUI reads while a worker scans: WAL + short transactions, no 'database is locked'."""
    from musicsage.library.browse import library_stats

    connect(ctx)
    stop = threading.Event()
    failures = []

    def writer():
        conn = connect(ctx)
        try:
            for batch in range(30):
                with transaction(conn):
                    for i in range(50):
                        conn.execute("INSERT INTO tracks(path) VALUES (?)", (f"/m/{batch}/{i}.wav",))
        except Exception as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            stop.set()
            db.close_thread_connections()

    t = threading.Thread(target=writer)
    t.start()
    seen = []
    while not stop.is_set():
        seen.append(library_stats(connect(ctx)).tracks.total)
    t.join()
    assert failures == []
    assert seen == sorted(seen) and all(n % 50 == 0 for n in seen)  # only whole batches visible
    assert library_stats(connect(ctx)).tracks.total == 1500


def _new_library_being_written(path):
    """A library file still in rollback-journal mode (a first command is creating it) with
    that command's write transaction open: switching to WAL then needs the file to itself,
    and SQLite answers 'database is locked' at once, without waiting."""
    import sqlite3

    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    db.applied_versions(writer)  # what it makes first: a library, not another program's file
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("CREATE TABLE t(x)")
    return writer


def test_opening_waits_while_another_connection_blocks_the_switch_to_wal(tmp_path):
    """Two commands opening a new library at the same moment: the second waits for the
    first instead of failing with 'database is locked'."""
    import threading

    from musicsage.library.db import open_connection

    path = tmp_path / "library.sqlite3"
    writer = _new_library_being_written(path)
    threading.Timer(0.3, lambda: writer.execute("COMMIT")).start()
    conn = open_connection(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    writer.close()


def test_opening_still_gives_up_after_the_busy_timeout(tmp_path, monkeypatch):
    import pytest

    from musicsage.errors import MusicsageError
    from musicsage.library import db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    writer = _new_library_being_written(tmp_path / "library.sqlite3")
    try:
        with pytest.raises(MusicsageError, match="cannot open the library database .*locked"):
            db.open_connection(tmp_path / "library.sqlite3")
    finally:
        writer.close()


def _full_disk(monkeypatch, free_bytes: int = 0) -> None:
    """What a full disk does to opening a WAL library: SQLite cannot size the ``-shm`` file
    (SQLITE_IOERR_SHMSIZE, 'disk I/O error'; seen on a full tmpfs), and statvfs says no room."""
    import os

    def no_shm(conn):
        exc = sqlite3.OperationalError("disk I/O error")
        exc.sqlite_errorname = "SQLITE_IOERR_SHMSIZE"
        raise exc

    real = os.statvfs
    monkeypatch.setattr(db, "_use_wal", no_shm)
    monkeypatch.setattr(db.os, "statvfs", lambda p: os.statvfs_result(
        (*real(p)[:4], free_bytes // real(p).f_frsize, *real(p)[5:])))


def _library_with_a_track(ctx) -> str:
    conn = connect(ctx)
    conn.execute("INSERT INTO tracks(path, title) VALUES ('/m/a.ogg', 'A')")
    conn.execute("INSERT INTO library_roots(path) VALUES ('/m')")
    db.close_thread_connections()
    return str(ctx.db_path)


def test_a_library_on_a_full_disk_is_read_and_a_write_says_the_disk_is_full(ctx, monkeypatch,
                                                                            capsys):
    """``stats`` and ``similar`` failed with 'cannot open the library database …: disk I/O
    error' on a full disk: WAL readers need the ``-shm`` file too."""
    from musicsage import cli

    path = _library_with_a_track(ctx)
    _full_disk(monkeypatch)
    conn = db.open_connection(path)
    assert conn.execute("SELECT title FROM tracks").fetchone()[0] == "A"
    line = (f"the disk holding {path} is full (disk I/O error): make room on it, then try "
            "again")
    with pytest.raises(MusicsageError) as err:
        with transaction(conn):
            conn.execute("INSERT INTO library_roots(path) VALUES ('/n')")
    assert str(err.value) == line
    conn.close()
    assert cli.main(["stats", "--data-dir", str(ctx.data_dir)]) == 0
    assert "tracks" in capsys.readouterr().out
    db.close_thread_connections()
    assert cli.main(["forget", "/m", "--data-dir", str(ctx.data_dir)]) == 1
    assert capsys.readouterr().err == f"musicsage forget: {line}\n"


def test_a_full_disk_with_changes_waiting_in_the_wal_is_one_line_not_stale_data(ctx,
                                                                               monkeypatch):
    """Reading past the ``-wal`` file (immutable) would show the library as it was before
    its last commits: refused in one line instead."""
    path = _library_with_a_track(ctx)
    with closing(sqlite3.connect(path, isolation_level=None)) as writer:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("INSERT INTO tracks(path, title) VALUES ('/m/b.ogg', 'B')")
        waiting = {name: Path(name).read_bytes() for name in (path, path + "-wal")}
    for name, data in waiting.items():  # as it was before the close folded the change in
        Path(name).write_bytes(data)
    _full_disk(monkeypatch)
    with pytest.raises(MusicsageError, match=r"^the disk holding .* is full \(disk I/O error\)"
                                             r": make room on it, then try again$"):
        db.open_connection(path)


def test_a_full_disk_with_a_checkpointed_wal_is_read(ctx, monkeypatch):
    """A -wal file whose commits a checkpoint folded into the library file keeps its size:
    nothing waits in it, so the library is read as on a full disk with no -wal."""
    path = _library_with_a_track(ctx)
    with closing(sqlite3.connect(path, isolation_level=None)) as writer:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("INSERT INTO tracks(path, title) VALUES ('/m/b.ogg', 'B')")
        writer.execute("PRAGMA wal_checkpoint(PASSIVE)")
        waiting = {name: Path(name).read_bytes() for name in (path, path + "-wal")}
    for name, data in waiting.items():
        Path(name).write_bytes(data)
    _full_disk(monkeypatch)
    with closing(db.open_connection(path)) as conn:
        assert [r[0] for r in conn.execute("SELECT title FROM tracks ORDER BY id")] == ["A", "B"]


def test_a_disk_io_error_with_room_on_the_disk_is_not_called_a_full_disk(ctx, monkeypatch):
    from musicsage.failures import database_failure

    path = _library_with_a_track(ctx)
    _full_disk(monkeypatch, free_bytes=50 << 20)
    with pytest.raises(MusicsageError, match="^cannot open the library database .*disk I/O"):
        db.open_connection(path)
    exc = sqlite3.OperationalError("disk I/O error")
    exc.sqlite_errorname = "SQLITE_IOERR_SHMSIZE"
    assert database_failure(exc, ctx).startswith("cannot write the library database")
    _full_disk(monkeypatch)
    assert database_failure(exc, ctx) == (f"the disk holding {ctx.db_path} is full (disk I/O "
                                          "error): make room on it, then try again")
