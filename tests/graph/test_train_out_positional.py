"""``train --dataset DIR OUT``: the output dir given without ``--out`` (argparse refused it
with "unrecognized arguments", exit 2, although it is the form people type first)."""

from __future__ import annotations

import numpy as np

from dataset_files import last_error_line
from musicsage import cli


def test_the_output_dir_may_follow_the_dataset_dir(dataset, tmp_path):
    out = tmp_path / "out"
    assert cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(dataset),
                     str(out), "--max-steps", "5", "--holdout", "0"]) == 0
    assert np.load(out / "embeddings.npy").shape[0] == 200


def test_two_different_output_dirs_are_refused_in_one_line(dataset, tmp_path, capsys):
    rc = cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(dataset),
                   str(tmp_path / "a"), "--out", str(tmp_path / "b"), "--max-steps", "5"])
    assert rc == 1
    assert "two output dirs given" in last_error_line(capsys)
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
