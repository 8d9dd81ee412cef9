"""``suggest PLAYLIST --add/--remove`` writes the playlist's own file, then re-imports it into
the library database. When that second step failed (a full disk, a lock held too long) the
command said "unexpected error (OperationalError: database or disk is full) … this is a bug"
— though the tracks were already in the file, and adding them again was refused as "changed
on disk since it was imported". It now says in one line what was written, that the library
did not record it (in the database's own words: what to do about the disk or the lock, less
their "try again": tried again, the add is refused as changed on disk), the backup it made,
and that a scan reads it once the database can be written; the scan then does, nothing lost
nor doubled. A bug
(an IntegrityError) is still said as one, and a damaged database keeps its own advice (move it
aside), not "run musicsage scan" into it."""

from __future__ import annotations

import sqlite3

import pytest
from playlist_support import playlist_library

from musicsage import cli
from musicsage.library.playlists import store
from musicsage.library.playlists.backups import backup_key
from musicsage.usecases.library import playlist_track_ids, scan_library
from musicsage.context import library_option


@pytest.fixture
def mix(ctx, tmp_path):
    """The library, with ``Mix.m3u8`` holding ``A/One.wav``; its id and the track ids."""
    ctx, music, lists, ids = playlist_library(ctx, tmp_path)
    path = lists / "Mix.m3u8"
    path.write_text(f"#EXTM3U\n{music / 'A/One.wav'}\n", encoding="utf-8")
    scan_library(ctx, [], [str(lists)])
    return ctx, path, ids


def _refused(monkeypatch, exc: sqlite3.DatabaseError) -> None:
    """The library database refuses the re-import's write with ``exc``."""
    def refuse(*_args, **_kwargs):
        raise exc

    monkeypatch.setattr(store, "_store_playlist", refuse)


def _database_full(monkeypatch) -> None:
    """The library database refuses the re-import's write, as a full disk makes it."""
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode, full.sqlite_errorname = sqlite3.SQLITE_FULL, "SQLITE_FULL"
    _refused(monkeypatch, full)


def _run(ctx, capsys, *args: str) -> tuple[int, str]:
    rc = cli.main(["suggest", *args, "--data-dir", str(ctx.data_dir)])
    return rc, capsys.readouterr().err


def test_an_add_the_database_cannot_record_says_the_file_has_it(mix, capsys, monkeypatch):
    ctx, path, ids = mix
    two = ids["A/Two.wav"]
    _database_full(monkeypatch)
    rc, err = _run(ctx, capsys, "Mix", "--add", str(two))
    line = err.strip()
    assert rc == 1 and "\n" not in line, line
    assert "this is a bug" not in line and "unexpected error" not in line, line
    assert "the tracks were added to playlist 'Mix'" in line, line
    assert "database or disk is full" in line and " scan`" in line, line
    assert (f"the disk holding {ctx.db_path} is full (database or disk is full): make room on "
            f"it; once it can be written, run `musicsage {library_option(ctx.data_dir)}scan`"
            ) in line, line  # its own line
    assert "try again" not in line, line  # tried again, the add is refused as changed on disk
    backups = list((ctx.data_dir / "playlist-backups").iterdir())
    assert len(backups) == 1 and f"backup: {backups[0]}" in line, line
    assert "Two.wav" not in backups[0].read_text(encoding="utf-8")  # the file before the add
    named = len(str(path)) + len(str(backups[0])) + len(str(ctx.db_path))
    assert len(line) - named - len(library_option(ctx.data_dir)) < 280, line
    assert "Two.wav" in path.read_text(encoding="utf-8")  # written: what the line says
    monkeypatch.undo()
    scan_library(ctx, [], [])  # what the line says to do: the library reads the file again
    assert playlist_track_ids(ctx, 1) == [ids["A/One.wav"], two]
    rc, err = _run(ctx, capsys, "Mix", "--add", str(two))
    assert rc == 0 and "already in the playlist" in err, err
    assert path.read_text(encoding="utf-8").count("Two.wav") == 1


