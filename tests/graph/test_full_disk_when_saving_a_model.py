"""A disk that fills while a finished training writes its model's files (model.pt,
embeddings.npy) ended ``train`` — and the window's Retrain — with a bare "No space left on
device: …/model.pt": no word of which model the library now uses, after a whole training.
The line now says the new model could not be saved, where, and that the model before stays
current; the half-written folder is gone and the previous model is untouched. A full disk
under the database, as the new model's row is written, is said the same way."""

from __future__ import annotations

import errno
import shutil
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


def _database_full(monkeypatch, library) -> None:
    """The library database's disk fills as the new model's row is written: SQLite's own
    "database or disk is full", made real by capping the file at the pages it holds."""
    from musicsage.graph import store

    register = store.register_model

    def capped(conn, *args, **kwargs):
        limit = conn.execute("PRAGMA max_page_count").fetchone()[0]
        conn.execute("PRAGMA max_page_count = 1")  # as small as it may go: the size now
        try:
            return register(conn, *args, **kwargs)
        finally:  # the connection is this thread's for the library: room again after
            conn.execute(f"PRAGMA max_page_count = {int(limit)}")
    monkeypatch.setattr(store, "register_model", capped)


def _previous_model(library) -> tuple[int, bytes, list[str]]:
    """The current model's id, its model.pt's bytes and the model folders there are."""
    from musicsage.graph.store import current_model
    from musicsage.library.db import connect
    from musicsage.usecases.training import train_graph

    if current_model(connect(library), library) is None:
        train_graph(library, **STEPS)
    info = current_model(connect(library), library)
    return (info.id, info.checkpoint_path.read_bytes(),
            sorted(p.name for p in library.graph_models_dir.iterdir()))


def _stays_current(library, before: tuple[int, bytes, list[str]]) -> None:
    """The model before is still current, its model.pt byte for byte, no folder added."""
    from musicsage.graph.store import current_model
    from musicsage.library.db import connect

    info = current_model(connect(library), library)
    assert (info.id, info.checkpoint_path.read_bytes()) == before[:2]
    assert sorted(p.name for p in library.graph_models_dir.iterdir()) == before[2]


def test_a_full_disk_on_saving_says_the_previous_model_stays_current(library, monkeypatch):
    from musicsage.usecases.training import train_graph

    before = _previous_model(library)
    _disk_full(monkeypatch)
    with pytest.raises(MusicsageError) as failed:
        train_graph(library, **STEPS)
    line = str(failed.value)
    assert "\n" not in line
    # models_dir.cannot_save's words, as for a folder that could not be made: one disk, one
    # line, naming graph_models: the new model's own folder is gone by the time it is read
    assert line == (f"cannot save a new graph model in {library.graph_models_dir} (No space "
                    f"left on device); model {before[0]} stays current (nothing of this run "
                    "was saved)")
    _stays_current(library, before)


def test_a_full_database_disk_on_registering_says_the_previous_model_stays_current(
        library, monkeypatch):
    from musicsage.usecases.training import train_graph

    before = _previous_model(library)
    _database_full(monkeypatch, library)
    with pytest.raises(MusicsageError) as failed:
        train_graph(library, **STEPS)
    assert str(failed.value) == (
        f"cannot save a new graph model: the disk holding {library.db_path} is full (database "
        f"or disk is full): make room on it, then try again; model {before[0]} stays current "
        "(nothing of this run was saved)")
    _stays_current(library, before)


def test_a_folder_kept_for_an_unreadable_database_is_not_called_unsaved(library, monkeypatch):
    """Unsure whether the row went in (the database cannot be read back), the folder is kept
    (discard_dir): the line must not say nothing of this run was saved."""
    import sqlite3

    from musicsage.graph import store
    from musicsage.usecases.training import train_graph

    before = _previous_model(library)
    _database_full(monkeypatch, library)
    register = store.register_model

    def unreadable(*_args, **_kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    def then_unreadable(*args, **kwargs):  # the read-back after the failed write fails
        monkeypatch.setattr(store, "list_models", unreadable)
        return register(*args, **kwargs)
    monkeypatch.setattr(store, "register_model", then_unreadable)
    with pytest.raises(MusicsageError) as failed:
        train_graph(library, **STEPS)
    line = str(failed.value)
    assert line.startswith("cannot save a new graph model: ") and "nothing of" not in line
    monkeypatch.undo()
    kept = sorted(set(p.name for p in library.graph_models_dir.iterdir()) - set(before[2]))
    assert len(kept) == 1
    shutil.rmtree(library.graph_models_dir / kept[0])  # this test's own leftover
    _stays_current(library, before)
