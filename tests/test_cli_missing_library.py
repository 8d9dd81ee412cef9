"""Commands run where there is no library: a mistyped ``--data-dir ~/Musc`` used to make a new,
empty library there and answer "the library is empty". Only the commands that add music or
data start a library; every other one is refused in one line, creating nothing."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from musicsage.cli import main

NEEDS_LIBRARY = [
    ["stats"], ["stats", "--json"], ["models"], ["models", "--json"], ["models", "--use", "1"],
    ["models", "--remove", "1"], ["eval"], ["similar", "1"], ["similar", "1", "--json"],
    ["suggest", "Mix"], ["suggest", "Mix", "--add", "1"], ["suggest", "Mix", "--remove", "1"],
    ["radio", "1"], ["map"], ["map", "--json"], ["tags", "--library"], ["export", "OUT"],
    ["embed"], ["train"],
    ["forget", "/music"], ["scan"], ["scan", "--watch"],
]
"""Commands that read or change an existing library (a bare ``scan`` re-scans the folders
scanned before: there are none)."""


def _argv(command: list[str], tmp_path: Path) -> list[str]:
    return [str(tmp_path / "out") if arg == "OUT" else arg for arg in command]


def _refusal(capsys, command: str) -> str:
    """The one line a refused command printed on stderr; stdout stayed empty."""
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"musicsage {command}: ")
    return lines[0]


@pytest.mark.parametrize("command", NEEDS_LIBRARY, ids=" ".join)
def test_a_command_needing_a_library_refuses_a_missing_data_dir_and_creates_nothing(
        tmp_path, capsys, command):
    missing = tmp_path / "nope" / "x"
    assert main(["--data-dir", str(missing), *_argv(command, tmp_path)]) == 1
    line = _refusal(capsys, command[0])
    assert line == (f"musicsage {command[0]}: no library at {missing}, nothing was created: "
                    f"start one with `musicsage --data-dir {missing} scan MUSIC_FOLDER` or "
                    f"`musicsage --data-dir {missing} import DATASET_DIR`; --data-dir names "
                    "the folder of an existing library")
    assert not (tmp_path / "nope").exists()
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [["stats"], ["models", "--json"], ["similar", "1"]],
                         ids=" ".join)
def test_an_existing_folder_without_a_library_is_refused_and_left_empty(tmp_path, capsys,
                                                                       command):
    folder = tmp_path / "made-by-hand"
    folder.mkdir()
    assert main([*command, "--data-dir", str(folder)]) == 1
    line = _refusal(capsys, command[0])
    assert f"no library in {folder} (the folder has no library.sqlite3)" in line
    assert list(folder.iterdir()) == []


def test_the_default_data_dir_without_a_library_is_refused_not_created(tmp_path, capsys):
    import platformdirs

    default = Path(platformdirs.user_data_dir("musicsage", appauthor=False))
    assert str(default).startswith(os.environ["XDG_DATA_HOME"])  # the conftest's, not yours
    assert main(["stats"]) == 1
    assert f"no library at {default}, nothing was created" in _refusal(capsys, "stats")
    assert not default.exists()


def test_scan_of_a_folder_starts_a_library_and_stats_then_reads_it(tmp_path, capsys):
    music, data = tmp_path / "music", tmp_path / "new" / "library"
    music.mkdir()
    assert main(["scan", str(music), "--data-dir", str(data), "--json"]) == 0
    assert (data / "library.sqlite3").is_file()
    capsys.readouterr()
    assert main(["stats", "--json", "--data-dir", str(data)]) == 0
    assert json.loads(capsys.readouterr().out)["tracks"]["total"] == 0


def test_import_starts_a_library(tmp_path, capsys):
    dataset, data = tmp_path / "dataset", tmp_path / "new" / "library"
    dataset.mkdir()
    with open(dataset / "tracks.csv", "w", newline="") as f:
        csv.writer(f).writerows([["track_id", "title"], ["a", "A"], ["b", "B"]])
    with open(dataset / "memberships.csv", "w", newline="") as f:
        csv.writer(f).writerows([["playlist_id", "track_id"], ["p", "a"], ["p", "b"]])
    assert main(["import", str(dataset), "--data-dir", str(data), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["tracks"] == 2
    assert (data / "library.sqlite3").is_file()


@pytest.mark.parametrize("command", [["scan", "MUSIC"], ["scan", "--playlists", "MUSIC"],
                                     ["import", "DIR"], ["demo"], ["demo", "DIR"]], ids=" ".join)
def test_only_adding_music_or_data_may_start_a_library(command):
    """The demo is too slow to build here: its entry in the table is checked instead."""
    from musicsage.cli import build_parser
    from musicsage.commands.registry import library_use
    from musicsage.context import LibraryUse

    assert library_use(build_parser().parse_args(command)) is LibraryUse.CREATE


@pytest.mark.parametrize("command", [["eval", "--dataset", "MISSING"],
                                     ["train", "--dataset", "MISSING", "--out", "OUT"],
                                     ["tags", "MISSING"]], ids=" ".join)
def test_commands_that_leave_the_library_alone_neither_need_nor_make_one(tmp_path, capsys,
                                                                       command):
    """``--dataset`` dirs and ``tags FILE`` never touch the library: no "no library" refusal,
    and no library folder made for them either."""
    data = tmp_path / "nope" / "x"
    argv = [str(tmp_path / "missing") if a == "MISSING" else a for a in _argv(command, tmp_path)]
    assert main(["--data-dir", str(data), *argv]) == 1
    line = _refusal(capsys, command[0])
    assert "no library" not in line and "missing" in line
    assert not (tmp_path / "nope").exists()


@pytest.mark.parametrize("command", [["scan", "MISSING"], ["scan", "--playlists", "MISSING"],
                                     ["scan", "--watch", "MISSING"], ["import", "MISSING"],
                                     ["scan", "FILE"], ["import", "EMPTY"]], ids=" ".join)
def test_a_scan_or_import_of_a_missing_path_creates_no_library(tmp_path, capsys, command):
    """``scan /typo`` and ``import /typo`` may start a library, but they made the data dir
    and an empty library.sqlite3 before refusing the path: the path is checked first."""
    (tmp_path / "file.txt").write_text("not music")
    (tmp_path / "empty").mkdir()
    names = {"MISSING": tmp_path / "typo", "FILE": tmp_path / "file.txt",
             "EMPTY": tmp_path / "empty"}
    argv = [str(names.get(a, a)) for a in command]
    data = tmp_path / "new" / "library"
    assert main(["--data-dir", str(data), *argv]) == 1
    line = _refusal(capsys, command[0])
    assert "typo" in line or "file.txt" in line or "no tracks.csv" in line, line
    assert not (tmp_path / "new").exists()


def test_a_scan_of_a_missing_path_leaves_an_existing_library_unopened(tmp_path, capsys):
    """The use case checks the paths before it opens the DB too (the window calls it)."""
    from musicsage.context import AppContext
    from musicsage.errors import MusicsageError
    from musicsage.usecases.library import import_dataset, scan_library

    folder = tmp_path / "lib"
    folder.mkdir()
    ctx = AppContext(data_dir=folder, cache_dir=folder / "cache")
    with pytest.raises(MusicsageError, match="no such file or folder"):
        scan_library(ctx, [str(tmp_path / "typo")])
    with pytest.raises(MusicsageError, match="not a dataset dir: no such folder"):
        import_dataset(ctx, str(tmp_path / "typo"))
    assert list(folder.iterdir()) == []


def test_the_default_librarys_refusal_suggests_commands_without_data_dir(tmp_path, monkeypatch):
    """Without --data-dir the suggested commands start the default library, the one that was
    looked for; with a folder of its own (odd characters too) they name it, quoted for a shell."""
    import platformdirs

    from musicsage.context import no_library_message

    default = tmp_path / "default"
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(default))
    assert "`musicsage scan MUSIC_FOLDER` or `musicsage import DATASET_DIR`" in \
        no_library_message(default)
    odd = tmp_path / "my music"
    assert f"`musicsage --data-dir '{odd}' scan MUSIC_FOLDER`" in no_library_message(odd)
