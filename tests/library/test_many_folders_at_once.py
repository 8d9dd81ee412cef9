"""Hundreds of folders named at once (``scan F1 … F600``, ``forget --missing F1 … F600``, a
shell glob over a collection kept one folder per album) are scanned and forgotten as a few do:
the library's "inside one of these folders" query was one flat ``OR`` chain, and past about
500 folders SQLite refused it ("Expression tree is too large"), crashing the command."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from library_audio import write_audio

from musicsage.cli import main
from musicsage.library.under_paths import tracks_under, under_sql

FOLDERS = 600


def album_folders(tmp_path, count: int = FOLDERS) -> list:
    """``count`` folders, the first and the last with one track each, the rest empty."""
    folders = [tmp_path / "music" / f"album{i:03d}" for i in range(count)]
    for folder in folders:
        folder.mkdir(parents=True)
    write_audio(folders[0] / "first.wav", freq=330.0)
    write_audio(folders[-1] / "last.wav", freq=550.0)
    return folders


def stored_paths(ctx) -> dict[str, str]:
    with closing(sqlite3.connect(ctx.data_dir / "library.sqlite3")) as conn:
        return {p.rsplit("/", 1)[-1]: s for p, s in conn.execute("SELECT path, status FROM tracks")}


def test_scan_of_600_folders_named_at_once_stores_their_tracks(ctx, tmp_path, capsys):
    folders = album_folders(tmp_path)

    code = main(["--data-dir", str(ctx.data_dir), "scan", *map(str, folders)])
    err = capsys.readouterr().err

    assert code == 0, err
    assert stored_paths(ctx) == {"first.wav": "present", "last.wav": "present"}
    code = main(["--data-dir", str(ctx.data_dir), "scan", *map(str, folders)])  # again
    assert code == 0 and "0 new, 0 changed, 2 unchanged" in capsys.readouterr().out
    assert stored_paths(ctx) == {"first.wav": "present", "last.wav": "present"}


def test_forget_missing_in_600_named_folders_removes_only_the_missing(ctx, tmp_path, capsys):
    folders = album_folders(tmp_path)
    assert main(["--data-dir", str(ctx.data_dir), "scan", *map(str, folders)]) == 0
    (folders[-1] / "last.wav").unlink()
    assert main(["--data-dir", str(ctx.data_dir), "scan"]) == 0
    capsys.readouterr()

    code = main(["--data-dir", str(ctx.data_dir), "forget", "--missing", *map(str, folders)])
    captured = capsys.readouterr()

    assert code == 0, captured.err
    assert stored_paths(ctx) == {"first.wav": "present"}


def test_tracks_under_thousands_of_folders_finds_each_track_once(tmp_path):
    with closing(sqlite3.connect(":memory:")) as conn:
        conn.execute("CREATE TABLE tracks (id INTEGER PRIMARY KEY, path TEXT, size INTEGER, "
                     "mtime_ns INTEGER, status TEXT)")
        paths = [f"/m/a{i}/t.flac" for i in range(5000)] + ["/m/a10x/t.flac", "/m/a1"]
        conn.executemany("INSERT INTO tracks (path, size, mtime_ns, status) VALUES (?, 1, 2, "
                         "'present')", [(p,) for p in paths])
        folders = [f"/m/a{i}" for i in range(0, 5000, 2)]  # the even ones, and /m/a1 itself not

        found = tracks_under(conn, folders)
        where, params = under_sql("path", folders)
        counted = conn.execute(f"SELECT COUNT(*) FROM tracks WHERE {where}", params).fetchone()[0]

    assert set(found) == {f"/m/a{i}/t.flac" for i in range(0, 5000, 2)}
    assert counted == 2500
