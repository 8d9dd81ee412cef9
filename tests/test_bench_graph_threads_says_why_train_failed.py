"""``bench/graph_threads.py DATASET_DIR`` times ``musicsage train`` runs in fresh processes. A
run that failed (a mistyped dataset dir, ``--threads x``) ended the script in a
CalledProcessError traceback that hid train's own reason; now the script stops with one line
that carries it, and writes no results."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))


def test_a_mistyped_dataset_dir_is_one_line_with_trains_reason(tmp_path, monkeypatch):
    import graph_threads

    monkeypatch.setattr(graph_threads, "RESULTS", tmp_path / "graph_threads.json")
    typo = tmp_path / "no such dir"
    with pytest.raises(SystemExit) as exc:
        graph_threads.main([str(typo), "--steps", "2", "--busy", "0", "--threads", "1",
                            "--repeats", "1"])
    assert str(exc.value) == ("musicsage train failed (threads 1), so nothing was measured: "
                              f"musicsage train: {typo} is not a dataset dir: no such folder")
    assert not (tmp_path / "graph_threads.json").exists()
