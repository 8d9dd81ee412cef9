"""A stop (Ctrl-C, or the SIGTERM that becomes one) landing just after a new graph model's row
is committed must not delete that model's folder: the library would then name a model whose
files are gone. A stop before the commit still leaves nothing behind."""

from __future__ import annotations

import pytest

import musicsage.graph.store as store
from musicsage.commands.stopping import Terminated
from musicsage.library.db import connect
from musicsage.usecases.library import import_dataset
from musicsage.usecases.training import current_graph_model, stopped_training_text, train_graph


def _model_folders(ctx) -> list:
    base = ctx.graph_models_dir
    return sorted(base.iterdir()) if base.is_dir() else []


@pytest.mark.parametrize("stop", [KeyboardInterrupt, Terminated])
def test_a_stop_right_after_the_commit_keeps_the_registered_models_files(ctx, dataset,
                                                                         monkeypatch, stop):
    import_dataset(ctx, dataset)
    real = store.register_model

    def register_then_stop(*args, **kwargs):
        real(*args, **kwargs)  # committed
        raise stop()  # before the caller gets the id back

    monkeypatch.setattr(store, "register_model", register_then_stop)
    with pytest.raises(stop) as raised:
        train_graph(ctx, max_steps=5)

    info = current_graph_model(ctx)
    assert info is not None, "the row was committed"
    assert info.dir.is_dir() and info.checkpoint_path.is_file()
    ids, vectors = store.load_embeddings(info)  # its files are all there
    assert len(ids) == len(vectors) > 0
    assert _model_folders(ctx) == [info.dir]
    # the stop's message says the model was saved and is current, not "nothing was saved"
    saved = raised.value.saved_model
    assert saved.model_id == info.id and saved.kept_current is None
    assert "was saved before the stop" in stopped_training_text(saved, info.id)


def test_a_stop_before_the_commit_leaves_no_row_and_no_folder(ctx, dataset, monkeypatch):
    import_dataset(ctx, dataset)
    real = store._next_model_id

    def insert_then_stop(conn):  # inside register_model's transaction: rolled back
        real(conn)
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "_next_model_id", insert_then_stop)
    with pytest.raises(KeyboardInterrupt) as raised:
        train_graph(ctx, max_steps=5)

    assert store.list_models(connect(ctx), ctx) == []
    assert _model_folders(ctx) == []
    assert getattr(raised.value, "saved_model", None) is None
