"""A library on a filesystem that cannot lock files (NFS without its lock daemon) is refused at
once, in the window's one line, by every command.

There every POSIX lock fails with ENOLCK, which SQLite takes for a busy database: ``stats``,
``similar``, ``scan`` … waited out SQLite's busy timeouts (30-60 s) and then said "another
program has been writing to it", which sent the user hunting for a program that did not
exist. The window already refused such a library in one line; opening the database now
probes a lock of its own first (beside the database, never on it) and refuses the same way.

SQLite's own locks cannot be made to fail from Python, so these tests fake ENOLCK where the
probe asks (``fcntl.lockf``), as an NFS mount without lockd answers it.
"""

from __future__ import annotations

import errno
import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from musicsage import cli
from musicsage.gui.single_instance import CannotLock
from musicsage.library import db
from musicsage.library.db_problems import LOCK_PROBE_SUFFIX

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"),
                                reason="needs /proc to tell which file is locked")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _refusing_locks(library: Path, monkeypatch, error: int, calls=("lockf", "fcntl")) -> None:
    """Files under ``library`` refuse locks with ``error`` (through each of ``calls`` of
    :mod:`fcntl`: ``lockf``, ``flock``, ``fcntl``'s lock queries), as an NFS mount does."""
    for name in calls:
        monkeypatch.setattr(fcntl, name, _refusing(name, library, error))


def _refusing(name: str, library: Path, error: int):
    """:mod:`fcntl`'s call ``name``, refusing locks of files under ``library`` with ``error``."""
    real = getattr(fcntl, name)

    def call(fd, operation, *args):
        if name == "fcntl" and operation not in (fcntl.F_GETLK, fcntl.F_SETLK):
            return real(fd, operation, *args)
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(library)):
            raise OSError(error, os.strerror(error))
        return real(fd, operation, *args)
    return call


@pytest.fixture
def library(tmp_path) -> Path:
    """A data dir holding a (current, empty) library."""
    data_dir = tmp_path / "nfs library"
    db.open_connection(data_dir / "library.sqlite3").close()
    return data_dir


def _the_one_line(capsys, command: str) -> str:
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1, err
    return err.rstrip("\n").removeprefix(f"musicsage {command}: ")


@pytest.mark.parametrize("command", [["stats"], ["similar", "1"], ["playlists"]],
                         ids=lambda c: c[0])
def test_a_command_on_a_library_that_cannot_lock_is_refused_in_the_windows_words(
        library, monkeypatch, capsys, command):
    before = _files(library)
    _refusing_locks(library, monkeypatch, errno.ENOLCK)
    assert cli.main(["--data-dir", str(library), *command]) == 1
    # the window's line ("the " + its text), not "locked by another program" after a minute
    assert _the_one_line(capsys, command[0]) == f"the {CannotLock(library)}"
    assert _files(library) == before  # no probe, -wal or -shm file left


def test_scanning_into_a_new_library_that_cannot_lock_makes_no_database(
        tmp_path, monkeypatch, capsys):
    data_dir = tmp_path / "new nfs library"
    data_dir.mkdir()
    _refusing_locks(data_dir, monkeypatch, errno.ENOLCK)
    assert cli.main(["--data-dir", str(data_dir), "scan", str(tmp_path)]) == 1
    assert _the_one_line(capsys, "scan") == f"the {CannotLock(data_dir)}"
    assert list(data_dir.iterdir()) == []  # no database, no cache/ either


def test_the_first_start_check_refuses_a_library_that_cannot_lock(library, monkeypatch):
    """With a -wal file the check reads under SQLite's locks: it waited as well."""
    (library / "library.sqlite3-wal").write_bytes(b"")
    _refusing_locks(library, monkeypatch, errno.ENOLCK)
    assert db.library_file_problem(library / "library.sqlite3") == f"the {CannotLock(library)}"


@pytest.mark.parametrize("error", [errno.EBADF, errno.EINVAL], ids=["EBADF", "EINVAL"])
def test_a_lock_failing_otherwise_does_not_refuse_the_library(library, monkeypatch, capsys,
                                                              error):
    """Only ENOLCK means "cannot lock": SQLite's locks work where the probe fails otherwise."""
    _refusing_locks(library, monkeypatch, error)
    assert cli.main(["--data-dir", str(library), "stats"]) == 0
    assert "tracks" in capsys.readouterr().out


