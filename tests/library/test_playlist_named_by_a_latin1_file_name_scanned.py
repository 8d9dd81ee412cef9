"""End to end, once ``store.py`` names a playlist by :func:`file_playlist_name` and the
playlist import runs :func:`mend_file_names` (the wiring the coordinator applies): a playlist
file named in Latin-1 bytes is listed, matched by ``suggest``/``playlists`` and exported as
``Café``, its file still read from its own bytes; a library an older version scanned reads
right after its next scan (a plain rescan)."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from pathlib import Path

import pytest

from musicsage.cli import main
from music_support import make_music


@pytest.fixture
def library(tmp_path) -> tuple[Path, Path]:
    music, lists, paths = make_music(tmp_path, n_tracks=4, seconds=0.3)
    with open(os.fsencode(lists) + b"/Latin1 Caf\xe9.m3u", "wb") as f:
        f.write(f"../music/{paths[0].parent.name}/{paths[0].name}\n".encode())
    data = tmp_path / "data"
    assert main(["scan", str(music), "--playlists", str(lists), "--data-dir", str(data),
                 "--json"]) == 0
    return data, lists


def test_the_name_reads_as_windows_1252_everywhere(library, tmp_path, capsys):
    data, _lists = library
    capsys.readouterr()
    assert main(["playlists", "--data-dir", str(data), "--json"]) == 0
    names = {p["name"] for p in json.loads(capsys.readouterr().out)["playlists"]}
    assert "Latin1 Café" in names
    assert main(["playlists", "latin1 cafe", "--data-dir", str(data), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["playlist"]["tracks"] == 1
    assert main(["export", str(tmp_path / "exp"), "--data-dir", str(data)]) == 0
    with open(tmp_path / "exp" / "playlists.csv", encoding="utf-8") as f:
        assert "Latin1 Café" in {row["name"] for row in csv.DictReader(f)}


def test_an_older_librarys_name_is_mended_by_the_next_scan(library, capsys):
    data, _lists = library
    with sqlite3.connect(data / "library.sqlite3") as db:  # as an older version stored it
        db.execute("UPDATE playlists SET name = 'Latin1 Caf\ufffd' WHERE name = 'Latin1 Café'")
    db.close()
    assert main(["scan", "--data-dir", str(data), "--json"]) == 0  # a plain rescan
    capsys.readouterr()
    assert main(["playlists", "--data-dir", str(data), "--json"]) == 0
    names = {p["name"] for p in json.loads(capsys.readouterr().out)["playlists"]}
    assert "Latin1 Café" in names and "Latin1 Caf\ufffd" not in names
