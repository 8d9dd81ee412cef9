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
NO_LIBRARY = "nothing was created: start one with `musicsage scan MUSIC_FOLDER`"


def _run(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(cwd),
           "XDG_RUNTIME_DIR": str(cwd)}
    return subprocess.run([sys.executable, str(BENCH / script), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("script, argv", [
    ("queue_bench.py", ["{typo}"]),
    ("gui_responsiveness.py", ["--library", "{typo}"]),
    ("map_readability.py", ["--data-dir", "{typo}"]),
])
def test_a_mistyped_library_path_is_refused_and_nothing_is_made(script, argv, tmp_path):
    typo = tmp_path / "Musc" / "lib"
    done = _run(script, *[a.format(typo=typo) for a in argv], cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"no library at {typo}, {NO_LIBRARY}")
    assert not (tmp_path / "Musc").exists()


def test_screenshots_of_a_mistyped_demo_dir_make_neither_a_library_nor_the_output(tmp_path):
    typo, out = tmp_path / "demo-typo", tmp_path / "shots"
    done = _run("gui_screenshots.py", "--demo-dir", str(typo), "--out", str(out), cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.strip() == f"no finished demo library in {typo}: run main.py --demo first"
    assert not typo.exists() and not out.exists()


def test_queue_bench_refuses_a_library_without_tracks_at_once(tmp_path):
    from musicsage.context import AppContext
    from musicsage.library.db import connect

    library = tmp_path / "empty"
    connect(AppContext.create(library))
    done = _run("queue_bench.py", str(library / "library.sqlite3"), cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.strip() == (f"the library in {library} has no tracks: import a dataset "
                                   "dir first (musicsage --data-dir DIR import DATASET_DIR)")


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


def test_map_readability_without_a_library_or_scale_says_what_to_give(monkeypatch, capsys):
    sys.path.insert(0, str(BENCH))
    import map_readability

    monkeypatch.setattr(sys, "argv", ["map_readability.py"])
    with pytest.raises(SystemExit) as exc:
        map_readability.main()
    assert exc.value.code == 2
    assert "give --data-dir DIR (a library), --scale N, or both" in capsys.readouterr().err
