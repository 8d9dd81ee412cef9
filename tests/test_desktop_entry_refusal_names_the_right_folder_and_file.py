"""A refused menu-entry install names the file it was writing and advises only what is safe.

``python -m musicsage.desktop`` said, for an XDG_DATA_HOME whose folder above could not be
written, ``/ is not writable by you (made under sudo? sudo chown -R "$USER" /)``; called a
data home that could not be made "this checkout is incomplete; fetch it again"; and named the
menu entry for a full disk while it wrote the icon.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from musicsage import desktop

REPO = Path(__file__).resolve().parent.parent


def _without_dac_override() -> list[str]:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions would not apply")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def test_no_chown_of_the_root_folder_for_a_data_home_that_cannot_be_made(monkeypatch):
    home = Path("/") / f"musicsage-no-such-folder-{uuid.uuid4().hex}"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    refused = PermissionError(errno.EACCES, "Permission denied", str(home))  # mkdir of it
    line = desktop.refusal_line(refused)
    assert "chown" not in line, line
    assert line == (f"cannot write {home / 'applications' / 'musicsage.desktop'} (Permission "
                    f"denied): the folder above {home}, /, is not writable by you; set "
                    "XDG_DATA_HOME to a folder you can write")


def test_a_data_home_under_a_read_only_folder_is_no_incomplete_checkout(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    home = locked / "deeper" / "data"
    locked.chmod(0o555)
    try:
        run = subprocess.run([*_without_dac_override(), sys.executable, "-m",
                              "musicsage.desktop"], cwd=REPO, capture_output=True, text=True,
                             timeout=120, env={**os.environ, "XDG_DATA_HOME": str(home)})
    finally:
        locked.chmod(0o755)
    assert run.returncode == 1, run.stderr
    assert run.stderr.strip() == (
        f"musicsage desktop entry: cannot write {home / 'applications' / 'musicsage.desktop'} "
        f"(Permission denied): the folder above {home}, {locked}, is not writable by you; "
        "set XDG_DATA_HOME to a folder you can write")
    assert list(locked.iterdir()) == []


def test_a_full_disk_while_the_icon_is_written_names_the_icon(tmp_path, monkeypatch, capsys):
    home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    icon = home / "icons" / "hicolor" / "scalable" / "apps" / "musicsage.svg"
    real = desktop.temporary_beside

    def full_for_the_icon(target):
        fd, tmp = real(target)
        if Path(target) != icon:
            return fd, tmp
        os.close(fd)
        return os.open("/dev/full", os.O_WRONLY), tmp  # its writes fail as on a full disk

    monkeypatch.setattr(desktop, "temporary_beside", full_for_the_icon)
    assert desktop.main([]) == 1
    assert capsys.readouterr().err.strip() == (
        f"musicsage desktop entry: cannot write {icon} (No space left on device): the disk is "
        "full; free some space, then run it again")
    assert [p.name for p in icon.parent.iterdir()] == [], "its temporary file removed"


def test_a_refused_temporary_in_the_icons_folder_names_the_icon(tmp_path, monkeypatch):
    home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    apps = home / "icons" / "hicolor" / "scalable" / "apps"
    apps.mkdir(parents=True)
    tmp = apps / ".musicsage.svg.musicsage-7-abc.tmp"
    line = desktop.refusal_line(PermissionError(errno.EACCES, "Permission denied", str(tmp)))
    assert line.startswith(f"cannot write {apps / 'musicsage.svg'} (Permission denied): "
                           f"{apps} is not writable by you (made under sudo? sudo chown -R "), line


def test_a_local_folder_made_under_sudo_is_to_be_given_back(tmp_path, monkeypatch):
    """No XDG_DATA_HOME, a ``~/.local`` a ``sudo`` run made and no ``share`` in it: the way out
    is to take ``~/.local`` back (it was said to be "the folder above ~/.local/share")."""
    home = tmp_path / "home"
    (home / ".local").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    refused = PermissionError(errno.EACCES, "Permission denied", str(home / ".local" / "share"))
    assert desktop.refusal_line(refused) == (
        f"cannot write {home / '.local/share/applications/musicsage.desktop'} (Permission "
        f"denied): {home / '.local'} is not writable by you (made under sudo? sudo chown -R "
        f"\"$USER\" {home / '.local'}), or set XDG_DATA_HOME to a folder you can write")


def test_the_home_folder_itself_is_never_to_be_chowned(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    refused = PermissionError(errno.EACCES, "Permission denied", str(home / ".local"))
    line = desktop.refusal_line(refused)
    assert "chown" not in line, line
    assert line.endswith(f"the folder above {home / '.local/share'}, {home}, is not writable "
                         "by you; set XDG_DATA_HOME to a folder you can write")
