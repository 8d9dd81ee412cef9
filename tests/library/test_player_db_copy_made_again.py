"""The copy of a Strawberry/Clementine database read at last, while the running player writes:
made again when a write changed the database during it, refused in one line (the stored lists
kept) when every copy was written over — never a torn copy called a damaged database. In WAL
mode, a checkpoint during the copy does not refuse it (its pages are in the WAL copied after
it), and finding which player's database a file is reads the file itself, not one copy per
look at it."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from library_audio import write_audio
from player_files import write_strawberry

from musicsage.cli import main
from musicsage.library.playlists import player_format_for
from musicsage.library.playlists import strawberry as player_db


def _five_lists(path: Path, files) -> str:
    return str(write_strawberry(path, [(f"List {n}", files[:2] if n % 2 else files)
                                       for n in range(1, 6)]))


def _thirty_each(path: Path) -> str:
    """Five lists of 30 entries: enough pages that a save spilled into the file tears them."""
    return str(write_strawberry(path, [(f"List {n}", [path.parent / f"{i}.wav" for i in range(30)])
                                       for n in range(1, 6)]))


def _copies_of(path: str, monkeypatch, before_copy=None) -> list[int]:
    """Copies of the database file itself counted; ``before_copy(copy number)`` runs ahead of
    each, as the player writing while the copy is made."""
    copies: list[int] = []
    real_copy = player_db.shutil.copyfile

    def copy(src, dst, **kwargs):
        if str(src) == path:
            copies.append(len(copies) + 1)
            if before_copy is not None:
                before_copy(len(copies))
        return real_copy(src, dst, **kwargs)

    monkeypatch.setattr(player_db.shutil, "copyfile", copy)
    return copies


def _player_tears(player: sqlite3.Connection):
    """A save that drops the items' table and spills a new one into the file before it
    commits: a copy made meanwhile without its journal is no database SQLite reads."""
    def tear(_copy: int) -> None:
        if not player.in_transaction:
            player.execute("PRAGMA cache_size = 1")
            player.execute("BEGIN IMMEDIATE")
            player.execute("DROP TABLE playlist_items")
            player.execute("CREATE TABLE filler AS SELECT randomblob(300000) AS b")
            player.execute("CREATE TABLE playlist_items(playlist, type, collection_id, title,"
                           " url, artist)")
    return tear


@pytest.fixture
def files(tmp_path):
    return [tmp_path / f"0{i} Song.wav" for i in range(1, 4)]


def test_a_copy_torn_by_a_save_is_refused_as_a_save_not_as_damage(tmp_path, monkeypatch):
    monkeypatch.setattr(player_db, "STEADY_TRIES", 1)
    path = _thirty_each(tmp_path / "strawberry.db")
    player = sqlite3.connect(path, isolation_level=None)
    _copies_of(path, monkeypatch, _player_tears(player))
    try:
        with pytest.raises(player_db.PlaylistError) as refused:
            player_db._checked_copy(path, player_db.STRAWBERRY)
    finally:
        player.execute("ROLLBACK") if player.in_transaction else None
        player.close()
    assert str(refused.value) == (
        "Strawberry wrote to its database while it was read; its playlists are as last "
        "imported — scan again when Strawberry is idle")


def test_a_copy_written_over_is_made_again(tmp_path, monkeypatch):
    """The save that tore the first copy has committed by the second: that one is read."""
    sleeps: list[float] = []
    path = _thirty_each(tmp_path / "strawberry.db")
    player = sqlite3.connect(path, isolation_level=None)

    def player_commits_meanwhile(seconds: float) -> None:
        sleeps.append(seconds)
        player.execute("COMMIT")

    monkeypatch.setattr(time, "sleep", player_commits_meanwhile)
    tear = _player_tears(player)
    copies = _copies_of(path, monkeypatch, lambda copy: tear(copy) if copy == 1 else None)
    try:
        library = player_db._checked_copy(path, player_db.STRAWBERRY)
    finally:
        player.close()
    assert [len(p.entries) for p in library.playlists] == [0, 0, 0, 0, 0]
    assert len(copies) == 2 and sleeps == [player_db.STEADY_WAIT_SECONDS]


def _wal_player(path: str) -> sqlite3.Connection:
    """The player with its database in WAL mode, a commit in its ``-wal`` not yet in the file."""
    player = sqlite3.connect(path, isolation_level=None)
    player.execute("PRAGMA journal_mode = WAL")
    player.execute("PRAGMA wal_autocheckpoint = 0")
    player.execute("UPDATE playlists SET ui_order = ui_order + 1")
    return player


def test_a_checkpoint_during_the_copy_in_wal_mode_keeps_it(tmp_path, files, monkeypatch):
    """The checkpoint writes into the file while it is copied; the WAL copied after it still
    holds those pages (not started over): the copy is whole, read once, not refused."""
    monkeypatch.setattr(time, "sleep", lambda _s: None)
    path = _five_lists(tmp_path / "strawberry.db", files)
    player = _wal_player(path)
    copies = _copies_of(path, monkeypatch, lambda _copy: player.execute(
        "PRAGMA wal_checkpoint(PASSIVE)"))
    try:
        library = player_db.STRAWBERRY_FORMAT.read(path)
    finally:
        player.close()
    assert [len(p.entries) for p in library.playlists] == [2, 3, 2, 3, 2]
    assert len(copies) == 1


def test_a_wal_started_over_during_the_copy_is_copied_again(tmp_path, files, monkeypatch):
    monkeypatch.setattr(time, "sleep", lambda _s: None)
    path = _five_lists(tmp_path / "strawberry.db", files)
    player = _wal_player(path)

    def checkpoint_and_start_over(copy: int) -> None:
        if copy == 1:
            player.execute("PRAGMA wal_checkpoint(RESTART)")
            player.execute("DELETE FROM playlist_items WHERE playlist = 5")

    copies = _copies_of(path, monkeypatch, checkpoint_and_start_over)
    try:
        library = player_db.STRAWBERRY_FORMAT.read(path)
    finally:
        player.close()
    assert [len(p.entries) for p in library.playlists] == [2, 3, 2, 3, 0]
    assert len(copies) == 2


def test_a_scan_copies_a_database_in_wal_mode_once(tmp_path, files, monkeypatch, capsys):
    music, lists = tmp_path / "music", tmp_path / "lists"
    for f in files:
        write_audio(music / f.name, seconds=0.1)
    lists.mkdir()
    path = _five_lists(lists / "strawberry.db", [music / f.name for f in files])
    player = _wal_player(path)
    copies = _copies_of(path, monkeypatch)
    try:
        code = main(["scan", str(music), "--playlists", str(lists), "--data-dir",
                     str(tmp_path / "data")])
    finally:
        player.close()
    assert code == 0 and "playlist 'List 5' (strawberry): 2 entries, 2 resolved" in \
        capsys.readouterr().out
    assert len(copies) == 1


def test_tables_made_since_the_last_checkpoint_are_still_found(tmp_path, files):
    """A database in WAL mode whose tables are only in its ``-wal`` yet: the file alone has
    none, so its copy tells, whatever the file is called."""
    path = str(tmp_path / "music-player.sqlite")
    player = sqlite3.connect(path, isolation_level=None)
    player.execute("PRAGMA journal_mode = WAL")
    player.execute("PRAGMA wal_autocheckpoint = 0")
    fresh = _five_lists(tmp_path / "fresh.db", files)
    with sqlite3.connect(fresh) as source:
        for (ddl,) in source.execute("SELECT sql FROM sqlite_master WHERE type = 'table'"):
            player.execute(ddl)
    try:
        assert player_format_for(path) is player_db.STRAWBERRY_FORMAT
    finally:
        player.close()


@pytest.mark.parametrize("later", ["playlist_items", "playlists"])
def test_one_table_made_since_the_last_checkpoint_is_still_found(tmp_path, files, later):
    """The file alone has one of the two tables, the other only in the ``-wal`` yet: taken for
    no player's database (the file alone decided), its lists were never read."""
    path = str(tmp_path / "music-player.sqlite")
    fresh = _five_lists(tmp_path / "fresh.db", files)
    with sqlite3.connect(fresh) as source:
        tables = dict(source.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    player = sqlite3.connect(path, isolation_level=None)
    for name, ddl in tables.items():
        if name != later:
            player.execute(ddl)
    player.execute("PRAGMA journal_mode = WAL")
    player.execute("PRAGMA wal_autocheckpoint = 0")
    player.execute(tables[later])
    try:
        assert player_format_for(path) is player_db.STRAWBERRY_FORMAT
    finally:
        player.close()