def test_a_removal_the_database_cannot_record_says_the_file_has_it(mix, capsys, monkeypatch):
    ctx, path, ids = mix
    _database_full(monkeypatch)
    rc, err = _run(ctx, capsys, "Mix", "--remove", str(ids["A/One.wav"]))
    assert rc == 1 and "the tracks were removed from playlist 'Mix'" in err, err
    assert "this is a bug" not in err and "One.wav" not in path.read_text(encoding="utf-8")
    backups = list((ctx.data_dir / "playlist-backups").iterdir())
    assert len(backups) == 1 and f"backup: {backups[0]}" in err, err
    assert "One.wav" in backups[0].read_text(encoding="utf-8")


def test_the_backup_named_is_the_one_the_write_made(mix, capsys, monkeypatch):
    """Another backup of the playlist that appears while the add writes (another write of
    it) was named as the add's, being the newest new name in the backups folder."""
    ctx, path, ids = mix
    folder = ctx.data_dir / "playlist-backups"
    theirs = folder / f"Mix.{backup_key(str(path))}.20991231-235959Z.m3u8"

    def written_meanwhile_then_full(*_args, **_kwargs):
        theirs.write_text("#EXTM3U\n", encoding="utf-8")
        full = sqlite3.OperationalError("database or disk is full")
        full.sqlite_errorcode, full.sqlite_errorname = sqlite3.SQLITE_FULL, "SQLITE_FULL"
        raise full

    monkeypatch.setattr(store, "_store_playlist", written_meanwhile_then_full)
    rc, err = _run(ctx, capsys, "Mix", "--add", str(ids["A/Two.wav"]))
    ours = [b for b in folder.iterdir() if b != theirs]
    assert rc == 1 and theirs.exists() and len(ours) == 1, err
    assert f"backup: {ours[0]}" in err and str(theirs) not in err, err
    assert "One.wav" in ours[0].read_text(encoding="utf-8")


def test_a_failure_before_the_file_is_written_is_said_as_before(mix, capsys, monkeypatch):
    """The database failing before anything was written: the file is untouched, and the
    line does not claim otherwise."""
    ctx, path, ids = mix
    before = path.read_bytes()
    monkeypatch.setattr("musicsage.library.playlists.edit._choose",
                        lambda *_a: (_ for _ in ()).throw(
                            sqlite3.OperationalError("database or disk is full")))
    rc, err = _run(ctx, capsys, "Mix", "--add", str(ids["A/Two.wav"]))
    assert rc != 0 and "the tracks were" not in err, err
    assert path.read_bytes() == before


def test_a_locked_database_keeps_its_own_words(mix, capsys, monkeypatch):
    ctx, path, ids = mix
    _refused(monkeypatch, sqlite3.OperationalError("database is locked"))
    rc, err = _run(ctx, capsys, "Mix", "--add", str(ids["A/Two.wav"]))
    assert rc == 1 and "the tracks were added to playlist 'Mix'" in err, err
    assert "the library database is locked: " in err and "for more than" in err, err
    assert "try again" not in err and ("once it can be written, run `musicsage "
                                       f"{library_option(ctx.data_dir)}scan`") in err, err


def test_a_bug_while_recording_is_still_said_as_a_bug(mix, capsys, monkeypatch):
    """An IntegrityError is the app's fault: no scan mends it, so no line tells to scan."""
    ctx, path, ids = mix
    _refused(monkeypatch, sqlite3.IntegrityError("UNIQUE constraint failed: playlists.path"))
    rc, err = _run(ctx, capsys, "Mix", "--add", str(ids["A/Two.wav"]))
    assert rc == 70 and "this is a bug" in err and "crash-logs" in err, err
    assert "the tracks were" not in err and " scan`" not in err, err


def test_a_damaged_database_keeps_its_advice(mix, capsys, monkeypatch):
    """Told to scan, a user scanned into the damaged file; its own line says to move it
    aside and scan again, the music and playlist files being untouched by that."""
    ctx, path, ids = mix
    _refused(monkeypatch, sqlite3.DatabaseError("database disk image is malformed"))
    rc, err = _run(ctx, capsys, "Mix", "--add", str(ids["A/Two.wav"]))
    assert rc == 1 and f"the library database {ctx.db_path} is damaged" in err, err
    assert "move it aside" in err and "the tracks were" not in err, err
