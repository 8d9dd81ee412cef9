"""``import DIR`` and ``train --dataset DIR`` of a folder this user may not open (``chmod 000
DIR``, another user's ``700`` folder) said "DIR is not a dataset dir: tracks.csv cannot be
read (Permission denied)": the user looked at tracks.csv, whose own permissions were fine.
They now say that DIR cannot be opened, before any library is made."""

from __future__ import annotations

import builtins
import errno
import os

import pytest

from musicsage.cli import main


@pytest.fixture
def closed_dataset(tmp_path, monkeypatch):
    """A dataset dir as a mode-000 folder is to a user who is not root (root passes any
    mode, so the refusals are made here): it cannot be listed, nor anything in it looked at
    or opened."""
    src = tmp_path / "dataset"
    src.mkdir()
    (src / "tracks.csv").write_text("track_id,title\n1,a\n", encoding="utf-8")
    closed = os.fspath(src)

    def refusing(real, listing: bool):
        def call(path=".", *args, **kwargs):
            name = os.path.join(os.getcwd(), os.fsdecode(os.fspath(path))) \
                if isinstance(path, (str, bytes, os.PathLike)) else ""  # DIR/. looks in DIR
            if name.startswith(closed + os.sep) or (listing and name == closed):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)
            return real(path, *args, **kwargs)
        return call

    for module, name, listing in ((os, "lstat", False), (os, "stat", False),
                                  (os, "scandir", True), (os, "listdir", True),
                                  (builtins, "open", False)):
        monkeypatch.setattr(module, name, refusing(getattr(module, name), listing))
    return src


def test_import_says_the_dir_cannot_be_opened(tmp_path, capsys, closed_dataset):
    code = main(["--data-dir", str(tmp_path / "lib"), "import", str(closed_dataset)])

    err = capsys.readouterr().err
    assert code == 1
    assert err.strip() == (f"musicsage import: {closed_dataset} cannot be opened: this user "
                           "may not open that folder (Permission denied)")
    assert not (tmp_path / "lib").exists()  # refused before a library was made


def test_train_dataset_says_the_dir_cannot_be_opened(tmp_path, capsys, closed_dataset):
    code = main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset",
                 str(closed_dataset), "--out", str(tmp_path / "out")])

    err = capsys.readouterr().err
    assert code == 1
    assert err.strip() == (f"musicsage train: {closed_dataset} cannot be opened: this user "
                           "may not open that folder (Permission denied)")
    assert "tracks.csv" not in err
