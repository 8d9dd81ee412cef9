"""A library copied whole (``cp -a``: its ``graph_models`` link too) names the same model
folders as the library it was copied from. ``models --remove`` (and the window's "Remove older
models…") in the copy deleted the folder of a model the original still uses: that library then
listed it as DAMAGED. A folder whose marker names another library is kept; only the row goes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from models_support import STAND_IN_MODEL_PT

from musicsage.context import AppContext
from musicsage.graph.store import new_model_dir, register_model, write_embeddings
from musicsage.library.db import connect
from musicsage.usecases.models import list_graph_models, remove_graph_models


def _model(ctx: AppContext) -> Path:
    """A finished model of ``ctx`` (made current): its folder, files and row."""
    folder = new_model_dir(ctx, "spectral")
    write_embeddings(folder, np.arange(3), np.ones((3, 4), np.float32))
    (folder / "model.pt").write_bytes(STAND_IN_MODEL_PT)
    register_model(connect(ctx), ctx, folder, name="pinsage-spectral", audio_model="spectral",
                   params={}, metrics={}, fingerprint=f"f-{folder.name}")
    return folder


@pytest.fixture
def original_and_copy(tmp_path):
    """libA (two models, its graph_models a link to another drive) and libB, ``cp -a`` of it."""
    shared = tmp_path / "other_drive" / "graph_models"
    shared.mkdir(parents=True)
    (tmp_path / "libA").mkdir()
    lib_a = AppContext.create(tmp_path / "libA")
    lib_a.graph_models_dir.symlink_to(shared)
    older = _model(lib_a)
    _model(lib_a)  # the current one
    connect(lib_a).close()
    shutil.copytree(tmp_path / "libA", tmp_path / "libB", symlinks=True)  # cp -a
    return lib_a, AppContext.create(tmp_path / "libB"), older


def test_removing_a_model_of_a_copied_library_keeps_the_originals_folder(original_and_copy):
    lib_a, lib_b, older = original_and_copy
    older_id = next(m.id for m in list_graph_models(lib_b) if not m.is_current)
    assert Path(next(m.dir for m in list_graph_models(lib_b) if m.id == older_id)).resolve() \
        == older.resolve(), "the copy's row names the original's folder"
    removal = remove_graph_models(lib_b, [older_id])
    assert [m.id for m in removal.removed] == [older_id] and not removal.refused
    assert older_id not in [m.id for m in list_graph_models(lib_b)], "the copy's row goes"
    # the original still has its model, whole
    assert (older / "model.pt").read_bytes() == STAND_IN_MODEL_PT
    assert [m.problem for m in list_graph_models(lib_a)] == [None, None]
    # and the user is told why nothing was freed
    assert removal.freed == 0
    assert "another library" in (removal.removed[0].problem or "")


def test_removing_a_model_of_the_library_that_made_it_still_deletes_its_folder(
        original_and_copy):
    """What the fix must keep: the original's own removal frees the disk."""
    lib_a, _lib_b, older = original_and_copy
    older_id = next(m.id for m in list_graph_models(lib_a) if not m.is_current)
    removal = remove_graph_models(lib_a, [older_id])
    assert [m.id for m in removal.removed] == [older_id] and not older.exists()
    assert removal.freed > 0


def test_a_copy_with_its_own_models_folder_still_frees_its_disk(tmp_path):
    """``cp -a`` of a library whose graph_models is a plain folder copies the folders too:
    their markers name the original, but the folders are the copy's alone — its removal
    deletes its own, and the original's stay."""
    (tmp_path / "libA").mkdir()
    lib_a = AppContext.create(tmp_path / "libA")
    older = _model(lib_a)
    _model(lib_a)
    connect(lib_a).close()
    shutil.copytree(tmp_path / "libA", tmp_path / "libB", symlinks=True)
    lib_b = AppContext.create(tmp_path / "libB")
    older_id = next(m.id for m in list_graph_models(lib_b) if not m.is_current)
    removal = remove_graph_models(lib_b, [older_id])
    assert removal.freed > 0 and not (lib_b.graph_models_dir / older.name).exists()
    assert (older / "model.pt").read_bytes() == STAND_IN_MODEL_PT
