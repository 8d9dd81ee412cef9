"""An ``export DIR`` that fails once it has claimed DIR (a full disk, Ctrl-C) takes its claim
back: a new DIR was left behind holding nothing but the hidden ``.musicsage-output`` mark
(after "the disk … is full", said of an export that wrote nothing), and a folder of the
user's kept that mark. A folder an earlier export wrote keeps its files and its mark."""

from __future__ import annotations

import errno
import os

import numpy as np
import pytest

import musicsage.library.dataset as dataset
from musicsage import cli
from musicsage.files import OUTPUT_MARKER


@pytest.fixture
def library(tmp_path):
    """A library imported from a dataset dir of two tracks with vectors, in one playlist."""
    d = tmp_path / "ds"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\nt1,Daybreak\nt2,Nightbus\n")
    (d / "memberships.csv").write_text("playlist_id,track_id\nroad,t1\nroad,t2\n")
    np.save(d / "features.npy", np.eye(2, dtype=np.float32))
    lib = tmp_path / "lib"
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0
    return lib


def full_disk(monkeypatch):
    """The export's first write, its features.npy, finds the disk full."""
    def full(path, array, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))
    monkeypatch.setattr(dataset, "save_npy_atomically", full)


def test_a_new_folder_is_not_left_behind(library, tmp_path, monkeypatch, capsys):
    full_disk(monkeypatch)
    out = tmp_path / "new"
    capsys.readouterr()
    assert cli.main(["--data-dir", str(library), "export", str(out)]) == 1
    assert "is full" in capsys.readouterr().err
    assert not os.path.lexists(out)


def test_a_folder_of_the_users_is_left_as_it_was(library, tmp_path, monkeypatch):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")
    full_disk(monkeypatch)
    assert cli.main(["--data-dir", str(library), "export", str(out)]) == 1
    assert sorted(os.listdir(out)) == ["notes.txt"]


def test_an_earlier_export_keeps_its_files_and_mark(library, tmp_path, monkeypatch):
    out = tmp_path / "exp"
    assert cli.main(["--data-dir", str(library), "export", str(out)]) == 0
    before = {name: (out / name).read_bytes() for name in os.listdir(out)}
    full_disk(monkeypatch)
    assert cli.main(["--data-dir", str(library), "export", str(out)]) == 1
    assert {name: (out / name).read_bytes() for name in os.listdir(out)} == before
    assert OUTPUT_MARKER in before


def test_a_training_that_claimed_the_new_folder_meanwhile_keeps_its_mark(library, tmp_path,
                                                                          monkeypatch):
    """A ``train --dataset … --out DIR`` run while the export into the same new DIR wrote,
    and finished there before the export failed, shares the folder's mark: the failed export
    took it away, and the training's next run refused its own files as not its own."""
    from musicsage.files import claim_output_dir, marking_commands
    from musicsage.graph.jobs import TRAIN_OUT_FILES

    out = tmp_path / "new"

    def train_meanwhile_then_full(path, array, **_kwargs):
        claim_output_dir(out, TRAIN_OUT_FILES, "train", "--out")  # as train's _write_out does
        for name in TRAIN_OUT_FILES:
            (out / name).write_bytes(b"trained")
        raise OSError(errno.ENOSPC, "No space left on device", str(path))
    monkeypatch.setattr(dataset, "save_npy_atomically", train_meanwhile_then_full)
    assert cli.main(["--data-dir", str(library), "export", str(out)]) == 1
    assert sorted(os.listdir(out)) == sorted([OUTPUT_MARKER, *TRAIN_OUT_FILES])
    assert "train" in marking_commands(out)
    claim_output_dir(out, TRAIN_OUT_FILES, "train", "--out")  # the next training: not refused
