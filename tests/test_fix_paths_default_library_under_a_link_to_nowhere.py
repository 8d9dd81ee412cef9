"""The per-user library folder under a link to nowhere (task "fix_paths"): ``XDG_DATA_HOME``
a link to a drive not mounted. A scan said "cannot create the library folder … (File
exists)", which names no cause; ``stats`` advised that very scan. Both now say what
``--data-dir`` says of such a link, and nothing is made at the link's target."""

from __future__ import annotations

import os

import pytest

from musicsage.cli import main


@pytest.mark.parametrize("command", [["scan", "music"], ["stats"]])
def test_default_library_under_a_link_to_nowhere(tmp_path, capsys, monkeypatch, command):
    (tmp_path / "music").mkdir()
    (tmp_path / "media").mkdir()
    os.symlink(tmp_path / "media" / "usb" / "share", tmp_path / "xdgdata")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdgdata"))
    monkeypatch.chdir(tmp_path)

    assert main(command) == 1

    err = capsys.readouterr().err
    assert err.strip() == (
        f"musicsage {command[0]}: the library folder {tmp_path}/xdgdata/musicsage: "
        f"{tmp_path}/xdgdata is a link to {tmp_path}/media/usb/share, which does not exist "
        "(a drive not mounted?): nothing was created")
    assert list((tmp_path / "media").iterdir()) == []
