"""``scan`` of a folder of thousands of files it cannot read (empty, damaged) printed one
``error:`` line each: 20,000 lines on stderr, among which any other line was lost. The text
names the first few and sums up the rest in one line that says where they are all listed;
the library keeps every error, and ``scan --json`` lists every one."""

from __future__ import annotations

import json

from musicsage.cli import main
from musicsage.library.scan_report import NOTES_LISTED


def _empty_files(folder, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        (folder / f"e{i:03d}.mp3").write_bytes(b"")


def _error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("  error: ")]


def test_more_errors_than_a_screen_are_summed_up_in_one_line(tmp_path, capsys):
    music, lib = tmp_path / "music", tmp_path / "lib"
    _empty_files(music, NOTES_LISTED + 5)

    assert main(["--data-dir", str(lib), "scan", str(music)]) == 0

    out, err = capsys.readouterr()
    assert f"{NOTES_LISTED + 5} errors" in out  # the scan's line counts them all
    assert len(_error_lines(err)) == NOTES_LISTED
    assert (f"  … and 5 more could not be read (`musicsage --data-dir {lib} scan --json` "
            "lists them all)") in err.splitlines()
    assert main(["--data-dir", str(lib), "stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["errors"] == NOTES_LISTED + 5  # all kept


def test_json_still_lists_every_error(tmp_path, capsys):
    music, lib = tmp_path / "music", tmp_path / "lib"
    _empty_files(music, NOTES_LISTED + 5)

    assert main(["--data-dir", str(lib), "scan", "--json", str(music)]) == 0

    report = json.loads(capsys.readouterr().out)
    assert len(report["errors"]) == NOTES_LISTED + 5
    assert {e["reason"] for e in report["errors"]} == {"empty file"}


def test_a_few_errors_are_each_listed_without_a_summary(tmp_path, capsys):
    music, lib = tmp_path / "music", tmp_path / "lib"
    _empty_files(music, NOTES_LISTED)

    assert main(["--data-dir", str(lib), "scan", str(music)]) == 0

    err = capsys.readouterr().err
    assert len(_error_lines(err)) == NOTES_LISTED
    assert "more could not be read" not in err

