"""``train --dataset D --out OUT`` that could not save (a full disk) left a new OUT behind,
holding nothing but its hidden ``.musicsage-output`` marker: a folder the user never asked to
keep, which a plain ``ls`` shows empty. OUT is now left as it was found: gone when this run
made it, a user's empty folder unmarked, an earlier run's files and marker kept."""

from __future__ import annotations

import errno

from dataset_files import round_robin_dataset
from musicsage import cli
from musicsage.files import OUTPUT_MARKER


def _train(tmp_path, data, out) -> int:
    return cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(data),
                     "--out", str(out), "--max-steps", "2", "--holdout", "0"])


def _disk_fills_at_model_pt(monkeypatch) -> None:
    def full(path, *_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", f"{path}.musicsage-1-2.tmp")

    monkeypatch.setattr("musicsage.graph.jobs.save_checkpoint", full)


def test_a_new_out_is_not_left_behind(tmp_path, capsys, monkeypatch):
    data, out = round_robin_dataset(tmp_path / "ds"), tmp_path / "out"
    _disk_fills_at_model_pt(monkeypatch)
    assert _train(tmp_path, data, out) == 1
    assert "is full (No space left on device)" in capsys.readouterr().err
    assert not out.exists()


def test_a_users_empty_out_is_kept_unmarked(tmp_path, monkeypatch):
    data, out = round_robin_dataset(tmp_path / "ds"), tmp_path / "out"
    out.mkdir()
    _disk_fills_at_model_pt(monkeypatch)
    assert _train(tmp_path, data, out) == 1
    assert out.is_dir() and list(out.iterdir()) == []


def test_an_earlier_runs_files_and_marker_are_kept(tmp_path, monkeypatch):
    data, out = round_robin_dataset(tmp_path / "ds"), tmp_path / "out"
    assert _train(tmp_path, data, out) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert OUTPUT_MARKER in before and "model.pt" in before
    _disk_fills_at_model_pt(monkeypatch)
    assert _train(tmp_path, data, out) == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
