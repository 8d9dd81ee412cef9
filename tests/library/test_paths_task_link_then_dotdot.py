"""``scan link/..`` where ``link`` leads to a folder elsewhere: the system reads it as the
parent of the link's target, but the path was made absolute by its text
(``os.path.abspath``), and the scan took the folder holding the link instead — another
folder scanned and remembered as a music folder."""

from __future__ import annotations

import os

from musicsage.cli import main
from musicsage.library.given_roots import resolve_roots


def test_dotdot_after_a_link_is_the_targets_parent(tmp_path, monkeypatch):
    (tmp_path / "elsewhere" / "target").mkdir(parents=True)
    (tmp_path / "here").mkdir()
    os.symlink(tmp_path / "elsewhere" / "target", tmp_path / "here" / "link")
    monkeypatch.chdir(tmp_path / "here")

    assert resolve_roots(["link/.."]) == [str(tmp_path / "elsewhere")]
    assert resolve_roots(["link/../target/"]) == [str(tmp_path / "elsewhere" / "target")]
    assert resolve_roots(["./link/"]) == [str(tmp_path / "here" / "link")]  # a link kept
    assert resolve_roots(["../here/."]) == [str(tmp_path / "here")]  # spelled as typed


def test_scan_of_link_dotdot_scans_that_folder(tmp_path, capsys, monkeypatch):
    (tmp_path / "elsewhere" / "target").mkdir(parents=True)
    (tmp_path / "here").mkdir()
    os.symlink(tmp_path / "elsewhere" / "target", tmp_path / "here" / "link")
    monkeypatch.chdir(tmp_path / "here")

    assert main(["--data-dir", str(tmp_path / "lib"), "scan", "link/.."]) == 0

    out = capsys.readouterr().out
    assert f"scanned 0 audio files in {tmp_path / 'elsewhere'} (" in out
