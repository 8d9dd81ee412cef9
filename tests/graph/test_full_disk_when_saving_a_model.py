"""A disk that fills while a finished training writes its model's files (model.pt,
embeddings.npy) ended ``train`` — and the window's Retrain — with a bare "No space left on
device: …/model.pt": no word of which model the library now uses, after a whole training.
The line now says the new model could not be saved, where, and that the model before stays
current; the half-written folder is gone and the previous model is untouched."""

from __future__ import annotations

import errno
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from music_support import make_music  # noqa: E402

from musicsage.errors import MusicsageError  # noqa: E402

STEPS = {"max_steps": 5}


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """A scanned, embedded library of 40 short tracks with playlists (no model yet)."""
    from musicsage.context import AppContext
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.library import scan_library

    root = tmp_path_factory.mktemp("full_disk")
    music, playlists, _ = make_music(root / "src", n_tracks=40, seconds=1.0)
    ctx = AppContext.create(root / "data")
    scan_library(ctx, [str(music)], [str(playlists)])
    embed_library(ctx, "spectral")
    return ctx


def _disk_full(monkeypatch) -> None:
    def full(path, *_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))
    monkeypatch.setattr("musicsage.graph.checkpoint.save_checkpoint", full)


def test_a_full_disk_on_saving_says_the_previous_model_stays_current(library, monkeypatch):
    from musicsage.usecases.training import current_model_id, train_graph

    train_graph(library, **STEPS)
    before = current_model_id(library)
    folders = sorted(p.name for p in library.graph_models_dir.iterdir())
    _disk_full(monkeypatch)
    with pytest.raises(MusicsageError) as failed:
        train_graph(library, **STEPS)
    line = str(failed.value)
    assert "\n" not in line
    assert line == (f"cannot save the new graph model in {library.graph_models_dir} "
                    f"(No space left on device); model {before} stays current (nothing of "
                    "this run was saved)")
    assert current_model_id(library) == before
    assert sorted(p.name for p in library.graph_models_dir.iterdir()) == folders
