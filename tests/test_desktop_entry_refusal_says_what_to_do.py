"""``python -m musicsage.desktop`` refused by the system says which folder and what to do.

It said "musicsage desktop entry: Permission denied: PATH" and no more: which folder was
not writable, and how to get past it (a ``~/.local/share`` folder a ``sudo`` run made is
root's), was left to the user.
"""

from __future__ import annotations

import errno

import pytest

from musicsage import desktop


@pytest.fixture
def xdg(tmp_path, monkeypatch):
    home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def test_permission_denied_names_the_folder_and_the_way_out(xdg, monkeypatch, capsys):
    applications = xdg / "applications"
    applications.mkdir(parents=True)

    def refused(target):  # as mkstemp in a folder root owns refuses a user (tests run as root)
        raise PermissionError(errno.EACCES, "Permission denied",
                              str(applications / ".musicsage.desktop.musicsage-1-x.tmp"))

    monkeypatch.setattr(desktop, "temporary_beside", refused)
    assert desktop.main([]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert f"cannot write {applications / 'musicsage.desktop'} (Permission denied)" in err
    assert f"{applications} is not writable by you" in err
    assert "XDG_DATA_HOME" in err and ".tmp" not in err


def test_a_file_where_the_folder_must_go_is_named(xdg, capsys):
    xdg.mkdir()
    (xdg / "applications").write_text("not a folder")
    assert desktop.main([]) == 1
    err = capsys.readouterr().err.strip()
    assert f"a file is in the way at {xdg / 'applications'}; move it away" in err
    assert (xdg / "applications").read_text() == "not a folder"


def test_a_refused_removal_says_remove(xdg, monkeypatch, capsys):
    assert desktop.main(["--quiet"]) == 0
    entry = xdg / "applications" / "musicsage.desktop"

    def refused(self, *a, **k):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(type(entry), "unlink", refused)
    assert desktop.main(["--uninstall"]) == 1
    err = capsys.readouterr().err
    assert f"cannot remove {entry} (Permission denied): {entry.parent} is not writable" in err


def test_a_missing_icon_of_the_checkout_is_no_write_refused(xdg, monkeypatch, tmp_path, capsys):
    gone = tmp_path / "checkout" / "resources" / "icons" / "musicsage.svg"
    monkeypatch.setattr(desktop, "ICON_SOURCE", gone)
    assert desktop.main([]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (f"musicsage desktop entry: cannot read {gone} (No such file or directory): "
                   "this checkout is incomplete; fetch it again")
