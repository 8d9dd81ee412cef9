"""A removed music folder leaves the graph space too, though the model's files keep its
tracks' vectors: no list, map or stats shows a track that left the library, and a track added
later never takes over a removed track's vector (its id is new)."""

from __future__ import annotations

from musicsage.library.db import connect
from musicsage.library.queries import library_roots
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.library import forget_folder
from musicsage.usecases.search import similar_tracks
from musicsage.usecases.spaces import SearchSpaces
from musicsage.usecases.training import graph_embeddings


def test_a_removed_folder_leaves_the_graph_space_and_its_ids_stay_retired(trained, add_music):
    ctx = trained
    trained_ids, _ = graph_embeddings(ctx)
    old_roots = library_roots(connect(ctx))
    new = add_music(ctx)
    embed_library(ctx, "spectral")  # the saved model places them (inductive vectors)
    assert set(new) <= set(graph_embeddings(ctx)[0].tolist())
    (new_root,) = set(library_roots(connect(ctx))) - set(old_roots)

    report = forget_folder(ctx, new_root)

    assert report.tracks == len(new) and report.entries == len(new) and report.playlists == 1
    ids, _ = graph_embeddings(ctx)
    assert sorted(ids.tolist()) == sorted(trained_ids.tolist())
    space = SearchSpaces(ctx).get("graph")
    assert not set(new) & set(space.track_ids.tolist())
    listed = similar_tracks(ctx, int(trained_ids[0]), k=len(trained_ids), space="graph")
    assert not set(new) & {r["track_id"] for r in listed.graph}

    again = add_music(ctx)  # the same files, scanned again: new tracks, new ids
    assert min(again) > max(new)
    assert not set(again) & set(graph_embeddings(ctx)[0].tolist()), \
        "a new track must wait for its own vector, not take a removed track's"
    embed_library(ctx, "spectral")
    assert set(again) <= set(graph_embeddings(ctx)[0].tolist())
