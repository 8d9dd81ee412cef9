"""``demo '~nouser/m'`` (quoted, so the shell left the ``~``; a user this system does not know)
ended in "unexpected error (RuntimeError: Could not determine home directory.)" and a crash
log, and the window's words after a stopped build raised the same: it is one line now, as
every other command says it, and nothing is created."""

from __future__ import annotations

import pwd

import pytest

from musicsage.cli import main
from musicsage.controllers.demo import recorded_for_open

NO_USER = "nouser-musicsage-demo-music"


@pytest.fixture(autouse=True)
def _no_such_user():
    try:
        pwd.getpwnam(NO_USER)
    except KeyError:
        return
    pytest.skip(f"a user {NO_USER} exists here")


def test_demo_into_an_unknown_users_folder_is_refused_in_one_line(tmp_path, capsys,
                                                                 monkeypatch):
    monkeypatch.chdir(tmp_path)
    lib = tmp_path / "lib"

    code = main(["--data-dir", str(lib), "demo", f"~{NO_USER}/m", "--tracks", "8"])

    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"musicsage demo: ~{NO_USER}/m: ~{NO_USER} names no home folder on this system (no "
        f"user '{NO_USER}'); give the folder's full path (nothing was created)"]
    assert list(tmp_path.iterdir()) == [], "no library, no folder named '~nouser…'"


def test_the_windows_words_after_a_stop_say_why_opening_is_refused(tmp_path):
    state, refused = recorded_for_open(tmp_path / "lib", f"~{NO_USER}/m")

    assert state is None
    # after a build that made files, "nothing was created" would be untrue: left off
    assert refused == (f"~{NO_USER}/m: ~{NO_USER} names no home folder on this system (no user "
                       f"'{NO_USER}'); give the folder's full path")
