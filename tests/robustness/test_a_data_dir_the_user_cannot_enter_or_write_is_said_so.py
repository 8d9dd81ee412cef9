"""A data dir the user may not enter or write is said so in the app's words, in one line.

- An empty folder that cannot be written: ``stats`` answered "no library … start one with
  `musicsage --data-dir RO scan MUSIC_FOLDER`", which was then refused ("cannot make a library
  in RO: the folder is not writable …"). It now says no library can be started there.
- A folder that cannot be entered (mode 000, another user's): the system's words named a file
  in it ("Permission denied: RO/cache", "… RO/library.sqlite3") and the window said
  "cannot open the library: [Errno 13] …"; every front door now names the library folder (or
  the folder above it that is in the way) and what to do.

Tests run as root here, whom no permission stops: the runs go through ``setpriv``
(:func:`without_dac_override`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from robust_support import (REPO, assert_one_line_failure, child_env, cli, one_tone_folder,
                            without_dac_override)

CANNOT_ENTER = "cannot be read (Permission denied): make it readable or choose another --data-dir"


@pytest.mark.parametrize("command", [["stats"], ["similar", "1"]], ids=" ".join)
def test_no_library_in_a_folder_that_cannot_be_written_does_not_advise_a_scan_there(
        tmp_path, command):
    prefix = without_dac_override()
    data = tmp_path / "library"
    data.mkdir()
    data.chmod(0o555)
    try:
        run = cli(*command, data_dir=data, prefix=prefix)
    finally:
        data.chmod(0o755)
    line = assert_one_line_failure(run, command[0])
    assert line == (f"musicsage {command[0]}: no library in {data} (the folder has no "
                    "library.sqlite3), nothing was created, and none can be started there: the "
                    "folder is not writable (Permission denied): give --data-dir the folder of "
                    "an existing library, or a folder you can write to start one"), line
    assert "scan MUSIC_FOLDER" not in line
    assert list(data.iterdir()) == []


def test_a_missing_data_dir_under_a_folder_that_cannot_be_written_names_that_folder(tmp_path):
    prefix = without_dac_override()
    parent = tmp_path / "parent"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        run = cli("stats", data_dir=parent / "typo", prefix=prefix)
    finally:
        parent.chmod(0o755)
    line = assert_one_line_failure(run, "stats", f"no library at {parent / 'typo'}, nothing was "
                                   f"created, and none can be started there: the folder above "
                                   f"it, {parent}, is not writable (Permission denied)")
    assert "scan MUSIC_FOLDER" not in line
    assert list(parent.iterdir()) == []


@pytest.mark.parametrize("command", ["stats", "scan MUSIC", "import DATASET", "demo"])
def test_a_data_dir_that_cannot_be_entered_is_named_by_every_command(tmp_path, command):
    prefix = without_dac_override()
    music = one_tone_folder(tmp_path)
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    (dataset / "tracks.csv").write_text("id,title\n1,a\n", encoding="utf-8")
    args = [{"MUSIC": str(music), "DATASET": str(dataset)}.get(a, a) for a in command.split()]
    data = tmp_path / "library"
    data.mkdir()
    data.chmod(0)
    try:
        run = cli(*args, data_dir=data, prefix=prefix)
    finally:
        data.chmod(0o755)
    line = assert_one_line_failure(run, args[0])
    assert line == f"musicsage {args[0]}: the library folder {data} {CANNOT_ENTER}", line
    assert list(data.iterdir()) == [], "nothing made in it"


def test_a_data_dir_under_a_folder_that_cannot_be_entered_names_that_folder(tmp_path):
    prefix = without_dac_override()
    locked = tmp_path / "locked"
    (locked / "library").mkdir(parents=True)
    locked.chmod(0)
    try:
        run = cli("stats", data_dir=locked / "library", prefix=prefix)
    finally:
        locked.chmod(0o755)
    line = assert_one_line_failure(run, "stats")
    assert line == (f"musicsage stats: the library folder {locked / 'library'} cannot be "
                    f"reached: the folder above it, {locked}, {CANNOT_ENTER}"), line


def test_the_window_on_a_data_dir_that_cannot_be_entered_says_it_in_one_line(tmp_path):
    prefix = without_dac_override()
    data = tmp_path / "library"
    data.mkdir()
    data.chmod(0)
    env = child_env(XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_RUNTIME_DIR=str(tmp_path),
                    XDG_CACHE_HOME=str(tmp_path / "cache"))
    try:
        run = subprocess.run([*prefix, sys.executable, "main.py", "--data-dir", str(data),
                              "--screenshot", str(tmp_path / "shot.png")], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=180)
    finally:
        data.chmod(0o755)
    assert run.returncode == 1, run.stderr[-2000:]
    assert run.stderr.strip() == (f"musicsage: cannot open the library: the library folder "
                                  f"{data} {CANNOT_ENTER}"), run.stderr[-2000:]
    assert list(data.iterdir()) == []
