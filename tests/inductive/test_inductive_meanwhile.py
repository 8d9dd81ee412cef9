"""The graph model's vectors for new tracks when other work on the library runs meanwhile: a
training that saves its model after tracks were embedded, a folder forgotten while ``embed``
places its tracks. Each test drives the order of events itself (a step patched to run the
other work at the moment that matters), so nothing races a clock."""

from __future__ import annotations

import threading

import numpy as np

from musicsage import cli
from musicsage.library.db import connect
from musicsage.library.queries import library_roots
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.library import forget_folder, library_stats
from musicsage.usecases.training import current_graph_model, graph_embeddings, train_graph


def test_tracks_embedded_while_a_training_runs_get_vectors_from_the_model_it_saves(
        trained, add_music, monkeypatch):
    """They got vectors from the model current while they were embedded; the training's
    model, saved afterwards, had none for them until the next ``embed``."""
    import musicsage.graph.jobs as jobs
    from musicsage.graph.data import GraphData
    from musicsage.graph.serve import current_saved_model

    ctx = trained
    before = current_graph_model(ctx)
    new = add_music(ctx)  # scanned; their audio is analysed once the training has read all
    train = jobs.train_and_evaluate
    during = []

    def embed_then_train(*args, **kwargs):
        during.append(embed_library(ctx, "spectral"))
        return train(*args, **kwargs)

    monkeypatch.setattr(jobs, "train_and_evaluate", embed_then_train)
    train_graph(ctx, max_steps=2)

    (embedded,) = during
    assert (embedded.embedded, embedded.graph.model_id) == (len(new), before.id)
    after = current_graph_model(ctx)
    assert after.id != before.id
    ids, vectors = graph_embeddings(ctx)
    assert set(new) <= set(ids.tolist())
    conn = connect(ctx)
    expected = current_saved_model(conn, ctx).embed(GraphData.from_library(conn, "spectral"),
                                                    new)
    row = {t: i for i, t in enumerate(ids.tolist())}
    assert np.allclose(vectors[[row[t] for t in new]], expected, atol=1e-5)
    graph = library_stats(ctx).graph_model
    assert (graph["unseen"], graph["inductive"]) == (len(new), len(new))


def test_a_track_re_analysed_while_a_training_runs_gets_a_vector_of_its_new_audio(
        trained, monkeypatch):
    """Training read the track's old audio vector; the re-analysed one, written before the
    model was saved, made it look trained on — and it kept a vector of audio it no longer
    has. It is one the model did not see, and gets its vector from its new audio."""
    import musicsage.graph.jobs as jobs
    from musicsage.graph.data import GraphData
    from musicsage.graph.serve import current_saved_model
    from musicsage.library.queries import get_embeddings, store_embedding

    ctx = trained
    conn = connect(ctx)
    ids, matrix = get_embeddings(conn, "spectral")
    track, row = int(ids[0]), 0
    version = conn.execute("SELECT model_version FROM audio_embeddings WHERE track_id = ?"
                           " AND model_id = 'spectral'", (track,)).fetchone()[0]
    train = jobs.train_and_evaluate

    def re_analyse_then_train(*args, **kwargs):
        store_embedding(conn, track, "spectral", version, matrix[row][::-1].copy())
        conn.commit()
        return train(*args, **kwargs)

    monkeypatch.setattr(jobs, "train_and_evaluate", re_analyse_then_train)
    train_graph(ctx, max_steps=2)

    ids, vectors = graph_embeddings(ctx)
    expected = current_saved_model(conn, ctx).embed(GraphData.from_library(conn, "spectral"),
                                                    [track])
    assert np.allclose(vectors[ids.tolist().index(track)], expected[0], atol=1e-5)
    assert library_stats(ctx).graph_model["unseen"] == 1


def test_a_folder_forgotten_while_embed_places_its_tracks_waits_and_embed_advises_nothing(
        trained, add_music, monkeypatch, capsys):
    """``forget`` waited for embed's audio part only: forgotten half-way through the graph
    step, the new folder's tracks were missing from the graph the model ran on, and embed
    said the model could not be used — "retrain to rebuild it" — though it was fine."""
    import musicsage.usecases.inductive as inductive

    ctx = trained
    old_roots = set(library_roots(connect(ctx)))
    new = add_music(ctx)
    (root,) = set(library_roots(connect(ctx))) - old_roots
    embed = inductive._embed
    forgetting: dict = {}

    def forget_meanwhile(*args, **kwargs):
        """The step has read which tracks to place: a forget starts now, as from another
        process; the step goes on once that forget waits for it (or is done)."""
        waiting = threading.Event()

        def forget() -> None:
            try:
                forgetting["report"] = forget_folder(ctx, root, progress=lambda p: (
                    forgetting.setdefault("said", p.message), waiting.set()))
            finally:
                waiting.set()

        forgetting["thread"] = thread = threading.Thread(target=forget)
        thread.start()
        assert waiting.wait(60)
        return embed(*args, **kwargs)

    monkeypatch.setattr(inductive, "_embed", forget_meanwhile)
    rc = cli.main(["embed", "--model", "spectral", "--data-dir", str(ctx.data_dir)])
    forgetting["thread"].join(60)
    out, err = capsys.readouterr()

    assert rc == 0 and "note:" not in err and "retrain" not in out + err
    assert f"the saved model placed {len(new)} tracks not seen in training (" in out
    assert "waiting for it to finish" in forgetting["said"]
    assert forgetting["report"].tracks == len(new)
    assert not set(new) & set(graph_embeddings(ctx).track_ids.tolist())
    monkeypatch.undo()
    again = embed_library(ctx, "spectral")  # nothing left to do, nothing to advise
    assert (again.graph.unseen, again.graph.embedded, again.graph.note) == (0, 0, "")
