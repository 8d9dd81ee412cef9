"""A disk that fills as a training makes its new model folder: the ``mkdir`` succeeds, the
marker cannot be written. The empty folder (a 0-byte marker in it) stayed for good — the
orphan clean-up skips a folder whose marker does not say this library made it — and the
training, after all its work, ended in a bare "No space left on device"."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from musicsage.errors import MusicsageError
from musicsage.graph.store import MARKER
from musicsage.usecases.training import current_graph_model, train_graph


@pytest.fixture
def full_disk_for_markers(monkeypatch):
    """Writing a model folder's marker fails as on a full disk, after creating the file."""
    real = Path.write_text

    def write_text(self, *args, **kwargs):
        if self.name == MARKER:
            self.touch()  # what a full disk leaves: the file, no content
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)


def test_a_training_that_cannot_write_its_model_folder_leaves_none_and_says_so(
        two_models, full_disk_for_markers):
    ctx, _, second = two_models
    before = sorted(p.name for p in ctx.graph_models_dir.iterdir())

    with pytest.raises(MusicsageError) as caught:
        train_graph(ctx, max_steps=2)

    message = str(caught.value)
    assert sorted(p.name for p in ctx.graph_models_dir.iterdir()) == before
    assert current_graph_model(ctx).id == second
    assert "\n" not in message
    assert message.startswith(f"cannot save a new graph model in {ctx.graph_models_dir}")
    assert message.endswith(f"(No space left on device); model {second} stays current "
                            "(nothing of this run was saved)")
