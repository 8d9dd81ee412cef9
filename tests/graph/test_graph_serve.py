"""A saved model embeds tracks it never saw, without retraining; format versions are checked."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from musicsage.errors import MusicsageError
from musicsage.graph.build import build_context_graph
from musicsage.graph.checkpoint import VERSION, save_checkpoint
from musicsage.graph.config import TrainConfig
from musicsage.graph.data import GraphData
from musicsage.graph.serve import SavedModel, current_saved_model
from musicsage.graph.synthetic import hidden_factor_data
from musicsage.graph.train import train

SMALL = TrainConfig().with_(max_steps=40, batch_size=64, eval_every=20, dim=16, hidden=16,
                            folds=4, warmup=5, threads=1, num_walks=8, num_neighbors=5)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A model trained on the first 250 of 300 tracks; the other 50 arrive later with their
    own playlist ("new") and their tags."""
    full = hidden_factor_data(n_tracks=300, n_playlists=30, seed=4)
    old = full.memberships[full.memberships[:, 0] < 250]
    before = GraphData.build(full.track_ids[:250], full.features[:250],
                             [(full.playlist_keys[p], full.track_ids[t]) for t, p in old],
                             metadata={k: [full.metadata_keys[k][v] if v >= 0 else ""
                                           for v in full.metadata[k][:250]]
                                       for k in full.metadata})
    result = train(before, before.memberships, config=SMALL)
    path = tmp_path_factory.mktemp("model") / "model.pt"
    save_checkpoint(path, result, before)
    pairs = [(full.playlist_keys[p], full.track_ids[t]) for t, p in full.memberships]
    pairs += [("new", full.track_ids[t]) for t in range(250, 300)]
    after = GraphData.build(full.track_ids, full.features, pairs,
                            metadata={k: [full.metadata_keys[k][v] if v >= 0 else ""
                                          for v in full.metadata[k]] for k in full.metadata})
    return result, before, after, path


def test_new_tracks_get_vectors_from_features_and_contexts(trained):
    result, before, after, path = trained
    model = SavedModel.load(path, audio_model="features", feature_dim=8)
    assert model.version == VERSION and model.contexts == ("playlist", "album", "artist")
    # the training data itself: exactly what training produced on the same graph
    graph = build_context_graph(before, before.memberships, result.contexts)
    assert np.allclose(model.embed(before), result.embed(before, graph), atol=1e-5)
    # the grown library: every track gets a unit vector, new ones included
    new_ids = after.track_ids[250:].tolist()
    emb = model.embed(after, new_ids)
    assert emb.shape == (50, 16) and np.allclose(np.linalg.norm(emb, axis=1), 1, atol=1e-5)
    # their vectors depend on their contexts: other playlists give other vectors
    alone = GraphData.build(after.track_ids, after.features,
                            [(after.playlist_keys[p], after.track_ids[t])
                             for t, p in after.memberships if t < 250])
    assert not np.allclose(model.embed(alone, new_ids), emb, atol=1e-3)
    with pytest.raises(MusicsageError, match="not in the data"):
        model.embed(after, ["no such track"])


def test_the_saved_model_embeds_on_the_trainings_thread_count(trained, monkeypatch):
    """Serving ran on torch's default (every core), which spins against any other busy
    process (6x slower beside two on 2 cores): it takes the training's count, half the cores
    by default, and leaves torch's setting as it was."""
    import musicsage.graph.serve as serve
    from musicsage.audio import threads as audio_threads

    _, before, _, path = trained
    monkeypatch.setattr(audio_threads, "cpu_cores", lambda: 6)
    seen = []
    embed_tracks = serve.embed_tracks
    monkeypatch.setattr(serve, "embed_tracks", lambda *a, **k: (
        seen.append(torch.get_num_threads()), embed_tracks(*a, **k))[1])
    model = SavedModel.load(path, audio_model="features", feature_dim=8)
    torch.set_num_threads(4)  # the conftest fixture restores it
    model.embed(before)  # trained with threads=1 (SMALL)
    model.config = model.config.with_(threads=None)  # the default: half of 6 cores
    model.embed(before)
    assert seen == [1, 3] and torch.get_num_threads() == 4


def test_library_current_model_loads_and_embeds(ctx, dataset):
    from musicsage.usecases.library import import_dataset
    from musicsage.usecases.training import graph_embeddings, train_graph
    from musicsage.library.db import connect

    import_dataset(ctx, dataset)
    assert current_saved_model(connect(ctx), ctx) is None
    train_graph(ctx, max_steps=5)
    model = current_saved_model(connect(ctx), ctx)
    ids, stored = graph_embeddings(ctx)
    data = GraphData.from_library(connect(ctx), model.audio_model)
    again = model.embed(data, ids.tolist())
    assert np.allclose(again, stored, atol=1e-5)  # the stored vectors, recomputed


def test_format_versions_are_checked(trained, tmp_path):
    _, before, _, path = trained
    payload = torch.load(path, weights_only=True)
    assert payload["format"] == "musicsage-graph" and payload["version"] == VERSION
    # a version-1 file (flat training config, no version key) still loads
    legacy = dict(payload, format="musicsage-graph-1")
    legacy.pop("version")
    legacy["train"] = {"dim": 16, "hidden": 16, "max_steps": 40, "num_walks": 8,
                       "walk": {"num_walks": 8, "num_neighbors": 5}, "seed": 0}
    torch.save(legacy, tmp_path / "v1.pt")
    old = SavedModel.load(tmp_path / "v1.pt")
    assert old.version == 1 and old.config.walk.num_neighbors == 5
    assert np.allclose(old.embed(before), SavedModel.load(path).embed(before), atol=1e-5)
    torch.save(dict(payload, version=VERSION + 1), tmp_path / "future.pt")
    with pytest.raises(MusicsageError, match="newer musicsage"):
        SavedModel.load(tmp_path / "future.pt")
    broken = dict(payload, state_dict={"gate": torch.zeros(())})
    torch.save(broken, tmp_path / "broken.pt")
    with pytest.raises(MusicsageError, match="do not fit"):
        SavedModel.load(tmp_path / "broken.pt")
