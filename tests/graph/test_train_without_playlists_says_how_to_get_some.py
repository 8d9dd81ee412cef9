"""`train` and `eval` on a library with audio vectors but no playlist at all said "the graph
model needs more playlists: 0 playlist memberships; at least 20 are needed — put more tracks
in playlists": a user with no playlist was sent to fill ones they do not have. The line now
says how to get some, as the window says it; a dataset dir's refusal is unchanged."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from dataset_files import last_error_line
from musicsage import cli
from hints_told_support import as_default


def _dataset_without_playlists(path):
    path.mkdir()
    with open(path / "tracks.csv", "w", newline="") as f:
        csv.writer(f).writerows([["track_id", "artist"]] + [[f"t{i}", f"a{i % 3}"]
                                                             for i in range(30)])
    np.save(path / "features.npy", np.random.default_rng(0).normal(size=(30, 4)))
    return path


@pytest.mark.parametrize("command", [["train"], ["eval", "--seeds", "1"]])
def test_a_library_without_playlists_is_told_to_import_some(tmp_path, capsys, command):
    lib = tmp_path / "lib"
    dataset = _dataset_without_playlists(tmp_path / "ds")
    assert cli.main(["--data-dir", str(lib), "import", str(dataset)]) == 0
    capsys.readouterr()
    rc = cli.main(["--data-dir", str(lib), *command, "--max-steps", "2"])
    assert rc == 1
    assert as_default(last_error_line(capsys), lib) == (
        f"musicsage {command[0]}: the graph model needs playlists: none of this library's "
        "tracks is in one — import some with `musicsage scan --playlists PATH`")


def test_a_dataset_dir_without_memberships_keeps_its_count(tmp_path, capsys):
    dataset = _dataset_without_playlists(tmp_path / "ds")
    (dataset / "memberships.csv").write_text("playlist_id,track_id\n")
    rc = cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(dataset),
                   "--out", str(tmp_path / "out"), "--max-steps", "2"])
    assert rc == 1
    assert last_error_line(capsys) == (
        "musicsage train: the graph model needs more playlists: 0 playlist memberships; at "
        "least 20 are needed — put more tracks in playlists")
