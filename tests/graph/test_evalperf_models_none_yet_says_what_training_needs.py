"""``models`` in a library with no graph model yet: it said "train one with `musicsage
train`" whatever the library held, and a library without playlists (or with too few) was
sent to a ``train`` that could only refuse. It now says what training needs, in the words
``similar`` uses for the same library (:func:`~musicsage.usecases.spaces.command_line_need`),
and still says to train where training can."""

from __future__ import annotations

import numpy as np

from dataset_files import write_dataset

from musicsage import cli


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
    assert "musicsage scan --playlists PATH" in line and "`musicsage train`" not in line


def test_a_library_with_too_few_memberships_is_told_so(tmp_path, capsys):
    line = _models_line(_library(tmp_path, capsys, [("p0", "t1"), ("p0", "t2")]), capsys)
    assert line.startswith("no graph models yet: training one needs")
    assert "`musicsage train`" not in line


def test_a_library_that_can_train_is_told_to_train(tmp_path, capsys):
    members = [(f"p{i % 4}", f"t{i}") for i in range(40)]
    line = _models_line(_library(tmp_path, capsys, members), capsys)
    assert line == "no graph models yet: train one with `musicsage train`"
