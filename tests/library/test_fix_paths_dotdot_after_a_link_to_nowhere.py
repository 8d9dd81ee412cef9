"""``scan usb/..`` with ``usb`` a link to a drive not mounted (task "fix_paths"): the system
finds no such folder (``ls usb/..`` fails), but the typed path was read through the missing
target, and the scan took its parent (``/media``: every other drive mounted there) and
remembered it as a music folder."""

from __future__ import annotations

import os
import sqlite3

import pytest

from musicsage.cli import main
from musicsage.errors import MusicsageError
from musicsage.library.given_roots import resolve_roots


def _drives(tmp_path):
    """``media/other`` (a drive mounted, with a file) and ``here/usb``, a link to
    ``media/usb``, which is not there."""
    (tmp_path / "media" / "other").mkdir(parents=True)
    (tmp_path / "media" / "other" / "x.wav").write_bytes(b"")
    (tmp_path / "here").mkdir()
    os.symlink(tmp_path / "media" / "usb", tmp_path / "here" / "usb")
    return tmp_path / "here"


def test_dotdot_after_a_link_to_nowhere_is_no_such_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(_drives(tmp_path))

    for typed in ("usb/..", "usb/../other", "nothere/.."):
        with pytest.raises(MusicsageError, match="no such file or folder") as err:
            resolve_roots([typed])
        assert str(err.value).endswith(f"{tmp_path / 'here'}/{typed}")


def test_scan_of_it_scans_and_remembers_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(_drives(tmp_path))
    lib = tmp_path / "lib"
    (tmp_path / "here" / "music").mkdir()
    assert main(["--data-dir", str(lib), "scan", "music"]) == 0
    capsys.readouterr()

    assert main(["--data-dir", str(lib), "scan", "usb/.."]) == 1

    err = capsys.readouterr().err
    assert err.strip() == f"musicsage scan: no such file or folder: {tmp_path / 'here'}/usb/.."
    with sqlite3.connect(lib / "library.sqlite3") as conn:
        roots = [r[0] for r in conn.execute("SELECT path FROM library_roots")]
        tracks = conn.execute("SELECT COUNT(*) FROM tracks").fetchone()[0]
    assert roots == [str(tmp_path / "here" / "music")]
    assert tracks == 0
