"""Libraries whose ``graph_models`` links lead to one shared folder (another drive): the orphan
clean-up at one library's training start deleted every model of the other, whose rows this
library's database does not name. Only folders this library made are its orphans now."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from models_support import STAND_IN_MODEL_PT

from musicsage.context import AppContext
from musicsage.graph.store import (MARKER, new_model_dir, register_model, remove_orphan_dirs,
                                   write_embeddings)
from musicsage.library.db import connect
from musicsage.usecases.library import import_dataset
from musicsage.usecases.models import list_graph_models
from musicsage.usecases.training import train_graph


def _dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _library(tmp_path: Path, name: str, shared: Path) -> AppContext:
    (tmp_path / name).mkdir()
    ctx = AppContext.create(tmp_path / name)
    ctx.graph_models_dir.symlink_to(shared)
    connect(ctx)  # its database, as any library has one
    return ctx


def _ended(folder: Path, **marker) -> Path:
    """``folder`` as a training whose process has ended leaves it (``marker``: overrides)."""
    was = json.loads((folder / MARKER).read_text())
    (folder / MARKER).write_text(json.dumps(dict(was, pid=_dead_pid(), **marker)))
    return folder


def _registered(ctx: AppContext) -> Path:
    """A finished model of ``ctx``: its files and its row."""
    import numpy as np

    folder = new_model_dir(ctx, "spectral")
    write_embeddings(folder, np.arange(3), np.ones((3, 4), np.float32))
    (folder / "model.pt").write_bytes(STAND_IN_MODEL_PT)
    register_model(connect(ctx), ctx, folder, name="pinsage-spectral", audio_model="spectral",
                   params={}, metrics={}, fingerprint="f")
    return _ended(folder)


@pytest.fixture
def two_libraries(tmp_path):
    shared = tmp_path / "shared_models"
    shared.mkdir()
    return _library(tmp_path, "libA", shared), _library(tmp_path, "libB", shared)


def test_one_librarys_clean_up_keeps_the_other_librarys_models(two_libraries):
    lib_a, lib_b = two_libraries
    model = _registered(lib_a)
    killed = _ended(new_model_dir(lib_a, "spectral"))  # a killed training of libA
    assert remove_orphan_dirs(connect(lib_b), lib_b) == []
    assert (model / "model.pt").read_bytes() == STAND_IN_MODEL_PT and killed.is_dir()
    # libA's own clean-up still removes its own killed training's folder, nothing else
    assert remove_orphan_dirs(connect(lib_a), lib_a) == [killed]
    assert model.is_dir() and not killed.exists()


def test_a_folder_whose_marker_names_no_library_is_kept(two_libraries):
    """A marker of a version from before the library was recorded: it may be any library's
    folder (the other one's registered model), so no library deletes it."""
    lib_a, lib_b = two_libraries
    old = _ended(new_model_dir(lib_a, "spectral"))
    marker = json.loads((old / MARKER).read_text())
    marker.pop("library", None)
    (old / MARKER).write_text(json.dumps(marker))
    for ctx in (lib_a, lib_b):
        assert remove_orphan_dirs(connect(ctx), ctx) == [] and old.is_dir()


def test_the_library_reached_by_another_path_still_cleans_up(tmp_path, ctx):
    """The same library opened through a link to its folder is the same library."""
    killed = _ended(new_model_dir(ctx, "spectral"))
    (tmp_path / "alias").symlink_to(ctx.data_dir)
    alias = AppContext.create(tmp_path / "alias")
    assert remove_orphan_dirs(connect(alias), alias) == [alias.graph_models_dir / killed.name]
    assert not killed.exists()


def test_training_one_library_leaves_the_other_its_models(two_libraries, dataset):
    """What the user saw: `train` of libB, then `models` of libA listed every model of
    libA as DAMAGED: its folder is missing."""
    lib_a, lib_b = two_libraries
    _registered(lib_a)
    import_dataset(lib_b, dataset)
    train_graph(lib_b, max_steps=5)
    assert [r.problem for r in list_graph_models(lib_a)] == [None]


def test_a_killed_training_of_a_non_ascii_audio_model_is_cleaned_up(ctx):
    """An audio model id such as "spectral-é" made a folder name the clean-up does not read
    as one of its own: a killed training's folder stayed for good."""
    killed = _ended(new_model_dir(ctx, "spectral-é"))
    assert killed.name.endswith("-spectral-_") and killed.name.isascii()
    assert remove_orphan_dirs(connect(ctx), ctx) == [killed] and not killed.exists()
