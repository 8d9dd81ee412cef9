"""A library whose ``-wal`` or ``-shm`` file cannot be written, the library file and its
folder writable: what a run that could only read a read-only library leaves behind (SQLite
makes them with the library file's permissions), or another user's run. Every write then
failed "the library database … is read-only", naming a file the user could see was writable
(an older library: "is read-only and needs upgrading … open it once where it can be
written"); an older library whose file is read-only was told to "make its folder writable",
its folder being writable. Run as a user without the power to override permissions (root
drops it with ``setpriv``), as such a user meets it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import wave
from contextlib import closing
from pathlib import Path

import pytest

from musicsage.library import db

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or (os.geteuid() == 0 and not shutil.which("setpriv")),
    reason="needs Linux, and setpriv to drop root's permission override")

DROP = (["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]
        if os.geteuid() == 0 else [])
#: root's permission override dropped as the owner's of another user's files
DROP_CHOWN = [*DROP[:-1], f"{DROP[-1]},-chown"] if DROP else []


def _run(data_dir: Path, *args: str, drop: list[str] = DROP) -> subprocess.CompletedProcess:
    """``musicsage --data-dir DATA_DIR ARGS`` as a user whom permissions bind."""
    env = {**os.environ, "HOME": str(data_dir.parent / "home"),
           "XDG_CACHE_HOME": str(data_dir.parent / "cache")}
    return subprocess.run([*drop, sys.executable, "-m", "musicsage", "--data-dir",
                           str(data_dir), *args], capture_output=True, text=True, env=env,
                          timeout=120)


def _library(data_dir: Path, migrations=db.MIGRATIONS) -> Path:
    """A library of ``migrations`` holding one track, closed (no -wal or -shm file left)."""
    data_dir.mkdir()
    path = data_dir / "library.sqlite3"
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        db.migrate(conn, migrations)
        conn.execute("INSERT INTO tracks(path, title) VALUES ('/m/a.ogg', 'Kept')")
    return path


def _read_while_read_only(path: Path) -> None:
    """``stats`` of the library made read-only (it leaves read-only -wal and -shm files),
    then the library file made writable again, as its owner would."""
    path.chmod(0o444)
    _run(path.parent, "stats")
    path.chmod(0o644)


def _unnamed_uid() -> int:
    """The first user id from 54321 up that this system has no name for."""
    import pwd

    uid = 54321
    while True:
        try:
            pwd.getpwuid(uid)
        except KeyError:
            return uid
        uid += 1


def _titles(path: Path) -> list[str]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return [r[0] for r in conn.execute("SELECT title FROM tracks")]


def test_a_write_names_the_read_only_shm_file_not_the_writable_library(tmp_path):
    path = _library(tmp_path / "lib")
    _read_while_read_only(path)
    shm = Path(f"{path}-shm")
    assert shm.exists() and not stat.S_IMODE(shm.stat().st_mode) & 0o200

    music = tmp_path / "music"
    music.mkdir()
    with wave.open(str(music / "b.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\1\0" * 8000)

    done = _run(path.parent, "scan", str(music))

    assert done.returncode == 1
    line = done.stderr.strip().splitlines()[-1]
    assert f"the library database {path} can be written, but its file library.sqlite3-shm " \
           "beside it cannot (attempt to write a readonly database)" in line
    assert f"`chmod u+w {shm}`" in line
    assert " is read-only (" not in line
    shm.chmod(0o644)  # what the line says to do: then the library takes writes again
    assert _run(path.parent, "scan", str(music)).returncode == 0
    assert _titles(path) == ["Kept", "b"]


def test_an_older_library_that_is_read_only_is_not_told_to_make_its_writable_folder_writable(
        tmp_path):
    path = _library(tmp_path / "lib", db.MIGRATIONS[:1])
    path.chmod(0o444)

    done = _run(path.parent, "stats")

    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        f"musicsage stats: the library database {path} is read-only and needs upgrading to "
        f"schema version {db.SCHEMA_VERSION}: open it once where it can be written")
    assert not list(path.parent.glob("*.bak*")) and not list(path.parent.glob(".*.tmp"))


def test_an_older_library_whose_shm_file_is_read_only_names_it_and_upgrades_once_fixed(
        tmp_path):
    path = _library(tmp_path / "lib", db.MIGRATIONS[:1])
    _read_while_read_only(path)
    shm = Path(f"{path}-shm")

    done = _run(path.parent, "stats")

    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        f"musicsage stats: the library database {path} can be written, but its file "
        f"library.sqlite3-shm beside it cannot, so it cannot be upgraded to schema version "
        f"{db.SCHEMA_VERSION}: a run that could only read the library, or another user's, "
        f"left it so; make it writable (`chmod u+w {shm}`, as the owner), then try again")
    shm.chmod(0o644)
    done = _run(path.parent, "stats")
    assert done.returncode == 0, done.stderr
    assert "upgraded the library database from schema 1" in done.stderr
    assert _titles(path) == ["Kept"]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_another_users_side_files_name_their_owner_not_a_chmod_that_cannot_work(tmp_path):
    """The -wal and -shm of another user's run (their own, 0644): "`chmod u+w …`, as the
    owner" was told to a user whose chmod of another's file fails (Operation not permitted),
    not saying whose they are."""
    import pwd

    path = _library(tmp_path / "lib")
    _read_while_read_only(path)
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    other = _unnamed_uid()  # a uid the system has no name for: it is named by its number
    for side in (wal, shm):
        os.chown(side, other, other)
        side.chmod(0o644)
    music = tmp_path / "music"
    music.mkdir()

    scan = _run(path.parent, "scan", str(music), drop=DROP_CHOWN)

    me = pwd.getpwuid(os.geteuid()).pw_name
    assert scan.returncode == 1
    assert scan.stderr.strip().splitlines()[-1].endswith(
        f"another user's run left them so: ask their owner (user {other}) to make them "
        f"writable for you, or make them yours and writable (`sudo chown {me} {wal} {shm}; "
        f"chmod u+w {wal} {shm}`), then try again"), scan.stderr
    for side in (wal, shm):  # what the line says to do (sudo: root with its powers)
        os.chown(side, os.geteuid(), -1)
        side.chmod(0o644)
    scan = _run(path.parent, "scan", str(music), drop=DROP_CHOWN)  # (it writes the library)
    assert scan.returncode == 0, scan.stderr
