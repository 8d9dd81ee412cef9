"""The scan's text lists every music folder's own error (one that can no longer be listed)
before the files' and subfolders' first 20, however many of those come first: a music folder
scanned earlier with more than 20 subfolders it could not open had, listed in the order they
were met, the closed music folder's line hidden in "… and 6 more could not be read"."""

from __future__ import annotations

import errno
import os

from musicsage.cli import main
from musicsage.library.scan_report import NOTES_LISTED


def test_a_closed_music_folder_is_listed_after_many_errors_of_an_earlier_one(
        tmp_path, capsys, monkeypatch):
    music, closed, lib = tmp_path / "aa-music", tmp_path / "zz-closed", tmp_path / "lib"
    subfolders = [music / f"sub{i:02d}" for i in range(NOTES_LISTED + 5)]
    for sub in subfolders:
        sub.mkdir(parents=True)
    closed.mkdir()
    assert main(["--data-dir", str(lib), "scan", str(music), str(closed)]) == 0
    capsys.readouterr()
    shut = {os.fspath(closed), *map(os.fspath, subfolders)}
    real_scandir = os.scandir

    def scandir(path="."):  # as for folders of mode 000 (root passes any mode)
        if os.fspath(path) in shut:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)

    assert main(["--data-dir", str(lib), "scan"]) == 0

    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("  error: ")]
    assert f"  error: {closed}: cannot list folder: Permission denied" in lines
    assert sum(line.startswith(f"  error: {music}{os.sep}") for line in lines) == NOTES_LISTED
    assert "  … and 5 more could not be read" in err
