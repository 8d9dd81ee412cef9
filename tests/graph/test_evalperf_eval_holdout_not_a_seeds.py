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
