"""`train` refusals of a place it cannot write said only what was wrong: "--out F exists and
is not a directory", "DATA/graph_models is not writable: a new graph model is kept there;
nothing was trained". Each now says what to do, and nothing is written."""

from __future__ import annotations

import os

import pytest

from dataset_files import last_error_line, round_robin_dataset
from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.graph import models_dir
from musicsage.usecases.models import list_graph_models


def test_an_out_that_is_a_file_is_refused_with_what_to_do(tmp_path, capsys):
    dataset = round_robin_dataset(tmp_path / "ds")
    mine = tmp_path / "afile"
    mine.write_text("mine")
    rc = cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(dataset),
                   "--out", str(mine), "--max-steps", "2"])
    assert rc == 1 and mine.read_text() == "mine"
    assert last_error_line(capsys) == (f"musicsage train: --out {mine} exists and is not a "
                                       "directory: choose a folder for what train writes "
                                       "(nothing was written)")


def test_an_out_under_a_file_is_refused_with_what_to_do(tmp_path):
    from musicsage.graph.jobs import _check_out_dir

    mine = tmp_path / "afile"
    mine.write_text("mine")
    with pytest.raises(MusicsageError) as caught:
        _check_out_dir(mine / "a" / "out")
    assert str(caught.value) == (f"--out {mine / 'a' / 'out'}: {mine} is a file, not a directory; choose "
                    "another folder (nothing was written)")
    assert mine.read_text() == "mine"


def test_a_models_folder_not_writable_is_refused_with_what_to_do(two_models, capsys,
                                                                monkeypatch):
    ctx, first, second = two_models
    base = os.fspath(ctx.graph_models_dir)
    access = os.access
    monkeypatch.setattr(models_dir.os, "access",  # as for another user, root reads all
                        lambda path, mode, **kw: (os.fspath(path) != base
                                                  and access(path, mode, **kw)))
    rc = cli.main(["--data-dir", str(ctx.data_dir), "train", "--max-steps", "2"])
    assert rc == 1
    assert last_error_line(capsys) == (f"musicsage train: {base} is not writable: a new graph "
                                       "model is kept there (make it writable, then train "
                                       "again); nothing was trained")
    assert [r.id for r in list_graph_models(ctx)] == [first, second]
