"""Hundreds of folders named at once (``scan F1 … F600``, ``forget --missing F1 … F600``, a
shell glob over a collection kept one folder per album) are scanned and forgotten as a few do:
the library's "inside one of these folders" query was one flat ``OR`` chain, and past about
500 folders SQLite refused it ("Expression tree is too large"), crashing the command; then,
three parameters a folder, SQLite builds allowing 999 (before 3.32; python.org's) refused
it ("too many SQL variables"): the tests here run under that limit."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from library_audio import write_audio

from musicsage.cli import main
from musicsage.library.paths import is_under
from musicsage.library.under_paths import has_json1, tracks_under, under_sql

FOLDERS = 600
OLD_SQLITE_LIMIT = 999
"""Host parameters a statement may have in SQLite builds older than 3.32."""


def limited(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, OLD_SQLITE_LIMIT)
    return conn


@pytest.fixture(autouse=True)
def old_sqlite_limit(monkeypatch):
    """Every connection the app opens allows 999 host parameters, as older builds do."""
    real_connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: limited(real_connect(*a, **k)))


def without_json(conn: sqlite3.Connection) -> sqlite3.Connection:
    """``conn`` as if its SQLite had been built without JSON1: every ``json…`` refused."""
    def refuse_json(_action, first, second, *_where) -> int:
        named = f"{first or ''} {second or ''}"
        return sqlite3.SQLITE_DENY if "json" in named else sqlite3.SQLITE_OK
    conn.set_authorizer(refuse_json)
    return conn


@pytest.fixture(params=[True, False], ids=["JSON1", "no JSON1"])
def json1(request, monkeypatch):
    """SQLite with its JSON functions, and one without them (the probe then says so): the
    older form, three parameters a folder, asked in chunks (``json_each``: "no such table")."""
    if not request.param:
        connect = sqlite3.connect  # the one with the old limit
        monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: without_json(connect(*a, **k)))
    has_json1.cache_clear()
    yield request.param
    has_json1.cache_clear()


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


def test_tracks_under_thousands_of_folders_finds_exactly_the_tracks_inside(tmp_path, json1):
    with closing(limited(sqlite3.connect(":memory:"))) as conn:
        conn.execute("CREATE TABLE tracks (id INTEGER PRIMARY KEY, path TEXT, size INTEGER, "
                     "mtime_ns INTEGER, status TEXT)")
        paths = [f"/m/a{i}/t.flac" for i in range(11000)] + ["/m/a10x/t.flac", "/m/a1"]
        conn.executemany("INSERT INTO tracks (path, size, mtime_ns, status) VALUES (?, 1, 2, "
                         "'present')", [(p,) for p in paths])
        folders = [f"/m/a{i}" for i in range(0, 11000, 2)]  # the even ones, and /m/a1 itself not

        found = tracks_under(conn, folders)
        asked = folders if json1 else folders[:300]  # without JSON1: 3 parameters a folder
        where, params = under_sql("path", asked)
        rows = [r[0] for r in conn.execute(f"SELECT path FROM tracks WHERE {where}", params)]

    assert set(found) == {f"/m/a{i}/t.flac" for i in range(0, 11000, 2)}
    assert sorted(rows) == sorted(p for p in found if p.rsplit("/", 1)[0] in set(asked))
    assert len(rows) == len(set(rows))  # each row once: a join would repeat a track


ODD_PATHS = ["/", "//", "/m", "/m/", "/m/x.flac", "/M/x.flac", "/m2/x.flac", "/m%/x.flac",
             "/mx/x.flac", "/m_/x.flac", "/m/%/x.flac", "/a/b/", "/a/b/c.flac", "/a/bc.flac",
             "", "x.flac", "dataset:/d#1", "dataset:/d/e#2", "dataset:#3", "/ü/é.flac",
             "/🎵/x.flac", "/🎵x/x.flac", "/m/O'Brien/x.flac", '/m/"q"/x.flac']
ODD_FOLDERS = ["/", "", "//", "/m", "/m/", "/m//", "/M", "/m%", "/m_", "/a/b", "/a/b/",
               "dataset:", "dataset:/d", "/ü", "/🎵", "/m/O'Brien", '/m/"q"', "/nowhere"]


@pytest.mark.parametrize("many", [False, True], ids=["one folder", "with others"])
def test_the_query_finds_what_is_under_says(many, json1):
    """The SQL condition (both its forms: one folder, several) agrees with ``is_under`` on
    roots ``/``, ``''``, ``//``, trailing slashes, ``%`` and ``_``, case, ``dataset:`` keys,
    quotes and characters beyond the BMP."""
    with closing(limited(sqlite3.connect(":memory:"))) as conn:
        conn.execute("CREATE TABLE tracks (path TEXT NOT NULL UNIQUE)")
        conn.executemany("INSERT INTO tracks VALUES (?)", [(p,) for p in ODD_PATHS])
        for folder in ODD_FOLDERS:
            folders = [folder, "/nowhere/else"] if many else [folder]
            where, params = under_sql("path", folders)
            got = {r[0] for r in conn.execute(f"SELECT path FROM tracks WHERE {where}", params)}

            assert got == {p for p in ODD_PATHS if any(is_under(p, f) for f in folders)}, folder


def test_many_folders_are_each_resolved_through_links_once(tmp_path, monkeypatch):
    """``scan F1 … F800`` resolved both paths of every pair of folders again (639,200
    resolutions, 28 s before the scan began); each is resolved once, and a folder reached
    through a link to a known one still takes the known spelling."""
    import os

    from musicsage.library.paths import spelled_as_known

    music = tmp_path / "music"
    folders = [str(music / f"album{i:03d}") for i in range(300)]
    for folder in folders:
        os.makedirs(folder)
    (tmp_path / "link").symlink_to(music)
    known = [str(tmp_path / "elsewhere")]
    calls = []
    real_realpath = os.path.realpath
    monkeypatch.setattr(os.path, "realpath", lambda p: calls.append(p) or real_realpath(p))

    spelled = spelled_as_known([*folders, str(tmp_path / "link" / "album007")], known)

    assert spelled == folders  # the linked one is album007, spelled as first typed
    assert len(calls) <= len(folders) + len(known) + 1
