"""The co-member view (graph/comember.py): the mix and its weight, the encoder's training and
serving (new contexts, new tracks), and the checkpoint that carries it."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from musicsage.errors import Cancelled, MusicsageError
from musicsage.graph.build import build_context_graph
from musicsage.graph.checkpoint import VERSION, load_comember, save_checkpoint
from musicsage.graph.comember import (WEIGHTS, CoMember, CoMemberEncoder, aligned,
                                      choose_weight, fit_comember, mix)
from musicsage.graph.config import TrainConfig
from musicsage.graph.serve import SavedModel
from musicsage.graph.split import protocol_split
from musicsage.graph.synthetic import hidden_factor_data
from musicsage.graph.train import train
from musicsage.progress import CancelToken
from musicsage.vectors import unit_rows

from graph_support import (COMEMBER, assert_switched_off_and_dgi_runs_have_none,
                           assert_validation_joins_it_and_held_out_pairs_agree)

#: a graph model that learns nothing (steps too small to move it, context vectors from zero:
#: it ranks by the features, which are noise here), on data whose playlists (one style each)
#: say everything: the co-member view, trained for 200 steps on the same memberships, knows
#: much more (a seeded, checked case). max_steps caps the view's steps too.
QUICK = TrainConfig().with_(max_steps=200, dim=16, hidden=16, batch_size=64, warmup=1,
                            threads=1, num_walks=5, num_neighbors=3, eval_every=5, patience=1,
                            lr=1e-7, context_lr=1e-7, context_init="zero", two_hop=False,
                            comember=True, comember_steps=200)


@pytest.fixture(scope="module")
def noise_data():
    return hidden_factor_data(n_tracks=300, n_playlists=40, signal=0.0, purity=1.0, seed=1)


@pytest.fixture(scope="module")
def trained(noise_data):
    split = protocol_split(noise_data.memberships, noise_data.n_tracks, seed=0)
    return split, train(noise_data, split.train_memberships, config=QUICK)


def test_the_mix_adds_the_two_cosines_with_its_weight():
    rng = np.random.default_rng(0)
    a, b = unit_rows(rng.normal(size=(20, 6))), unit_rows(rng.normal(size=(20, 4)))
    for w in (0.25, 0.5, 0.75):
        m = mix(a, b, w)
        assert m.shape == (20, 10) and np.allclose(np.linalg.norm(m, axis=1), 1, atol=1e-6)
        assert np.allclose(m @ m.T, (1 - w) * (a @ a.T) + w * (b @ b.T), atol=1e-5)
    assert mix(a, b, 0.0) is a  # weight 0: the model's vectors, bit for bit


def test_the_weight_is_the_best_on_validation_and_ties_go_to_the_smaller():
    rng = np.random.default_rng(1)
    a, b = unit_rows(rng.normal(size=(10, 3))), unit_rows(rng.normal(size=(10, 3)))
    best, scores = choose_weight(a, b, lambda e: -abs(e.shape[1] - 6) + 0.0)
    assert best == 0.25 and set(scores) == set(WEIGHTS)  # every w > 0 ties: the smallest
    best, _ = choose_weight(a, b, lambda e: 1.0)
    assert best == 0.0
    target = mix(a, b, 0.5)
    best, _ = choose_weight(a, b, lambda e: -np.abs(e[:, :3] - target[:, :3]).sum()
                            if e.shape[1] == 6 else -1e9)
    assert best == 0.5


def test_validation_mixes_the_view_in_where_it_knows_more_and_held_out_pairs_agree(
        noise_data, trained):
    split, result = trained
    assert_validation_joins_it_and_held_out_pairs_agree(COMEMBER, result, noise_data, split,
                                                        width=32)


def test_switched_off_and_self_supervised_runs_have_no_view(noise_data, trained):
    assert_switched_off_and_dgi_runs_have_none(COMEMBER, noise_data, trained[0], QUICK)


def test_a_bad_step_count_is_refused():
    with pytest.raises(MusicsageError, match="comember_steps"):
        TrainConfig().with_(comember_steps=0)


def test_training_can_be_cancelled(noise_data):
    token = CancelToken()
    token.cancel()
    graph = build_context_graph(noise_data, noise_data.memberships, ("playlist",))
    with pytest.raises(Cancelled):
        fit_comember(noise_data.features, graph, noise_data.memberships,
                     noise_data.n_playlists, dim=8, steps=5, seed=0, cancel=token)


def test_fitting_is_seeded_and_reports_its_stage(noise_data):
    graph = build_context_graph(noise_data, noise_data.memberships, ("playlist",))
    seen = []
    runs = [fit_comember(noise_data.features, graph, noise_data.memberships,
                         noise_data.n_playlists, dim=8, steps=100, seed=3,
                         progress=seen.append).vectors(noise_data.features, graph)
            for _ in range(2)]
    assert np.array_equal(runs[0], runs[1])
    assert {p.stage for p in seen} == {"co-member"} and seen[-1].done == 100


def test_new_contexts_get_no_vector_and_a_track_without_any_is_placed_by_its_features(
        noise_data):
    """Serving on a library that changed since training: a playlist the encoder never saw
    adds a zero row to the mean, like the graph encoder's; every vector stays finite."""
    graph = build_context_graph(noise_data, noise_data.memberships, ("playlist",))
    encoder = fit_comember(noise_data.features, graph, noise_data.memberships,
                           noise_data.n_playlists, dim=8, steps=20, seed=0)
    keys = [str(k) for k in graph.context_keys]
    renamed = keys[:-1] + ["playlist:brand new"]
    moved = aligned(encoder, renamed, graph)
    assert torch.equal(moved.contexts[-1], torch.zeros(8))
    assert torch.equal(moved.contexts[:-1], encoder.contexts[:-1])
    lonely = np.flatnonzero(np.diff(graph.indptr) == 0)
    vectors = CoMember(encoder, renamed, 0.5).apply(np.eye(graph.n_tracks, 4, dtype=np.float32),
                                                     noise_data.features, graph)
    assert np.isfinite(vectors).all() and vectors.shape == (graph.n_tracks, 12)
    if len(lonely):
        x = (torch.from_numpy(noise_data.features[lonely]) - encoder.mean) * encoder.inv_scale
        expected = torch.nn.functional.normalize(encoder.mlp(x), dim=1).detach().numpy()
        got = encoder.vectors(noise_data.features, graph)[lonely]
        assert np.allclose(got, expected, atol=1e-5)


