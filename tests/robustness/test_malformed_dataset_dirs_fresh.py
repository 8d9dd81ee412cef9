"""A refused ``import`` into a new ``--data-dir`` leaves it as it was. Before, every refusal of
the dataset's files but a missing tracks.csv came after the library had been opened: a
tracks.csv saved as Latin-1, an empty one, a duplicate id or a features.npy of the wrong
shape was refused in one line, but left an empty ``library.sqlite3`` and ``cache/`` in a
folder the user had only mistyped or meant for a library that never came."""

from __future__ import annotations

import numpy as np
import pytest
from robust_support import assert_one_line_failure, cli, lines, tree_snapshot

from musicsage.cli import main


def latin1(d):
    (d / "tracks.csv").write_bytes(b"track_id,title\n1,Caf\xe9\n")


def empty(d):
    (d / "tracks.csv").write_bytes(b"")


def no_tracks_csv(d):
    (d / "memberships.csv").write_text("playlist_id,track_id\np,1\n", encoding="utf-8")


def duplicate_id(d):
    (d / "tracks.csv").write_text("track_id,title\n1,A\n1,B\n", encoding="utf-8")


def latin1_memberships(d):
    (d / "tracks.csv").write_text("track_id,title\n1,A\n", encoding="utf-8")
    (d / "memberships.csv").write_bytes(b"playlist_id,track_id\nCaf\xe9,1\n")


def features_of_another_shape(d):
    (d / "tracks.csv").write_text("track_id,title\n1,A\n2,B\n", encoding="utf-8")
    np.save(d / "features.npy", np.ones((3, 4), np.float32))


BAD_DATASETS = {
    "latin-1 tracks.csv": (latin1, "is not UTF-8 text (byte 0xe9 on line 2)"),
    "empty tracks.csv": (empty, "missing column(s) track_id"),
    "no tracks.csv": (no_tracks_csv, "(no tracks.csv)"),
    "duplicate track_id": (duplicate_id, "duplicate track_id '1'"),
    "latin-1 memberships.csv": (latin1_memberships, "memberships.csv is not UTF-8 text"),
    "features.npy of another shape": (features_of_another_shape, "(3, 4)"),
}


def bad_dataset(tmp_path, case: str):
    d = tmp_path / "dataset"
    d.mkdir()
    BAD_DATASETS[case][0](d)
    return d


def refused_import(capsys, data_dir, dataset, fragment: str) -> None:
    """``import`` exits 1 with one line naming ``fragment``, and no traceback."""
    assert main(["--data-dir", str(data_dir), "import", str(dataset)]) == 1
    err = lines(capsys.readouterr().err)
    assert len(err) == 1 and err[0].startswith("musicsage import: "), err
    assert fragment in err[0], err[0]


@pytest.mark.parametrize("case", BAD_DATASETS)
def test_a_refused_import_creates_no_data_dir(tmp_path, capsys, case):
    new = tmp_path / "new-library"
    refused_import(capsys, new, bad_dataset(tmp_path, case), BAD_DATASETS[case][1])
    assert not new.exists(), sorted(p.name for p in new.iterdir())


@pytest.mark.parametrize("case", BAD_DATASETS)
def test_a_refused_import_adds_nothing_to_a_folder_without_a_library(tmp_path, capsys, case):
    folder = tmp_path / "my-folder"
    folder.mkdir()
    (folder / "notes.txt").write_text("the user's own file", encoding="utf-8")
    before = tree_snapshot(folder)
    refused_import(capsys, folder, bad_dataset(tmp_path, case), BAD_DATASETS[case][1])
    assert tree_snapshot(folder) == before


def test_the_real_command_refuses_a_latin1_tracks_csv_leaving_nothing(tmp_path):
    """The audit's case, as a user runs it: its own process, one line, exit 1."""
    new = tmp_path / "new-library"
    proc = cli("import", str(bad_dataset(tmp_path, "latin-1 tracks.csv")), data_dir=new)
    assert_one_line_failure(proc, "import", "not UTF-8", "save it as UTF-8")
    assert not new.exists()


def test_a_good_dataset_still_starts_a_library(tmp_path, capsys):
    """The files are checked before the library is made, then imported for real."""
    d = tmp_path / "dataset"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\n1,Café\n2,B\n", encoding="utf-8")
    (d / "memberships.csv").write_text("playlist_id,track_id\np,1\np,2\n", encoding="utf-8")
    np.save(d / "features.npy", np.ones((2, 4), np.float32))
    new = tmp_path / "new-library"
    assert main(["--data-dir", str(new), "import", str(d), "--json"]) == 0
    assert '"tracks": 2' in capsys.readouterr().out
    assert (new / "library.sqlite3").is_file()