def test_opening_a_library_leaves_no_probe_file_beside_it(library):
    conn = db.open_connection(library / "library.sqlite3")
    conn.close()
    assert not [p.name for p in library.iterdir() if "probe" in p.name]


def test_a_demo_into_a_data_dir_that_cannot_lock_is_refused_before_any_music(
        tmp_path, monkeypatch, capsys):
    """It rendered 100 MB of music (33 s) before the database's opening refused it."""
    data_dir = tmp_path / "new nfs library"
    data_dir.mkdir()
    _refusing_locks(data_dir, monkeypatch, errno.ENOLCK)

    def build_demo(*_args, **_kwargs):
        raise AssertionError("the demo's music was rendered")

    monkeypatch.setattr("musicsage.usecases.demo.build_demo", build_demo)
    assert cli.main(["--data-dir", str(data_dir), "demo", "--tracks", "4"]) == 1
    assert _the_one_line(capsys, "demo") == f"the {CannotLock(data_dir)}"
    assert list(data_dir.iterdir()) == []


def _probe_cannot_be_made(monkeypatch) -> None:
    """The lock probe cannot be made beside the database (a read-only folder or NFS mount)."""
    def temporary_beside(target):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(target))

    monkeypatch.setattr("musicsage.files.temporary_beside", temporary_beside)


def test_a_library_whose_folder_cannot_be_written_is_refused_at_once_too(
        library, monkeypatch, capsys):
    """No lock file of its own can be made there: one the app made before (any scan made its
    scan-lock) is locked for a moment instead. Only taking a lock fails on NFS without lockd
    (asking which lock blocks one is answered), so only taking one is refused here."""
    (library / "library.sqlite3.scan-lock").write_bytes(b"")
    _probe_cannot_be_made(monkeypatch)
    _refusing_locks(library, monkeypatch, errno.ENOLCK, calls=("lockf",))
    assert cli.main(["--data-dir", str(library), "stats"]) == 1
    assert _the_one_line(capsys, "stats") == f"the {CannotLock(library)}"


def test_the_check_of_a_folder_that_cannot_be_written_keeps_no_database_open(
        library, monkeypatch):
    """A descriptor of the database kept for the process held a read-only mount (a USB
    stick) busy after the window switched to another library: it could not be unmounted."""
    (library / "library.sqlite3.scan-lock").write_bytes(b"")
    _probe_cannot_be_made(monkeypatch)
    assert db.library_file_problem(library / "library.sqlite3") is None
    (library / "library.sqlite3-wal").write_bytes(b"")  # the check that probes locks
    assert db.library_file_problem(library / "library.sqlite3") is None
    opened = [os.readlink(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
              if os.path.exists(f"/proc/self/fd/{fd}")]
    assert not [name for name in opened if name.startswith(str(library))]


def test_a_folder_that_cannot_be_written_without_a_lock_file_is_not_refused(
        library, monkeypatch, capsys):
    """Nothing there can be locked without touching the database: nothing is said."""
    _probe_cannot_be_made(monkeypatch)
    _refusing_locks(library, monkeypatch, errno.ENOLCK, calls=("lockf",))
    assert cli.main(["--data-dir", str(library), "stats"]) == 0
    assert "tracks" in capsys.readouterr().out


def test_a_lock_refused_while_scanning_is_the_one_line_not_a_traceback(
        library, monkeypatch, capsys, tmp_path):
    """The scan's own lock (``flock``) refused with ENOLCK, the opening's check passed."""
    _refusing_locks(library, monkeypatch, errno.ENOLCK, calls=("flock",))
    music = tmp_path / "music"
    music.mkdir()
    assert cli.main(["--data-dir", str(library), "scan", str(music)]) == 1
    assert _the_one_line(capsys, "scan") == f"the {CannotLock(library)}"


def test_a_lock_probe_left_by_a_killed_run_is_removed_by_the_next_one(library):
    """A run killed between making its probe and removing it left the probe for good."""
    make_probe = ("import sys; from musicsage.files import temporary_beside; "
                  "temporary_beside(sys.argv[1])")  # then ends, its probe left behind
    subprocess.run([sys.executable, "-c", make_probe,
                    str(library / f"library.sqlite3{LOCK_PROBE_SUFFIX}")], check=True)
    assert [p.name for p in library.iterdir() if "probe" in p.name]
    db.open_connection(library / "library.sqlite3").close()
    assert not [p.name for p in library.iterdir() if "probe" in p.name]
