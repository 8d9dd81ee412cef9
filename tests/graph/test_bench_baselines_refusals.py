"""bench/graph_baselines.py on a dataset dir without memberships crashed formatting the None
its split scored, and ``--seeds a`` was a ValueError traceback: now the line ``musicsage
train`` refuses too few memberships in, and argparse's usage line (exit 2)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import graph_baselines  # noqa: E402


def no_pairs(tmp_path) -> Path:
    d = tmp_path / "empty_members"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\n" + "".join(f"t{i},x\n" for i in range(5)))
    (d / "memberships.csv").write_text("playlist_id,track_id\n")
    np.save(d / "features.npy", np.ones((5, 4), dtype=np.float32))
    return d


def test_a_dataset_dir_without_pairs_is_refused_in_the_train_line(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["graph_baselines.py", "--dataset-dir",
                                      str(no_pairs(tmp_path)), "--seeds", "500",
                                      "--only", "audio"])
    with pytest.raises(SystemExit) as exc:
        graph_baselines.main()
    assert str(exc.value) == ("the graph model needs more playlists: 0 playlist memberships; "
                              "at least 20 are needed — put more tracks in playlists")


def test_seeds_that_are_no_numbers_are_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["graph_baselines.py", "--dataset-dir",
                                      str(no_pairs(tmp_path)), "--seeds", "a"])
    with pytest.raises(SystemExit) as exc:
        graph_baselines.main()
    assert exc.value.code == 2
    assert "argument --seeds: 'a' is not a comma list of whole numbers" in capsys.readouterr().err
