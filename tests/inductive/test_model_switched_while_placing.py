"""A model switch while ``embed`` places new tracks: the vectors it writes beside a model are
that model's own. The switch (``models --use``, the window's Graph model menu, a training
saving its model) does not wait for the graph-vectors lock, and ``embed`` loaded whichever
model was current by then: model A's ``inductive.npz`` held model B's vectors, and kept
them (it holds the right tracks, so no later ``embed`` rewrote it)."""

from __future__ import annotations

import numpy as np

from musicsage.library.db import connect
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.training import current_graph_model, train_graph


def test_a_switch_while_new_tracks_are_placed_leaves_each_model_its_own_vectors(
        trained, add_music):
    from musicsage.graph.data import GraphData
    from musicsage.graph.serve import SavedModel
    from musicsage.graph.store import set_current
    from musicsage.usecases.graph_vectors import inductive_path, read_inductive
    from musicsage.usecases.inductive import embed_new_tracks

    ctx = trained
    first = current_graph_model(ctx)
    train_graph(ctx, max_steps=2, seed=7)
    conn = connect(ctx)
    second = max(r[0] for r in conn.execute("SELECT id FROM graph_models"))
    set_current(conn, ctx, first.id)
    new = add_music(ctx)
    embed_library(ctx, "spectral")
    inductive_path(first).unlink()  # placed again, this time with a switch meanwhile

    def switch_while_loading(event) -> None:
        if event.message == "loading the graph model":  # the lock held, the model not read
            set_current(connect(ctx), ctx, second)  # what `models --use` does, elsewhere

    embed_new_tracks(ctx, progress=switch_while_loading)

    stored = read_inductive(first)
    data = GraphData.from_library(conn, "spectral")
    own = SavedModel.load(first.checkpoint_path).embed(data, stored.track_ids.tolist())
    theirs = SavedModel.load(current_graph_model(ctx).checkpoint_path).embed(
        data, stored.track_ids.tolist())
    assert current_graph_model(ctx).id == second
    assert sorted(stored.track_ids.tolist()) == new
    assert not np.allclose(own, theirs, atol=1e-3)  # the two models do differ
    assert np.allclose(stored.matrix, own, atol=1e-5)
