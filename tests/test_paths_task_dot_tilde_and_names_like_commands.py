"""Paths typed at the command line (task "paths").

``./~/lib`` names a folder called ``~`` in the current one (the ``./`` is how a user says
so), but ``Path`` dropped the ``./`` and expanded it: the library was made in ``$HOME/lib``;
``./~nouser/dd`` was refused as naming no home folder."""

from __future__ import annotations

import pwd

import pytest

from musicsage.cli import main
from musicsage.library.paths import home_expanded

NO_USER = "nouser-musicsage-paths-task"


def test_dot_tilde_names_a_folder_here_not_home(tmp_path, monkeypatch):
    home, here = tmp_path / "home", tmp_path / "here"
    home.mkdir()
    (here / "~").mkdir(parents=True)
    (here / "music").mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(here)

    assert home_expanded("./~/lib") == here / "~" / "lib"
    code = main(["--data-dir", "./~/lib", "scan", "music"])

    assert code == 0
    assert (here / "~" / "lib" / "library.sqlite3").is_file()
    assert list(home.iterdir()) == []  # nothing made in the home folder


def test_dot_tilde_user_is_a_folder_here_said_missing(tmp_path, capsys, monkeypatch):
    try:
        pwd.getpwnam(NO_USER)
    except KeyError:
        pass
    else:
        pytest.skip(f"a user {NO_USER} exists here")
    (tmp_path / f"~{NO_USER}").mkdir()
    monkeypatch.chdir(tmp_path)

    code = main(["--data-dir", f"./~{NO_USER}/dd", "stats"])

    err = capsys.readouterr().err
    assert code == 1
    assert "names no home folder" not in err
    assert f"no library at {tmp_path}/~{NO_USER}/dd, nothing was created" in err
    assert not (tmp_path / f"~{NO_USER}" / "dd").exists()


def test_a_told_data_dir_with_a_line_break_names_that_folder(tmp_path, capsys):
    """A failure is one line: the break in ``n<LF>l`` became a space, and the told command,
    quoted by ``shlex``, named a folder ``n l`` that is not the one given."""
    lib = tmp_path / "n\nl"

    assert main(["--data-dir", str(lib), "stats"]) == 1

    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert f"`musicsage --data-dir $'{tmp_path}/n\\x0al' scan MUSIC_FOLDER`" in err
    assert f"'{tmp_path}/n l'" not in err


def test_a_data_dir_under_a_file_is_not_told_to_scan(tmp_path, capsys):
    """``stats --data-dir afile/lib`` advised ``scan`` there, which then failed on "cannot
    create the library folder … (Not a directory)"."""
    (tmp_path / "afile").write_text("mine")

    assert main(["--data-dir", str(tmp_path / "afile" / "lib"), "stats"]) == 1

    err = capsys.readouterr().err
    assert err.strip() == (
        f"musicsage stats: no library at {tmp_path}/afile/lib, nothing was created, and none "
        f"can be started there: {tmp_path}/afile is a file, not a folder: give --data-dir the "
        "folder of an existing library, or a folder you can make one in")
    assert (tmp_path / "afile").read_text() == "mine"


def test_a_data_dir_under_a_link_to_nowhere_is_refused(tmp_path, capsys):
    """``--data-dir usb/lib`` where ``usb`` is a link to a drive not mounted: the library was
    made at the link's target (the empty mount point); only ``--data-dir usb`` was refused."""
    target = tmp_path / "media" / "usb"
    (tmp_path / "usb").symlink_to(target)
    (tmp_path / "music").mkdir()

    code = main(["--data-dir", str(tmp_path / "usb" / "lib"), "scan", str(tmp_path / "music")])

    err = capsys.readouterr().err
    assert code == 1
    assert err.strip() == (f"musicsage scan: --data-dir {tmp_path}/usb/lib: {tmp_path}/usb is a "
                           f"link to {target}, which does not exist (a drive not mounted?): "
                           "nothing was created")
    assert not (tmp_path / "media").exists()
