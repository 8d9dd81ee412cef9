"""How ``eval`` words a split refused for the few memberships its hold-out leaves to train on.

Every seed refused, their counts differing (the tracks moved out of playlists are drawn per
seed): the line still named "seed 0's split", as if another seed would do; now the first
seed's line is said bare, as where every seed's line is the same. And ", or give a smaller
--holdout" was offered where no smaller hold-out helps: "held out 0 (1%)", or a hold-out that
leaves too few to train on even with nothing held out."""

from __future__ import annotations

import numpy as np

from dataset_files import last_error_line, write_dataset

from musicsage import cli

SMALLER = ", or give a smaller --holdout"


def _eval(data, capsys, *args: str) -> str:
    """The last line ``eval`` on ``data`` printed to stderr; it must have failed."""
    code = cli.main(["eval", "--dataset", str(data), "--max-steps", "1", *args])
    line = last_error_line(capsys)
    assert code != 0, line
    return line


def test_every_seed_refused_with_its_own_counts_is_said_bare(tmp_path, capsys):
    rng = np.random.default_rng(0)  # 40 tracks in 8 playlists, some tracks in several
    members = sorted({(f"p{rng.integers(8)}", f"t{rng.integers(40)}") for _ in range(60)})
    data = write_dataset(tmp_path / "ds", rng.normal(size=(40, 4)).astype(np.float32),
                         members)
    alone = [_eval(data, capsys, "--seeds", "1", "--seed", seed, "--holdout", "0.85")
             for seed in ("0", "1", "2")]
    assert len(set(alone)) > 1  # the seeds' lines differ: each its own counts
    line = _eval(data, capsys, "--seeds", "3", "--holdout", "0.85")
    assert "seed" not in line
    assert line == alone[0]  # seed 0's line, bare


def _one_track_in_three_playlists(path):
    """18 tracks, t0 in three playlists, each other track in one of its own: 20 memberships.
    Half of the tracks are moved out of playlists; where t0 is (seed 0), 9 memberships are
    left to split, where it is not (seed 2), 11."""
    members = [("pa", "t0"), ("pb", "t0"), ("pc", "t0")]
    members += [(f"p{t}", f"t{t}") for t in range(1, 18)]
    features = np.random.default_rng(0).normal(size=(18, 4)).astype(np.float32)
    return write_dataset(path, features, members)


def test_nothing_held_out_is_not_offered_a_smaller_hold_out(tmp_path, capsys):
    data = _one_track_in_three_playlists(tmp_path / "ds")
    line = _eval(data, capsys, "--seeds", "1", "--seed", "0", "--holdout", "0.01")
    assert "9 left for training after the evaluation held out 0 (1%)" in line
    assert line.endswith("at least 10 are needed — put more tracks in playlists")


def test_a_hold_out_that_too_few_would_survive_anyway_is_not_offered_a_smaller_one(
        tmp_path, capsys):
    data = _one_track_in_three_playlists(tmp_path / "ds")
    line = _eval(data, capsys, "--seeds", "1", "--seed", "0", "--holdout", "0.2")
    assert "7 left for training after the evaluation held out 2 (20%)" in line  # 9 at most
    assert line.endswith("at least 10 are needed — put more tracks in playlists")


def test_a_hold_out_whose_memberships_would_be_enough_still_offers_a_smaller_one(
        tmp_path, capsys):
    data = _one_track_in_three_playlists(tmp_path / "ds")
    line = _eval(data, capsys, "--seeds", "1", "--seed", "2", "--holdout", "0.2")
    assert "9 left for training after the evaluation held out 2 (20%)" in line  # 11 at 0
    assert line.endswith(f"at least 10 are needed — put more tracks in playlists{SMALLER}")
    smaller = _eval(data, capsys, "--seeds", "1", "--seed", "2", "--holdout", "0.01")
    assert "left for training" not in smaller  # it leaves enough (its pairs are another tale)
