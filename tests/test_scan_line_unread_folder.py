"""``musicsage scan`` of a library whose music folder cannot be read any more (permission
denied, a folder replaced by a file, a dangling link): the scan line named it among the folders
scanned — "scanned 3 audio files in /bad, /good" — though nothing in it was read. The line
names the folders read, says which could not be, and the count is the good folder's files."""

from __future__ import annotations

import os
from pathlib import Path

from music_support import make_music

from musicsage.cli import main


def _scan_line(capsys, argv: list[str]) -> tuple[str, str]:
    assert main(argv) == 0
    out, err = capsys.readouterr()
    return next(line for line in out.splitlines() if line.startswith("scanned ")), err


def _library(tmp_path: Path) -> tuple[list[str], str, str]:
    good, _pl, _p = make_music(tmp_path / "good", n_tracks=3, seed=1)
    bad, _pl, _p = make_music(tmp_path / "bad", n_tracks=2, seed=2)
    argv = ["--data-dir", str(tmp_path / "lib")]
    assert main([*argv, "scan", str(good), str(bad)]) == 0
    return argv, str(good), str(bad)


def test_a_folder_that_cannot_be_listed_is_not_named_as_scanned(tmp_path, capsys,
                                                                 monkeypatch):
    argv, good, bad = _library(tmp_path)
    capsys.readouterr()
    real = os.scandir

    def scandir(path="."):  # as root, chmod 000 does not keep a folder from being read
        if os.fspath(path).startswith(bad):
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    line, err = _scan_line(capsys, [*argv, "scan"])
    assert line.startswith(f"scanned 3 audio files in {good} — {bad} could not be read ("), line
    assert line.endswith("0 now missing, 1 error")
    assert f"error: {bad}: cannot list folder: Permission denied" in err


def test_a_folder_now_a_dangling_link_is_said_apart(tmp_path, capsys):
    argv, good, bad = _library(tmp_path)
    capsys.readouterr()
    Path(bad).rename(tmp_path / "away")
    Path(bad).symlink_to(tmp_path / "nowhere")
    line, err = _scan_line(capsys, [*argv, "scan"])
    assert line.startswith(f"scanned 3 audio files in {good} — {bad} could not be read ("), line
    assert f"error: {bad}: not found" in err
    line, _err = _scan_line(capsys, [*argv, "scan", good])
    assert line.startswith(f"scanned 3 audio files in {good} ("), line
