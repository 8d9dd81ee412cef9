"""The default library folder (no ``--data-dir``: ``XDG_DATA_HOME/musicsage``) under a link
to nowhere (``XDG_DATA_HOME`` a link to a drive not mounted) or in a loop of links: the
window and every command that uses the library refuse it in one line that names the link,
where it points, that nothing was created and what to do, as the demo's folder is said.
Before, the window and ``scan`` said "cannot create the library folder … (File exists)",
``stats`` "no library … start one with scan", and a loop the system's "Too many levels of
symbolic links"."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from musicsage.cli import main

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def data_home_to_nowhere(tmp_path, monkeypatch):
    """``XDG_DATA_HOME`` a link to a drive not mounted: ``(the link, its target)``."""
    gone = tmp_path / "media" / "usb"
    link = tmp_path / "data-home"
    os.symlink(gone, link)
    monkeypatch.setenv("XDG_DATA_HOME", str(link))
    return link, gone


@pytest.mark.parametrize("command", [["stats"], ["scan", "."], ["similar", "x"]])
def test_a_command_names_the_link_and_what_to_do(data_home_to_nowhere, command, capsys):
    link, gone = data_home_to_nowhere

    assert main(command) == 1

    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert err == (f"musicsage {command[0]}: the library folder {link / 'musicsage'}: {link} "
                   f"is a link to {gone}, which does not exist (a drive not mounted?): nothing "
                   "was created; mount the drive, or give --data-dir a folder for the library")
    assert not os.path.lexists(gone.parent), "nothing is made at the link's target"


def test_the_window_names_the_link_and_what_to_do(data_home_to_nowhere, tmp_path):
    link, gone = data_home_to_nowhere
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_RUNTIME_DIR": str(tmp_path)}

    run = subprocess.run([sys.executable, os.path.join(REPO, "main.py")], capture_output=True,
                         text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)

    assert run.returncode == 1, run.stderr
    assert "File exists" not in run.stderr, run.stderr
    assert (f"musicsage: cannot open the library: the library folder {link / 'musicsage'}: "
            f"{link} is a link to {gone}, which does not exist (a drive not mounted?): nothing "
            "was created; mount the drive, or give --data-dir") in run.stderr, run.stderr
    assert not os.path.lexists(gone.parent)


def test_a_command_that_leaves_the_library_alone_is_not_refused(data_home_to_nowhere):
    from musicsage.context import AppContext, LibraryUse  # `tags FILE`, a --dataset dir

    ctx = AppContext.create(None, library=LibraryUse.NONE)

    assert ctx.data_dir == data_home_to_nowhere[0] / "musicsage"
