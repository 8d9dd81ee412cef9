"""The benches that write one JSON results file (``--out``) check it before they run: a folder
was a traceback only after the run (minutes to hours, e.g. ``graph_device.py`` on a GPU) and its
results were lost; a user's own file named by mistake (``--out notes.txt``) was overwritten.
Now both are refused in one line, exit 2, before anything runs, the file kept as it was; an
earlier run's results file, whole or cut off by a killed run, is still written over."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

SCRIPTS = ["embed_throughput", "explore_latency", "graph_device", "map_placement",
           "map_retrain", "musicnn_frontend_paths", "musicnn_throughput", "suggest_bench"]


def _refusal(script: str, out: Path, monkeypatch, capsys) -> str:
    """What ``script --out OUT`` says as it exits 2 (main is never let past its arguments)."""
    module = __import__(script)
    monkeypatch.setattr(sys, "argv", [f"{script}.py", "--out", str(out)])
    with pytest.raises(SystemExit) as exc:
        module.main()
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.strip().splitlines()[-1]


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_folder_as_out_is_refused_before_the_run(script, tmp_path, monkeypatch, capsys):
    assert _refusal(script, tmp_path, monkeypatch, capsys).endswith(
        f"argument --out: {tmp_path} is a folder: give a file name in it, e.g. "
        f"{tmp_path / 'results.json'}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("script", ["graph_device", "suggest_bench"])
def test_a_users_own_file_is_refused_and_kept(script, tmp_path, monkeypatch, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    assert _refusal(script, notes, monkeypatch, capsys).endswith(
        f"{notes} is not a results file (a JSON object), so it is left alone: give --out a "
        "new file or one this script wrote")
    assert notes.read_text() == "my notes\n"
    assert _refusal(script, notes / "x.json", monkeypatch, capsys).endswith(
        f"{notes} is a file, not a folder: give --out a file name in a folder")


def test_an_earlier_runs_results_new_or_empty_are_accepted(tmp_path):
    from bench_files import results_out

    whole, cut, empty = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    whole.write_text('{"rows": []}')
    cut.write_text('{\n  "rows": [1, 2')
    empty.write_text("")
    for path in (whole, cut, empty, tmp_path / "new" / "d.json"):
        assert results_out(str(path)) == str(path)
    with pytest.raises(argparse.ArgumentTypeError):
        results_out(" ")
