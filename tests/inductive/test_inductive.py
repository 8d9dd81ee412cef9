"""New music gets graph neighbours at once: after ``embed``, tracks the graph model never saw
have vectors from the saved model (no retraining), in ``similar``, the map and ``stats``."""

from __future__ import annotations

import json

import numpy as np
import pytest

from musicsage import cli
from musicsage.library.db import connect
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.graph_vectors import INDUCTIVE_FILE, read_inductive
from musicsage.usecases.library import library_stats
from musicsage.usecases.search import similar_tracks
from musicsage.usecases.spaces import SearchSpaces
from musicsage.usecases.training import current_graph_model, graph_embeddings, train_graph
from hints_told_support import as_default


def graph_list(ctx, query, k=200):
    return [row["track_id"] for row in similar_tracks(ctx, query, k=k, space="graph").graph]


def test_a_track_added_after_training_gets_graph_neighbours_without_retraining(trained,
                                                                               add_music):
    ctx = trained
    model = current_graph_model(ctx)
    old_ids, old_vectors = graph_embeddings(ctx)
    new = add_music(ctx)
    old_track = int(old_ids[0])
    assert not set(new) & set(graph_list(ctx, old_track))  # scanned, no vectors yet
    assert similar_tracks(ctx, new[0], space="graph").graph == []

    report = embed_library(ctx, "spectral")

    assert report.embedded == len(new)
    assert (report.graph.model_id, report.graph.unseen, report.graph.embedded) == \
        (model.id, len(new), len(new))
    assert current_graph_model(ctx).id == model.id  # no new model: nothing retrained
    ids, vectors = graph_embeddings(ctx)
    assert set(new) <= set(ids.tolist())
    kept = np.isin(ids, old_ids)
    assert np.array_equal(vectors[kept], old_vectors)  # trained vectors untouched
    assert np.allclose(np.linalg.norm(vectors[~kept], axis=1), 1, atol=1e-5)
    # the new tracks are in the graph lists of old tracks, and have graph neighbours
    assert set(new) <= set(graph_list(ctx, old_track))
    listed = similar_tracks(ctx, new[0], k=5, space="graph")
    assert len(listed.graph) == 5 and listed.models["graph"] == f"graph-{model.id}"


def test_new_vectors_come_from_the_saved_model_on_the_library_as_it_is_now(trained,
                                                                            add_music):
    """Their audio and their contexts now — the new playlist and the tracks' artists —
    embedded by the saved model itself (context dependence: tests/graph/test_graph_serve.py)."""
    from musicsage.graph.data import GraphData
    from musicsage.graph.serve import current_saved_model

    ctx = trained
    new = add_music(ctx)
    embed_library(ctx, "spectral")
    conn = connect(ctx)
    data = GraphData.from_library(conn, "spectral")
    in_mix = {int(data.track_ids[t]) for t, p in data.memberships
              if data.playlist_keys[p] == str(conn.execute(
                  "SELECT id FROM playlists WHERE name = 'New and old'").fetchone()[0])}
    assert set(new) < in_mix  # the graph they were embedded on holds their new playlist
    expected = current_saved_model(conn, ctx).embed(data, new)
    ids, vectors = graph_embeddings(ctx)
    row = {t: i for i, t in enumerate(ids.tolist())}
    assert np.allclose(vectors[[row[t] for t in new]], expected, atol=1e-5)


