"""``suggest PLAYLIST --add/--remove`` writes the playlist's own file, then re-imports it into
the library database. When that second step failed (a full disk, a lock held too long) the
command said "unexpected error (OperationalError: database or disk is full) … this is a bug"
— though the tracks were already in the file, and adding them again was refused as "changed
on disk since it was imported". It now says in one line what was written, that the library
did not record it, and that a scan reads it; the scan then does, nothing lost nor doubled."""

from __future__ import annotations

import sqlite3

import pytest
from playlist_support import playlist_library

from musicsage import cli
from musicsage.library.playlists import store
from musicsage.usecases.library import playlist_track_ids, scan_library


@pytest.fixture
def mix(ctx, tmp_path):
    """The library, with ``Mix.m3u8`` holding ``A/One.wav``; its id and the track ids."""
    ctx, music, lists, ids = playlist_library(ctx, tmp_path)
    path = lists / "Mix.m3u8"
    path.write_text(f"#EXTM3U\n{music / 'A/One.wav'}\n", encoding="utf-8")
    scan_library(ctx, [], [str(lists)])
    return ctx, path, ids


def _database_full(monkeypatch) -> None:
    """The library database refuses the re-import's write, as a full disk makes it."""
    def refuse(*_args, **_kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "_store_playlist", refuse)


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
    assert "database or disk is full" in line and "musicsage scan" in line, line
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
