"""``--data-dir '~nouser/x'`` (quoted, so the shell left the ``~``; a user this system does not
know) ended every command in "unexpected error (RuntimeError: Could not determine home
directory.)" and a crash log: it is one line now, and nothing is created."""

from __future__ import annotations

import pwd

import pytest

from musicsage.cli import main

NO_USER = "nouser-musicsage-data-dir"


def test_a_data_dir_in_an_unknown_users_home_is_refused_in_one_line(tmp_path, capsys,
                                                                    monkeypatch):
    try:
        pwd.getpwnam(NO_USER)
    except KeyError:
        pass
    else:
        pytest.skip(f"a user {NO_USER} exists here")
    monkeypatch.chdir(tmp_path)

    code = main(["--data-dir", f"~{NO_USER}/lib", "stats"])

    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"musicsage stats: ~{NO_USER}/lib: ~{NO_USER} names no home folder on this system (no "
        f"user '{NO_USER}'); give the folder's full path (nothing was created)"]
    assert list(tmp_path.iterdir()) == []  # no folder named '~nouser…' made here either
