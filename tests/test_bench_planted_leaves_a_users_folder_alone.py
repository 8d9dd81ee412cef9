"""``bench/planted.py [OUT]`` writes three generated dataset dirs, ``OUT/planted``,
``OUT/planted-meta`` and ``OUT/planted-album``. It wrote them into whatever was there: a user's
own dataset dir of that name lost its tracks.csv, features.npy and memberships.csv (and kept
its other files beside the generated ones), though bench/graph_datasets.md promises that a
converter never writes over a folder holding anything else. Now such a folder is refused in
one line before anything is written; the script's own folders are written again."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))


def test_a_users_folder_named_like_a_planted_set_is_left_alone(tmp_path):
    import planted

    mine = tmp_path / "planted-meta"
    mine.mkdir()
    (mine / "tracks.csv").write_text("track_id,title\n1,my song\n")
    (mine / "memberships.csv").write_text("playlist_id,track_id\nmine,1\n")
    with pytest.raises(SystemExit) as exc:
        planted.write_planted(tmp_path)
    assert str(exc.value) == (f"{mine} has no planted.py marker (an older run's, or not ours), "
                              "so it is left alone: delete it if you are sure it is an old run's, "
                              "or give the out argument another folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["planted-meta"]  # nothing written
    assert sorted(p.name for p in mine.iterdir()) == ["memberships.csv", "tracks.csv"]
    assert (mine / "tracks.csv").read_text() == "track_id,title\n1,my song\n"


def test_its_own_folders_are_written_again_and_read_as_dataset_dirs(tmp_path):
    import planted

    from musicsage.graph.data import GraphData

    first = planted.write_planted(tmp_path / "out")
    again = planted.write_planted(tmp_path / "out")
    assert again == first == [tmp_path / "out" / n
                              for n in ("planted", "planted-meta", "planted-album")]
    data = GraphData.from_dataset_dir(again[1])
    assert data.n_tracks == planted.TRACKS


def test_a_file_as_out_is_refused_in_one_line(tmp_path):
    import planted

    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    with pytest.raises(SystemExit) as exc:
        planted.write_planted(notes)
    assert str(exc.value).startswith(f"{notes} is a file, not a folder")
    assert notes.read_text() == "mine"


def test_an_older_runs_folder_without_a_marker_is_said_to_be_maybe_its_own(tmp_path):
    """A custom OUT written by planted.py before it left a marker is refused with a line that
    says it may be an older run's, so the user knows deleting it is safe."""
    import planted
    from datasets import MARKER

    for folder in planted.write_planted(tmp_path / "out"):
        (folder / MARKER).unlink()  # as an older planted.py left it
    with pytest.raises(SystemExit) as exc:
        planted.write_planted(tmp_path / "out")
    said = str(exc.value)
    assert "an older run's" in said and "delete it if you are sure it is an old run's" in said
