"""``models`` in a library with no graph model yet: it said "train one with `musicsage
train`" whatever the library held, and a library without playlists (or with too few) was
sent to a ``train`` that could only refuse. It now says what training needs, in the words
``similar`` uses for the same library (:func:`~musicsage.usecases.spaces.command_line_need`),
and still says to train where training can."""

from __future__ import annotations

import numpy as np

from dataset_files import write_dataset

from musicsage import cli
from musicsage.context import library_option


def _models_line(data_dir, capsys) -> str:
    assert cli.main(["--data-dir", str(data_dir), "models"]) == 0
    return capsys.readouterr().out.strip()


def _library(tmp_path, capsys, memberships):
    features = np.random.default_rng(0).normal(size=(40, 4)).astype(np.float32)
    dataset = write_dataset(tmp_path / "ds", features, memberships)
    data_dir = tmp_path / "lib"
    assert cli.main(["--data-dir", str(data_dir), "import", str(dataset)]) == 0
    capsys.readouterr()
    return data_dir


def test_a_library_without_playlists_is_told_to_import_some(tmp_path, capsys):
    line = _models_line(_library(tmp_path, capsys, []), capsys)
    assert line.startswith("no graph models yet: training one needs playlists")
    assert "scan --playlists PATH`" in line and " train`" not in line


def test_a_library_with_too_few_memberships_is_told_so(tmp_path, capsys):
    line = _models_line(_library(tmp_path, capsys, [("p0", "t1"), ("p0", "t2")]), capsys)
    assert line.startswith("no graph models yet: training one needs")
    assert " train`" not in line


def test_a_library_that_can_train_is_told_to_train(tmp_path, capsys):
    members = [(f"p{i % 4}", f"t{i}") for i in range(40)]
    line = _models_line(_library(tmp_path, capsys, members), capsys)
    assert line == (f"no graph models yet: train one with `musicsage "
                    f"{library_option(tmp_path / 'lib')}train`")


def test_a_library_with_no_tracks_is_told_to_scan_as_train_is(tmp_path, capsys):
    """A library with no track at all was told to import playlists, which could name none of
    its tracks; ``train`` itself says to scan a music folder first."""
    (tmp_path / "music").mkdir()
    data_dir = tmp_path / "lib"
    assert cli.main(["--data-dir", str(data_dir), "scan", str(tmp_path / "music")]) == 0
    capsys.readouterr()
    line = _models_line(data_dir, capsys)
    assert line == ("no graph models yet: training one needs tracks, and the library has none: "
                    f"scan a music folder first, e.g. `musicsage {library_option(data_dir)}"
                    "scan ~/Music`")
    assert cli.main(["--data-dir", str(data_dir), "train", "--max-steps", "1"]) == 1
    assert "scan a music folder first" in capsys.readouterr().err  # the same advice


def test_playlists_of_one_track_each_are_told_to_hold_two(tmp_path, capsys):
    """20 playlists of one track each pass the membership count, yet ``train`` refuses them
    ("no two tracks share a playlist"): ``models`` sent the user to that refusal."""
    data_dir = _library(tmp_path, capsys, [(f"p{i}", f"t{i}") for i in range(20)])
    line = _models_line(data_dir, capsys)
    assert line.startswith("no graph models yet: training one needs playlists of at least "
                           "two tracks: no playlist of this library holds two of its tracks")
    assert " train`" not in line
    assert cli.main(["--data-dir", str(data_dir), "train", "--max-steps", "1"]) == 1
    assert ("needs playlists of at least two tracks: no playlist of this library holds two"
            in capsys.readouterr().err)  # what models foretold

