"""The new model's folder cannot be made (a full disk, ``graph_models`` now a file): the
training ended, after all its work, in a bare OS error naming a folder that never existed
("[Errno 28] No space left on device: '…/graph_models/20261204-…'"), not the one line
docs/cli.md promises. A disk already full is refused before training."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from musicsage.errors import MusicsageError
from musicsage.graph import models_dir
from musicsage.graph.store import check_models_dir, new_model_dir
from musicsage.usecases.training import _new_model_dir


def test_a_full_disk_at_mkdir_is_one_line_naming_what_stays_current(ctx, monkeypatch):
    ctx.graph_models_dir.mkdir(parents=True)
    real = Path.mkdir

    def full(self, *args, **kwargs):
        if self.parent == ctx.graph_models_dir:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", full)
    with pytest.raises(MusicsageError) as caught:
        _new_model_dir(ctx, "spectral")
    message = str(caught.value)
    # graph_models, as docs/cli.md gives it: not the dated folder that was never made
    assert message == (f"cannot save a new graph model in {ctx.graph_models_dir} (No space "
                       "left on device); no graph model was saved (the library has none yet)")
    assert list(ctx.graph_models_dir.iterdir()) == []


def test_graph_models_turned_into_a_file_is_named_not_a_folder_in_it(ctx):
    ctx.graph_models_dir.parent.mkdir(parents=True, exist_ok=True)
    ctx.graph_models_dir.write_text("mine")
    with pytest.raises(MusicsageError) as caught:
        new_model_dir(ctx, "spectral")
    assert str(caught.value) == (f"cannot save a new graph model in {ctx.graph_models_dir} "
                                 "(Not a directory)")
    assert ctx.graph_models_dir.read_text() == "mine"


def test_a_disk_already_full_is_refused_before_training(ctx, monkeypatch):
    class Usage:
        free = 4096

    monkeypatch.setattr(models_dir.shutil, "disk_usage", lambda _path: Usage)
    with pytest.raises(MusicsageError) as caught:
        check_models_dir(ctx)
    assert str(caught.value) == (
        f"cannot save a new graph model in {ctx.graph_models_dir} (No space left on device: "
        "4 KiB free); free some space; nothing was trained")
    assert list(ctx.graph_models_dir.iterdir()) == []  # no model folder made to find out