def test_a_constant_feature_carries_nothing():
    features = np.ones((6, 3), np.float32)
    features[:, 1] = np.arange(6)
    e = CoMemberEncoder(3, 2, dim=4)
    e.set_feature_statistics(features)
    assert e.inv_scale[0] == 0 and e.inv_scale[2] == 0 and e.inv_scale[1] > 0


def test_the_checkpoint_carries_the_view_and_an_older_one_serves_its_own_vectors(
        tmp_path, noise_data, trained):
    """Version 4 stores the view: the loaded model serves what training served on the graph
    of every membership. A version-3 file (no view) loads without it; a view that does not
    fit its contexts is refused with a message that says to retrain."""
    _, result = trained
    path = tmp_path / "model.pt"
    save_checkpoint(path, result, noise_data)
    loaded = SavedModel.load(path, device="cpu")
    assert loaded.version == VERSION == 4
    assert loaded.comember.weight == result.comember_weight
    everything = build_context_graph(noise_data, noise_data.memberships, result.contexts)
    assert np.allclose(loaded.embed(noise_data), result.embed(noise_data, everything),
                       atol=1e-5)

    payload = torch.load(path, weights_only=True)
    payload["version"] = 3
    del payload["comember"]
    torch.save(payload, tmp_path / "v3.pt")
    old = SavedModel.load(tmp_path / "v3.pt", device="cpu")
    assert old.comember is None and load_comember(payload) is None
    assert old.embed(noise_data).shape == (noise_data.n_tracks, 16)

    payload = torch.load(path, weights_only=True)
    payload["comember"]["state_dict"]["contexts"] = payload["comember"]["state_dict"][
        "contexts"][:3]
    torch.save(payload, tmp_path / "bad.pt")
    with pytest.raises(MusicsageError, match="co-member view does not fit"):
        SavedModel.load(tmp_path / "bad.pt", device="cpu")


def test_max_steps_caps_the_views_steps_as_it_caps_the_model(noise_data, trained):
    """A short run (the demo's 200 steps, a test's 20) stays short: the view trains for at
    most ``max_steps`` too."""
    split, _ = trained
    seen = []
    train(noise_data, split.train_memberships, config=QUICK.with_(max_steps=20),
          progress=seen.append)
    views = [p for p in seen if p.stage == "co-member"]
    assert views and views[-1].done == views[-1].total == 20


def test_a_diverged_view_is_refused_not_zeroed(noise_data, trained):
    """Mixing normalises rows, which turns NaN into 0: a view whose weights went non-finite
    must stop the run with the trainer's message instead."""
    _, result = trained
    graph = result.graph
    encoder = aligned(result.comember.encoder, result.comember.context_keys, graph)
    with torch.no_grad():
        encoder.mlp[0].weight.fill_(float("nan"))
    with pytest.raises(MusicsageError, match="training diverged"):
        CoMember(encoder, [str(k) for k in graph.context_keys], 0.5).apply(
            np.ones((graph.n_tracks, 4), np.float32), noise_data.features, graph)