def test_stats_counts_the_tracks_the_model_has_not_seen(trained, add_music, capsys):
    ctx = trained
    assert library_stats(ctx).graph_model["unseen"] == 0
    new = add_music(ctx, n=3)
    embed_library(ctx, "spectral")
    graph = library_stats(ctx).graph_model
    assert (graph["unseen"], graph["inductive"]) == (3, 3)
    assert cli.main(["stats", "--json", "--data-dir", str(ctx.data_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["graph_model"]["unseen"], data["graph_model"]["inductive"]) == (3, 3)
    assert cli.main(["stats", "--data-dir", str(ctx.data_dir)]) == 0
    assert "3 tracks not seen in training (3 with vectors from the saved model" in \
        capsys.readouterr().out
    # a changed file counts too: its audio vector was recomputed after training
    conn = connect(ctx)
    old = int(graph_embeddings(ctx).track_ids[0])
    conn.execute("UPDATE audio_embeddings SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ','now',"
                 " '+1 second') WHERE track_id = ?", (old,))
    conn.commit()
    assert library_stats(ctx).graph_model["unseen"] == 4
    assert library_stats(ctx).graph_model["inductive"] == 3
    rep = embed_library(ctx, "spectral")  # nothing new to analyse; the changed track is redone
    assert (rep.embedded, rep.graph.embedded) == (0, 4)
    assert set(read_inductive(current_graph_model(ctx)).track_ids.tolist()) == {old, *new}


def test_embed_again_does_nothing_and_retrain_replaces_the_inductive_vectors(trained,
                                                                             add_music):
    ctx = trained
    new = add_music(ctx, n=2)
    embed_library(ctx, "spectral")
    again = embed_library(ctx, "spectral")
    assert (again.graph.unseen, again.graph.embedded) == (2, 0)  # already there: not redone
    first = current_graph_model(ctx)
    assert (first.dir / INDUCTIVE_FILE).is_file()
    train_graph(ctx, max_steps=2)
    second = current_graph_model(ctx)
    assert second.id != first.id and not (second.dir / INDUCTIVE_FILE).exists()
    assert library_stats(ctx).graph_model["unseen"] == 0
    ids, _ = graph_embeddings(ctx)
    assert set(new) <= set(ids.tolist())  # learned by the retrain itself


def test_the_cached_graph_map_keeps_every_point_and_places_new_tracks(trained, add_music):
    """No UMAP re-run: old tracks keep their positions, a new one sits by its nearest graph
    neighbour."""
    from musicsage.search.declutter import separation_for
    from musicsage.search.projection import MapParams, save_map
    from musicsage.usecases.search import cached_map

    ctx = trained
    space = SearchSpaces(ctx).get("graph")
    rng = np.random.default_rng(0)
    xy = rng.normal(size=(len(space.track_ids), 2)).astype(np.float32)
    save_map(space.directory, fingerprint=space.fingerprint, model_id=space.model_id,
             track_ids=space.track_ids, xy=xy, params=MapParams(), method="umap",
             row_keys=space.row_keys)
    new = add_music(ctx, n=2)
    report = embed_library(ctx, "spectral")
    assert report.graph.placed == 2
    points = cached_map(ctx, "graph")
    assert points is not None  # the window shows it at once
    pos = {int(t): p for t, p in zip(points.track_ids, points.xy)}
    old = {int(t): p for t, p in zip(space.track_ids, xy)}
    assert all(np.array_equal(pos[t], p) for t, p in old.items())
    now = SearchSpaces(ctx).get("graph")
    for t in new:
        nearest = now.neighbours(t, 1, exclude_ids=new)[0]
        nearest_id = int(nearest[0] if isinstance(nearest, tuple) else nearest.track_id)
        assert np.linalg.norm(pos[t] - old[nearest_id]) < 0.2
    # ... and is not hidden under it: as far from every other point as the layout keeps them
    gap = separation_for(points.xy, MapParams().separation)
    for t in new:
        others = np.array([p for u, p in pos.items() if u != t])
        assert np.linalg.norm(others - pos[t], axis=1).min() > 0.8 * gap


def test_a_damaged_model_is_one_line_and_never_blocks_audio_embedding(trained, add_music,
                                                                      capsys):
    ctx = trained
    model = current_graph_model(ctx)
    (model.dir / "model.pt").write_bytes(b"not a model at all")
    new = add_music(ctx, n=2)
    rc = cli.main(["embed", "--model", "spectral", "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    assert rc == 0 and "Traceback" not in err
    assert "embedded 2 of 2" in out
    notes = [line for line in err.splitlines() if line.startswith("note: ")]
    assert len(notes) == 1 and f"model {model.id}" in notes[0] and "retrain" in notes[0]
    ids, _ = graph_embeddings(ctx)
    assert not set(new) & set(ids.tolist())  # the trained vectors go on, without new ones
    assert similar_tracks(ctx, int(ids[0]), space="graph").graph
    assert library_stats(ctx).graph_model["unseen"] == 2


def test_a_damaged_inductive_file_leaves_the_trained_vectors_and_is_rebuilt(trained, add_music):
    ctx = trained
    new = add_music(ctx, n=2)
    embed_library(ctx, "spectral")
    path = current_graph_model(ctx).dir / INDUCTIVE_FILE
    path.write_bytes(path.read_bytes()[:100])  # cut short
    spaces = SearchSpaces(ctx)
    found = spaces.get("graph")
    assert not isinstance(found, str) and spaces.problem("graph") is None
    assert not set(new) & set(found.track_ids.tolist())
    assert library_stats(ctx).graph_model["inductive"] == 0
    rebuilt = embed_library(ctx, "spectral")
    assert rebuilt.graph.embedded == 2 and not rebuilt.graph.note
    assert set(new) <= set(graph_embeddings(ctx).track_ids.tolist())


def test_embed_json_carries_the_graph_step(trained, add_music, capsys):
    ctx = trained
    add_music(ctx, n=1)
    assert cli.main(["embed", "--model", "spectral", "--json",
                     "--data-dir", str(ctx.data_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    graph = data["graph"]
    assert (graph["unseen"], graph["embedded"], graph["note"]) == (1, 1, None)
    assert graph["model_id"] == current_graph_model(ctx).id


@pytest.mark.parametrize("damage", ["pickle", "nan"])
def test_an_inductive_file_is_checked_before_use(trained, add_music, damage):
    import io

    ctx = trained
    add_music(ctx, n=2)
    embed_library(ctx, "spectral")
    info = current_graph_model(ctx)
    found = read_inductive(info)
    path = info.dir / INDUCTIVE_FILE
    buf = io.BytesIO()
    meta = json.dumps({"format": 1, "model_fingerprint": info.fingerprint})
    if damage == "pickle":
        np.savez(buf, track_ids=np.array([object()], dtype=object), matrix=found.matrix[:1],
                 stamps=found.stamps[:1], meta=np.array(meta))
    else:
        bad = found.matrix.copy()
        bad[0, 0] = np.nan
        np.savez(buf, track_ids=found.track_ids, matrix=bad, stamps=found.stamps,
                 meta=np.array(meta))
    path.write_bytes(buf.getvalue())
    ids, vectors = graph_embeddings(ctx)
    assert np.isfinite(vectors).all() and not set(found.track_ids) & set(ids.tolist())


def test_unreadable_trained_ids_are_one_line_everywhere(trained, add_music, capsys):
    """The model's track_ids.npy overwritten: stats cannot count (null, no words), embed
    stores its audio vectors and says in one line why new tracks got no graph vector."""
    ctx = trained
    model = current_graph_model(ctx)
    (model.dir / "track_ids.npy").write_bytes(b"\x93NUMPY garbage")
    add_music(ctx, n=1)
    assert cli.main(["stats", "--json", "--data-dir", str(ctx.data_dir)]) == 0
    assert json.loads(capsys.readouterr().out)["graph_model"]["unseen"] is None
    assert cli.main(["stats", "--data-dir", str(ctx.data_dir)]) == 0
    assert "not seen in training" not in capsys.readouterr().out
    rc = cli.main(["embed", "--model", "spectral", "--json", "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert rc == 0 and data["embedded"] == 1 and "Traceback" not in err
    assert data["graph"]["embedded"] == 0 and "track_ids.npy" in data["graph"]["note"]
    assert "\n" not in data["graph"]["note"]


def test_embed_device_is_where_the_saved_model_runs_too(trained, add_music, capsys,
                                                        monkeypatch):
    """``embed --device cpu`` on a machine with a GPU keeps the graph step on the CPU as
    well (torch's view of the machine patched: a GPU "present" but never used)."""
    import torch

    from musicsage.graph.serve import SavedModel

    ctx = trained
    add_music(ctx, n=1)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    loaded = SavedModel.load.__func__
    asked = []

    def load(cls, path, **kwargs):
        asked.append(kwargs.get("device"))
        return loaded(cls, path, **kwargs)

    monkeypatch.setattr(SavedModel, "load", classmethod(load))
    assert cli.main(["embed", "--model", "spectral", "--device", "cpu", "--json",
                     "--data-dir", str(ctx.data_dir)]) == 0
    graph = json.loads(capsys.readouterr().out)["graph"]
    assert asked == ["cpu"] and (graph["embedded"], graph["note"]) == (1, None)


def test_a_model_with_the_two_hop_part_places_new_tracks_with_it(tmp_path, monkeypatch):
    """A library model whose validation joined item-kNN's two-hop part (forced here: the
    only weight offered is 1) serves new tracks through the same part: their vectors are
    as wide as the trained ones and are what the saved model gives on the library now."""
    import musicsage.graph.two_hop as two_hop
    from musicsage.graph.data import GraphData
    from musicsage.graph.serve import current_saved_model
    from musicsage.library.db import connect as connect_db
    from musicsage.usecases.library import scan_library
    from new_music_support import build_trained, new_music

    monkeypatch.setattr(two_hop, "GAMMAS", (1.0,))
    ctx, old_paths = build_trained(tmp_path / "lib")
    conn = connect_db(ctx)
    saved = current_saved_model(conn, ctx)
    assert saved.two_hop is not None and saved.two_hop.gamma == 1.0
    old_ids, old_vectors = graph_embeddings(ctx)
    # the encoder's 64 dimensions, the co-member view's 64 when validation mixed it in, and
    # the part's (at most 64: here the rank of a 14-context incidence)
    width = (saved.config.encoder.dim * (1 + (saved.comember is not None))
             + saved.two_hop.basis.shape[1])
    assert old_vectors.shape[1] == width and width > saved.config.encoder.dim

    music, mix = new_music(tmp_path / "new", old_paths)
    scan_library(ctx, [str(music)], [str(mix)])
    report = embed_library(ctx, "spectral")
    assert report.graph.embedded == 4 and not report.graph.note
    ids, vectors = graph_embeddings(ctx)
    new = [t for t in ids.tolist() if t not in set(old_ids.tolist())]
    data = GraphData.from_library(conn, "spectral")
    expected = current_saved_model(conn, ctx).embed(data, new)
    row = {t: i for i, t in enumerate(ids.tolist())}
    assert expected.shape == (4, old_vectors.shape[1])
    assert np.allclose(vectors[[row[t] for t in new]], expected, atol=1e-5)


def test_stats_counts_one_unseen_track_in_the_singular():
    """stats said "1 tracks not seen in training … retrain to learn from them"."""
    from musicsage.commands.library import _unseen_text

    assert _unseen_text({"unseen": 1, "inductive": 1}) == (
        "; 1 track not seen in training (1 with vectors from the saved model; retrain to learn "
        "from it)")
    assert _unseen_text({"unseen": 2, "inductive": 0}).startswith("; 2 tracks not seen")
    assert _unseen_text({"unseen": 0}) == "; every track seen in training"
    assert _unseen_text({"audio_model": "spectral", "unseen": 0, "seen": 5, "no_vector": 1}) \
        == ("; 1 track has no spectral vector: `musicsage embed --model spectral` gives it one "
            "and a graph vector")


@pytest.mark.parametrize("graph, told", [
    ({"unseen": 3, "inductive": 2, "seen": 5, "no_vector": 0}, (3, 2, 0, False, False)),
    ({"unseen": 0, "inductive": 0, "seen": 5, "no_vector": 2}, (0, 0, 2, False, False)),
    ({"unseen": 1, "inductive": 1, "seen": 5, "no_vector": 1}, (1, 1, 1, False, False)),
    ({"unseen": 0, "inductive": 0, "seen": 5, "no_vector": 0}, (0, 0, 0, True, False)),
    ({"unseen": 0}, (0, 0, 0, True, False)),  # a summary that does not tell "seen"
    ({"unseen": 0, "inductive": 0, "seen": 0, "no_vector": 0}, (0, 0, 0, False, True)),
    ({"unseen": None, "inductive": 0, "seen": None, "no_vector": 0}, (0, 0, 0, False, False)),
    ({"unseen": None, "inductive": 0, "seen": None, "no_vector": 3}, (0, 0, 3, False, False)),
])
def test_stats_and_the_window_tell_the_same_of_tracks_the_model_did_not_see(graph, told):
    """One function decides what both front ends say of unseen tracks (each in its words):
    the ``stats`` line and the window's model line each made that choice on their own."""
    from dataclasses import astuple

    from musicsage.commands.library import _unseen_text
    from musicsage.controllers.evaluation import describe_model
    from musicsage.usecases.library import seen_in_training

    found = seen_in_training(graph)
    assert astuple(found) == told
    cli_line = _unseen_text(dict(graph, audio_model="spectral"))
    window_line = describe_model(dict(graph, id=1, audio_model="spectral"))
    assert ("not seen in training" in cli_line) == ("added or changed" in window_line) \
        == bool(found.unseen)
    assert ("no spectral vector" in cli_line) == ("no spectral vector" in window_line) \
        == bool(found.no_vector)
    assert ("every track seen" in cli_line) == ("seen every track" in window_line) \
        == found.all_seen
    assert ("no track of the library" in cli_line) == ("no track of the library" in window_line) \
        == found.none_with_vector


def test_a_plain_embed_keeps_the_models_audio_model_and_places_new_tracks(trained, add_music,
                                                                         capsys, monkeypatch):
    """Audit of session 47: after ``embed --model spectral`` and ``train``, a plain ``embed``
    of new music used the default preference (MusiCNN, pinned here as where its weights are
    on disk), re-embedded every track with it, and the new tracks got no graph vector."""
    from musicsage.audio import selection

    monkeypatch.setattr(selection, "choose_default_model",
                        lambda ctx, **policy: ("musicnn", "musicnn: weights present"))
    ctx = trained
    new = add_music(ctx, n=2)
    assert cli.main(["embed", "--data-dir", str(ctx.data_dir)]) == 0
    out = capsys.readouterr().out
    assert "spectral: the library's audio model" in out and "embedded 2 of 2 tracks" in out
    assert "the saved model placed 2 tracks not seen in training (" in out
    assert set(new) <= set(graph_embeddings(ctx).track_ids.tolist())
    assert list(library_stats(ctx).embeddings) == ["spectral"]


def test_stats_never_counts_tracks_without_a_vector_of_its_audio_model_as_seen(trained,
                                                                              add_music,
                                                                              capsys):
    """stats said "every track seen in training" of new tracks with no spectral vector (the
    library embedded with another model since), and after every folder was removed."""
    from musicsage.controllers.evaluation import describe_model
    from musicsage.library.queries import library_roots
    from musicsage.usecases.library import forget_folder

    ctx = trained
    add_music(ctx, n=2)  # scanned, no spectral vector
    graph = library_stats(ctx).graph_model
    assert (graph["unseen"], graph["no_vector"], graph["seen"]) == (0, 2, 72)
    assert cli.main(["stats", "--data-dir", str(ctx.data_dir)]) == 0
    out = as_default(capsys.readouterr().out, ctx.data_dir)
    assert ("; 2 tracks have no spectral vector: `musicsage embed --model spectral` gives "
            "them one and a graph vector") in out
    assert "every track seen" not in out
    line = describe_model(graph)
    assert "2 tracks have no spectral vector" in line and "every track" not in line
    assert cli.main(["stats", "--json", "--data-dir", str(ctx.data_dir)]) == 0
    assert json.loads(capsys.readouterr().out)["graph_model"]["no_vector"] == 2

    embed_library(ctx, "spectral")
    graph = library_stats(ctx).graph_model
    assert (graph["unseen"], graph["no_vector"]) == (2, 0)

    for root in library_roots(connect(ctx)):
        forget_folder(ctx, root)
    graph = library_stats(ctx).graph_model
    assert (graph["unseen"], graph["seen"], graph["no_vector"]) == (0, 0, 0)
    assert cli.main(["stats", "--data-dir", str(ctx.data_dir)]) == 0
    out = capsys.readouterr().out
    assert "no track of the library has a spectral vector" in out
    assert "every track seen" not in out
    assert "has seen every track" not in describe_model(graph)
