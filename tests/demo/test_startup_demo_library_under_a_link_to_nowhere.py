"""``musicsage demo`` with no ``--data-dir``, where the demo's own library folder
(``DATA/demo``) is a link to a drive not mounted: refused in one line that names the demo's
library folder and never a ``--data-dir`` the user did not give; nothing is made at the
link's target. Where the default library ``DATA`` holds a demo an earlier version built
there, the build goes on in it, as before: the link was refused though nothing is made
through it. A data folder that cannot be searched is said as before ("cannot be reached"),
not as a bare "Permission denied"."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from musicsage.cli import main
from musicsage.context import default_data_dir

BUILD = ["--tracks", "8", "--seconds", "1", "--until", "generate"]  # a build that writes music


def _demo_folder_a_link_to_nowhere(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    data = default_data_dir()  # a real folder, the one the run makes anyway
    data.mkdir(parents=True)
    gone = tmp_path / "drive-not-mounted"  # its folder above is there: it could be made
    os.symlink(gone, data / "demo")
    return data, gone


def test_demo_under_a_link_to_nowhere_names_no_data_dir_option(tmp_path, monkeypatch, capsys):
    data, gone = _demo_folder_a_link_to_nowhere(tmp_path, monkeypatch)

    assert main(["demo", *BUILD]) == 1

    err = capsys.readouterr().err.strip()
    assert "--data-dir /" not in err and "--data-dir " + str(data) not in err, err
    assert "demo's library folder" in err and "not mounted" in err, err
    assert len(err.splitlines()) == 1, err
    assert not os.path.lexists(gone), "nothing is made at the link's target"


def test_an_earlier_versions_demo_in_the_default_library_is_built_there(tmp_path,
                                                                         monkeypatch, capsys):
    data, gone = _demo_folder_a_link_to_nowhere(tmp_path, monkeypatch)
    assert main(["--data-dir", str(data), "demo", *BUILD]) == 0  # as an earlier version did
    capsys.readouterr()

    assert main(["demo", *BUILD]) == 0

    err = capsys.readouterr().err
    assert f"the demo is built in the library at {data}" in err, err
    assert f"--data-dir {data / 'demo'} demo" in err, err
    assert not os.path.lexists(gone)


@pytest.mark.skipif(sys.platform != "linux" or (os.geteuid() == 0 and not shutil.which("setpriv")),
                    reason="needs Linux, and setpriv to drop root's permission override")
def test_a_data_folder_that_cannot_be_searched_is_said_as_before(tmp_path):
    locked = tmp_path / "locked"
    (locked / "data").mkdir(parents=True)
    locked.chmod(0)
    drop = (["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]
            if os.geteuid() == 0 else [])
    env = {**os.environ, "XDG_DATA_HOME": str(locked / "data"), "HOME": str(tmp_path),
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    try:
        run = subprocess.run([*drop, sys.executable, "-m", "musicsage", "demo", *BUILD],
                             capture_output=True, text=True, env=env, timeout=120)
    finally:
        locked.chmod(0o755)

    assert run.returncode == 1
    assert f"the folder above it, {locked}, cannot be read (Permission denied)" in run.stderr, (
        run.stderr)


def test_demo_folder_in_a_loop_of_links_is_said_a_loop(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    data = default_data_dir()
    data.mkdir(parents=True)
    os.symlink(data / "demo", data / "demo")  # demo -> demo

    assert main(["demo", *BUILD]) == 1

    err = capsys.readouterr().err.strip()
    assert err.endswith("demo's library folder " + str(data / "demo")
                        + ": a loop of symbolic links (nothing was created)"), err


def test_demo_folder_name_too_long_is_not_called_a_loop(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / ("a" * 300)))

    assert main(["demo", *BUILD]) == 1

    err = capsys.readouterr().err.strip()
    assert "a loop of symbolic links" not in err and "File name too long" in err, err
