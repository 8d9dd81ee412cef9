"""``--set max_steps=7 --max-steps 3`` trained 3 steps, ``--set objective=hinge --objective
infonce`` trained infonce, without a word: the user read the run as the one they set. Both
given and different are now refused in one line before anything is read or written (as
``--set seed`` is refused for ``--seed``); the same value twice is fine."""

from __future__ import annotations

import pytest

from dataset_files import last_error_line, round_robin_dataset
from musicsage import cli


@pytest.mark.parametrize("command", ["train", "eval"])
@pytest.mark.parametrize("options, line", [
    (["--set", "max_steps=7", "--max-steps", "3"],
     "--set max_steps=7 and --max-steps 3 disagree: give one of them"),
    (["--set", "objective=hinge", "--objective", "infonce"],
     "--set objective=hinge and --objective infonce disagree: give one of them"),
    # quoted as typed: "none" is read as None, and was said "--set pretrain=None"
    (["--set", "pretrain=none", "--pretrain", "dgi"],
     "--set pretrain=none and --pretrain dgi disagree: give one of them"),
])
def test_a_set_option_its_own_flag_contradicts_is_refused(tmp_path, capsys, command, options,
                                                          line):
    dataset = round_robin_dataset(tmp_path / "ds")
    out = tmp_path / "out"
    where = ["--out", str(out)] if command == "train" else []
    rc = cli.main(["--data-dir", str(tmp_path / "lib"), command, "--dataset", str(dataset),
                   *where, *options])
    assert rc == 1
    assert last_error_line(capsys) == f"musicsage {command}: {line}"
    assert not out.exists()


def test_the_same_value_given_twice_trains(tmp_path):
    dataset = round_robin_dataset(tmp_path / "ds")
    rc = cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(dataset),
                   "--out", str(tmp_path / "out"), "--set", "max_steps=2", "--max-steps", "2",
                   "--holdout", "0"])
    assert rc == 0 and (tmp_path / "out" / "model.pt").is_file()
