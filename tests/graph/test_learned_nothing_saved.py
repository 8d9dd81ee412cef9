"""A run that learned nothing replaces a current model that learned nothing either — also one
saved by an earlier version, whose note had another wording (commit 336d0b8: "the library is
too small…"), or that has no notes at all (``--holdout 0``): such a current model was taken for
one that learned, and the newest run stayed unused. Models now record it in ``params``."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from musicsage.graph.store import current_model, list_models
from musicsage.library.db import connect
from musicsage.usecases.library import import_dataset
from musicsage.usecases.training import train_graph

#: the note of a run that learned nothing as the version of commit 336d0b8 saved it
OLD_NOTE = ("the library is too small for the graph model to learn from: in every training step "
            "each track shared a playlist with all the others drawn, so none was left to tell "
            "it apart from (loss 0 at every step) and the model kept its untrained weights; add "
            "playlists, and tracks to them")


@pytest.fixture
def one_playlist(ctx, tmp_path):
    """40 tracks in one playlist: every run learns nothing (every candidate a co-member)."""
    folder = tmp_path / "ds"
    folder.mkdir()
    with open(folder / "tracks.csv", "w", newline="") as f:
        csv.writer(f).writerows([["track_id"]] + [[f"t{i}"] for i in range(40)])
    with open(folder / "memberships.csv", "w", newline="") as f:
        csv.writer(f).writerows([["playlist_id", "track_id"]] + [["p0", f"t{i}"]
                                                                 for i in range(40)])
    np.save(folder / "features.npy", np.random.default_rng(0).normal(size=(40, 8)))
    import_dataset(ctx, folder)
    return ctx


def _as_saved_before(ctx, model_id: int, notes=None) -> None:
    """Model ``model_id``'s row as an earlier version wrote it: no ``learned`` in its params,
    and ``notes`` (None: as they are) in its metrics."""
    conn = connect(ctx)
    params, metrics = conn.execute("SELECT params, metrics FROM graph_models WHERE id = ?",
                                   (model_id,)).fetchone()
    params, metrics = json.loads(params), json.loads(metrics)
    params.pop("learned", None)
    if notes is not None:
        metrics["notes"] = notes
    with conn:
        conn.execute("UPDATE graph_models SET params = ?, metrics = ? WHERE id = ?",
                     (json.dumps(params), json.dumps(metrics), model_id))


def test_a_current_model_noted_in_an_earlier_wording_is_replaced(one_playlist):
    ctx = one_playlist
    first = train_graph(ctx, max_steps=5, options={"threads": 1})
    _as_saved_before(ctx, first.model_id, notes=[OLD_NOTE])
    second = train_graph(ctx, max_steps=5, options={"threads": 1})
    assert not second.learned
    assert current_model(connect(ctx), ctx).id == second.model_id != first.model_id


def test_a_current_model_trained_without_evaluation_that_learned_nothing_is_replaced(
        one_playlist):
    """``--holdout 0``: no evaluation, so no notes; its params say it learned nothing."""
    ctx = one_playlist
    first = train_graph(ctx, max_steps=5, holdout=0, options={"threads": 1})
    saved = current_model(connect(ctx), ctx)
    assert saved.id == first.model_id and "notes" not in saved.metrics
    second = train_graph(ctx, max_steps=5, options={"threads": 1})
    assert current_model(connect(ctx), ctx).id == second.model_id != first.model_id
    assert current_model(connect(ctx), ctx).params["learned"] is False


def test_what_a_saved_model_says_of_its_learning(one_playlist):
    from musicsage.usecases.models import learned_nothing_saved

    ctx = one_playlist
    train_graph(ctx, max_steps=5, options={"threads": 1})
    info = list_models(connect(ctx), ctx)[0]
    assert learned_nothing_saved(info)  # its params say so
    _as_saved_before(ctx, info.id)  # the current wording of the note, no params key
    assert learned_nothing_saved(list_models(connect(ctx), ctx)[0])
    conn = connect(ctx)
    with conn:
        conn.execute("UPDATE graph_models SET metrics = ?",
                     (json.dumps({"notes": ["only 2 evaluation pairs: too few"]}),))
    assert not learned_nothing_saved(list_models(conn, ctx)[0])  # nothing says it: it learned
