"""The bench scripts that open a user's library refuse, in one line and with a non-zero exit, a
path that holds none, and make nothing there: ``AppContext.create`` alone made an empty library
(and a cache/ folder) at a mistyped path, after which ``map_readability`` reported an empty
result as a success and ``queue_bench`` waited five minutes for a map. And the command
docs/scale.md quotes, ``bench/map_readability.py --scale 100000``, runs without a library."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def _start_commands(folder: Path) -> str:
    """The commands a refusal advises: with the folder, or they would fill the default library."""
    return (f"`musicsage --data-dir {folder} scan MUSIC_FOLDER` or "
            f"`musicsage --data-dir {folder} import DATASET_DIR`")


def _no_tracks(folder: Path) -> str:
    return (f"the library in {folder} has no tracks: scan a music folder or import a dataset "
            f"dir first ({_start_commands(folder)})")


def _run(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(cwd),
           "XDG_RUNTIME_DIR": str(cwd)}
    return subprocess.run([sys.executable, str(BENCH / script), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("script, argv, option", [
    ("queue_bench.py", ["{typo}"], "LIB"),
    ("gui_responsiveness.py", ["--library", "{typo}"], "--library"),
    ("map_readability.py", ["--data-dir", "{typo}"], "--data-dir"),
])
def test_a_mistyped_library_path_is_refused_and_nothing_is_made(script, argv, option, tmp_path):
    typo = tmp_path / "Musc" / "lib"
    done = _run(script, *[a.format(typo=typo) for a in argv], cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines == [f"no library at {typo}, nothing was created: start one with "
                     f"{_start_commands(typo)}; {option} names the folder of an existing library"]
    assert not (tmp_path / "Musc").exists()


def _damaged_library(folder: Path) -> Path:
    folder.mkdir()
    (folder / "library.sqlite3").write_bytes(b"not a database, cut short " * 200)
    return folder


def _empty_library(folder: Path) -> Path:
    from musicsage.context import AppContext
    from musicsage.library.db import connect

    connect(AppContext.create(folder))
    return folder


def _one_line(exc: pytest.ExceptionInfo) -> str:
    message = str(exc.value.code)
    assert "\n" not in message
    return message


def test_queue_bench_and_map_readability_name_a_damaged_library_in_one_line(tmp_path,
                                                                            monkeypatch):
    sys.path.insert(0, str(BENCH))
    import map_readability
    import queue_bench

    damaged = _damaged_library(tmp_path / "lib")
    monkeypatch.setattr(map_readability, "OUT", tmp_path / "map_readability.json")
    for run in (lambda: queue_bench.main([str(damaged)]),
                lambda: map_readability.main(["--data-dir", str(damaged)])):
        with pytest.raises(SystemExit) as exc:
            run()
        assert _one_line(exc).startswith(
            f"the library database {damaged / 'library.sqlite3'} is damaged")
    assert not (tmp_path / "map_readability.json").exists()


def test_gui_responsiveness_refuses_a_library_without_tracks_before_the_window(tmp_path,
                                                                               monkeypatch):
    sys.path.insert(0, str(BENCH))
    import gui_responsiveness

    from musicsage.gui import main_window

    monkeypatch.setattr(main_window, "MainWindow", lambda *a, **k: pytest.fail("window opened"))
    library = _empty_library(tmp_path / "empty")
    with pytest.raises(SystemExit) as exc:
        gui_responsiveness.big_library_phases(library, 10)
    assert _one_line(exc) == _no_tracks(library)


def test_screenshots_keep_the_reason_a_demo_dir_cannot_be_opened(tmp_path):
    sys.path.insert(0, str(BENCH))
    import gui_screenshots

    from musicsage.usecases.demo import demo_status

    damaged = _damaged_library(tmp_path / "demo")
    with pytest.raises(SystemExit) as exc:
        gui_screenshots.require_finished_demo(damaged, demo_status)
    assert _one_line(exc).startswith(
        f"the library database {damaged / 'library.sqlite3'} is damaged")
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    with pytest.raises(SystemExit) as exc:
        gui_screenshots.require_finished_demo(a_file, demo_status)
    assert _one_line(exc).startswith(f"{a_file} is a file, not a folder")
    assert a_file.read_text() == "mine"


def test_screenshots_of_a_mistyped_demo_dir_make_neither_a_library_nor_the_output(tmp_path):
    typo, out = tmp_path / "demo-typo", tmp_path / "shots"
    done = _run("gui_screenshots.py", "--demo-dir", str(typo), "--out", str(out), cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.strip() == (f"no finished demo library in {typo}: build one with "
                                   "`musicsage --data-dir DIR demo` and pass --demo-dir DIR")
    assert not typo.exists() and not out.exists()


def test_queue_bench_refuses_a_library_without_tracks_at_once(tmp_path):
    library = _empty_library(tmp_path / "empty")
    done = _run("queue_bench.py", str(library / "library.sqlite3"), cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.strip() == _no_tracks(library)


def test_map_readability_times_the_declutter_without_a_library(tmp_path, monkeypatch, capsys):
    sys.path.insert(0, str(BENCH))
    import map_readability

    out = tmp_path / "results" / "map_readability.json"
    monkeypatch.setattr(map_readability, "OUT", out)
    monkeypatch.setattr(sys, "argv", ["map_readability.py", "--scale", "400"])
    map_readability.main()
    written = json.loads(out.read_text())
    assert written["scale"]["points"] == 400 and written["scale"]["median_s"] >= 0
    assert "spread_overlaps on 400 points" in capsys.readouterr().out


def test_map_readability_scale_alone_keeps_an_earlier_runs_spaces(tmp_path, monkeypatch):
    sys.path.insert(0, str(BENCH))
    import map_readability

    out = tmp_path / "map_readability.json"
    spaces = {"graph": {"0": {"visible": 0.5, "cells": 28, "kept10": 0.4, "trust": 0.9,
                              "moved": 0.0}}}
    out.write_text(json.dumps({"data_dir": "/music/lib", "spaces": spaces,
                               "scale": {"points": 9, "median_s": 1.0}}))
    monkeypatch.setattr(map_readability, "OUT", out)
    map_readability.main(["--scale", "300"])
    written = json.loads(out.read_text())
    assert written["spaces"] == spaces and written["data_dir"] == "/music/lib"
    assert written["scale"]["points"] == 300


def test_map_readability_without_a_library_or_scale_says_what_to_give(monkeypatch, capsys):
    sys.path.insert(0, str(BENCH))
    import map_readability

    monkeypatch.setattr(sys, "argv", ["map_readability.py"])
    with pytest.raises(SystemExit) as exc:
        map_readability.main()
    assert exc.value.code == 2
    assert "give --data-dir DIR (a library), --scale N, or both" in capsys.readouterr().err


def _library_with_tracks(folder: Path) -> Path:
    """A library of two imported tracks (a dataset dir: no audio to render)."""
    import csv

    from musicsage.cli import main

    dataset = folder.parent / "dataset"
    dataset.mkdir()
    with open(dataset / "tracks.csv", "w", newline="") as f:
        csv.writer(f).writerows([["track_id", "title"], ["a", "A"], ["b", "B"]])
    with open(dataset / "memberships.csv", "w", newline="") as f:
        csv.writer(f).writerows([["playlist_id", "track_id"], ["p", "a"], ["p", "b"]])
    assert main(["import", str(dataset), "--data-dir", str(folder), "--json"]) == 0
    return folder


def test_screenshots_of_a_demo_named_by_its_database_use_its_folder(tmp_path, monkeypatch):
    """``--demo-dir DEMO/library.sqlite3`` passed the check, then main opened the database's
    path as a data dir: a traceback, after --out was made."""
    sys.path.insert(0, str(BENCH))
    import gui_screenshots

    from musicsage.usecases import demo

    demo_dir = _library_with_tracks(tmp_path / "demo")
    monkeypatch.setattr(demo, "demo_status", lambda ctx: type("S", (), {"state": "ready"})())
    shots: list[tuple[str, ...]] = []
    monkeypatch.setattr(gui_screenshots, "main_py", lambda *a, env: shots.append(a))
    out = tmp_path / "shots"
    assert gui_screenshots.main(["--demo-dir", str(demo_dir / "library.sqlite3"),
                                 "--out", str(out), "--only", "main"]) == 0
    demo_shot = shots[-1]
    assert demo_shot[:2] == ("--data-dir", str(demo_dir))
    assert demo_shot[3].isdigit()  # the first track, read from the folder's library


@pytest.mark.parametrize("run", [
    lambda: __import__("queue_bench").main([""]),
    lambda: __import__("map_readability").main(["--data-dir", ""]),
    lambda: __import__("gui_responsiveness").big_library_phases("", 10),
    lambda: __import__("gui_screenshots").require_finished_demo("", None),
], ids=["queue_bench LIB", "map_readability --data-dir", "gui_responsiveness --library",
        "gui_screenshots --demo-dir"])
def test_an_empty_library_path_is_refused_not_taken_for_the_current_folder(run, tmp_path,
                                                                          monkeypatch):
    """``Path("")`` is ``.``: an empty LIB (an unset shell variable) opened the library in the
    current folder, or said there was none in ".". """
    sys.path.insert(0, str(BENCH))
    import map_readability

    monkeypatch.setattr(map_readability, "OUT", tmp_path / "map_readability.json")
    _library_with_tracks(tmp_path / "here")
    monkeypatch.chdir(tmp_path / "here")
    with pytest.raises(SystemExit) as exc:
        run()
    assert _one_line(exc).endswith(" is empty: give the folder of an existing library "
                                   "(nothing was created)")
