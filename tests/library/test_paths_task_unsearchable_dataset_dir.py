"""``import DIR`` of a folder this user may not search (mode 000, another user's) said "DIR
is not a dataset dir (no tracks.csv)" of a folder that holds one: ``os.path.lexists`` is False
for any error. The line now says the file cannot be read, and why."""

from __future__ import annotations

import errno
import os

from musicsage.cli import main


def test_a_tracks_csv_that_cannot_be_reached_is_not_called_missing(tmp_path, capsys,
                                                                   monkeypatch):
    src = tmp_path / "dataset"
    src.mkdir()
    (src / "tracks.csv").write_text("track_id,title\n1,a\n", encoding="utf-8")
    blocked = os.fspath(src / "tracks.csv")
    real_lstat = os.lstat

    def lstat(path, *args, **kwargs):  # as in a folder without search permission (root
        if os.fspath(path) == blocked:  # passes any mode, so the refusal is made here)
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_lstat(path, *args, **kwargs)

    monkeypatch.setattr(os, "lstat", lstat)

    code = main(["--data-dir", str(tmp_path / "lib"), "import", str(src)])

    err = capsys.readouterr().err
    assert code == 1
    assert "no tracks.csv" not in err
    assert err.strip() == (f"musicsage import: {src} is not a dataset dir: tracks.csv cannot "
                           "be read (Permission denied)")
