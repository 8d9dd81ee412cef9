"""``train --dataset D --out OUT`` on a full disk says the folder's disk is full and what to
do, in one line, as ``export`` does, where it ended on the bare OS line naming a hidden
temporary file (``.musicsage-stage-…/.model.pt….tmp``) the user never made."""

from __future__ import annotations

import errno

import pytest

from dataset_files import round_robin_dataset
from musicsage import cli


def _full(path) -> None:
    raise OSError(errno.ENOSPC, "No space left on device", f"{path}.musicsage-1-2.tmp")


@pytest.mark.parametrize("failing", ["musicsage.files.replace_atomically",  # the folder's mark
                                     "musicsage.graph.jobs.save_checkpoint"])  # model.pt
def test_a_full_disk_says_make_room_and_train_again(tmp_path, capsys, monkeypatch, failing):
    data, out = round_robin_dataset(tmp_path / "ds"), tmp_path / "out"
    monkeypatch.setattr(failing, lambda path, *_args, **_kwargs: _full(path))

    code = cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(data),
                     "--out", str(out), "--max-steps", "2", "--holdout", "0"])
    err = capsys.readouterr().err

    assert code == 1 and err.count("\n") == 1
    assert err.endswith(f"the disk holding {out.resolve()} is full (No space left on device): "
                        "make room and train again\n")
    assert ".tmp" not in err
    assert not (out / "model.pt").exists()
