"""Refusals that must come before anything is made. A ``demo`` into a data dir whose
library.sqlite3 is another program's database (or a damaged file) rendered all its music
(17 s, 100 MB), wrote ``demo-state.json`` and ``cache/``, and only then said "… is not a
musicsage library"; every command refused on such a database left a new ``cache/`` behind,
though the docs say it is refused "before anything is created". And a scan that met an
audio-named FIFO said "scanned 3 audio files … 4 errors": the FIFO, reported, was no file."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from musicsage.cli import main
from musicsage.library.db import close_thread_connections


def _another_programs_database(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.close()


def _damaged_database(path: Path) -> None:
    path.write_bytes(b"\x17not sqlite at all\x00" * 500)


def _newer_library(path: Path) -> None:
    assert main(["--data-dir", str(path.parent), "scan", str(_music(path.parent.parent))]) == 0
    close_thread_connections()  # the last one out removes the -wal and -shm files
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_migrations(version, name) VALUES (9999, 'future')")
    conn.close()
    (path.parent / "cache").rmdir()  # as a newer musicsage may have left it: none yet


def _music(where: Path) -> Path:
    folder = where / "music"
    folder.mkdir(exist_ok=True)
    return folder


def _contents(folder: Path) -> dict[str, bytes | None]:
    return {p.name: p.read_bytes() if p.is_file() else None for p in sorted(folder.iterdir())}


KINDS = {"another program's": (_another_programs_database, "is not a musicsage library"),
         "damaged": (_damaged_database, "is damaged"),
         "newer": (_newer_library, "newer than this musicsage understands")}


@pytest.fixture(params=list(KINDS))
def refused_data_dir(request, tmp_path) -> tuple[Path, str]:
    """A data dir whose database opening refuses, and the words its refusal holds."""
    make, words = KINDS[request.param]
    data = tmp_path / "data"
    data.mkdir()
    make(data / "library.sqlite3")
    return data, words


def _one_line(capsys, command: str) -> str:
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"musicsage {command}: ")
    return lines[0]


def test_demo_refuses_a_database_it_cannot_open_before_it_makes_anything(refused_data_dir,
                                                                         capsys):
    data, words = refused_data_dir
    before = _contents(data)
    assert main(["--data-dir", str(data), "demo", "--tracks", "8", "--seconds", "1"]) == 1
    assert words in _one_line(capsys, "demo")
    assert _contents(data) == before  # no demo-music, demo-state.json, cache/ or lock


@pytest.mark.parametrize("command", [["stats"], ["stats", "--json"], ["scan", "MUSIC"]],
                         ids=" ".join)
def test_a_command_refused_on_the_database_leaves_no_cache_folder(refused_data_dir, capsys,
                                                                  command):
    data, words = refused_data_dir
    argv = [str(_music(data.parent)) if a == "MUSIC" else a for a in command]
    before = _contents(data)
    assert main(["--data-dir", str(data), *argv]) == 1
    assert words in _one_line(capsys, command[0])
    assert _contents(data) == before


def test_a_library_that_opens_still_gets_its_cache_folder(tmp_path):
    """The check runs only while cache/ is still to be made; a library moved here without
    it (or whose cache was deleted: derived data) gets it back on its next command."""
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "scan", str(_music(tmp_path))]) == 0
    (data / "cache").rmdir()
    assert main(["--data-dir", str(data), "stats"]) == 0
    assert (data / "cache").is_dir()


def test_an_audio_named_fifo_is_counted_among_the_files_it_is_an_error_of(tmp_path, capsys):
    music = _music(tmp_path)
    (music / "song.mp3").write_bytes(b"")
    (music / "notes.flac").write_text("not audio\n")
    os.mkfifo(music / "fifo.mp3")
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "scan", str(music), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["files"] == len(report["errors"]) == 3
    assert main(["--data-dir", data, "scan", str(music)]) == 0
    out = capsys.readouterr().out
    assert "scanned 3 audio files in" in out and out.splitlines()[0].endswith("3 errors")
