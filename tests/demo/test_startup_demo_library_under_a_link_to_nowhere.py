"""``musicsage demo`` with no ``--data-dir``, where the per-user data folder lies on a drive
not mounted (a link to nowhere): refused in one line that names the demo's library folder
and never a ``--data-dir`` the user did not give; nothing is made at the link's target."""

from __future__ import annotations

import os

from musicsage.cli import main


def test_demo_under_a_link_to_nowhere_names_no_data_dir_option(tmp_path, monkeypatch, capsys):
    gone = tmp_path / "drive-not-mounted"
    link = tmp_path / "data-link"
    os.symlink(gone, link)
    monkeypatch.setenv("XDG_DATA_HOME", str(link))

    assert main(["demo", "--tracks", "4", "--seconds", "1", "--until", "generate"]) == 1

    err = capsys.readouterr().err.strip()
    assert "--data-dir /" not in err and "--data-dir " + str(link) not in err, err
    assert "demo's library folder" in err and "not mounted" in err, err
    assert len(err.splitlines()) == 1, err
    assert not os.path.lexists(gone), "nothing is made at the link's target"
