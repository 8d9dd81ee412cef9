"""``eval --holdout 1.5`` (any fraction outside 0..1) with several seeds: refused as a bad
hold-out, not as one seed's split. Each seed's split is checked before any trains, and a
refusal there names the seed ("seed 0's split: …"), which read as if seed 0 were the trouble
and another seed might do, while no seed can take that fraction."""

from __future__ import annotations

import pytest

from dataset_files import last_error_line, round_robin_dataset

from musicsage import cli


@pytest.mark.parametrize("holdout", ["1.5", "-0.1", "1", "nan"])
def test_a_hold_out_outside_0_and_1_is_refused_for_itself(tmp_path, capsys, holdout):
    data = round_robin_dataset(tmp_path / "ds")
    code = cli.main(["eval", "--dataset", str(data), "--seeds", "3", "--holdout", holdout,
                     "--max-steps", "1"])
    line = last_error_line(capsys)
    assert code != 0
    assert "hold-out fraction must be between 0 and 1" in line
    assert "seed" not in line


def test_a_hold_out_too_large_for_every_seed_is_said_bare_with_its_way_out(tmp_path, capsys):
    """``--holdout 0.8`` on 60 memberships leaves 6 to train on whatever the seed: said as
    "seed 0's split: …", it read as if another seed would do, and it left out the way out
    the user had just typed."""
    data = round_robin_dataset(tmp_path / "ds")
    for seeds in ("3", "1"):
        code = cli.main(["eval", "--dataset", str(data), "--seeds", seeds, "--holdout", "0.8",
                         "--max-steps", "1"])
        line = last_error_line(capsys)
        assert code != 0
        assert line.startswith("musicsage eval: the graph model needs more playlists: 60 "
                               "playlist memberships, 6 left for training after the "
                               "evaluation held out 24 (80%)")
        assert line.endswith("— put more tracks in playlists, or give a smaller --holdout")


def test_train_with_a_hold_out_too_large_is_offered_a_smaller_one(tmp_path, capsys):
    data = round_robin_dataset(tmp_path / "ds")
    code = cli.main(["train", "--dataset", str(data), "--out", str(tmp_path / "out"),
                     "--holdout", "0.8", "--max-steps", "1"])
    assert code != 0
    assert last_error_line(capsys).endswith(", or give a smaller --holdout")


def test_without_holdout_given_no_flag_is_suggested(tmp_path, capsys):
    """The default hold-out refused alike for every seed: said bare, and without a flag the
    user never typed (the window's Retrain has no such setting either)."""
    data = round_robin_dataset(tmp_path / "ds", n=20, k=2)
    assert cli.main(["eval", "--dataset", str(data), "--seeds", "3", "--max-steps", "1"]) != 0
    line = last_error_line(capsys)
    assert line.startswith("musicsage eval: the graph model needs more playlists: 20 ")
    assert line.endswith("— put more tracks in playlists")
