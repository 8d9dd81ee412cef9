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


def test_adding_and_removing_a_folder_keeps_both_maps_the_user_knows(trained, add_music):
    """No new layout for a folder added or removed: every other track keeps its point on the
    graph map and on the audio map, and the window has both at once (no UMAP run)."""
    import numpy as np

    from musicsage.usecases.search import cached_map, map_points

    ctx = trained
    first = {space: map_points(ctx, space) for space in ("graph", "audio")}
    old_roots = library_roots(connect(ctx))
    new = add_music(ctx)
    embed_library(ctx, "spectral")
    (new_root,) = set(library_roots(connect(ctx))) - set(old_roots)
    for space, before in first.items():
        grown = cached_map(ctx, space)
        assert grown is not None and set(new) <= set(grown.track_ids.tolist())
        xy = dict(zip(grown.track_ids.tolist(), grown.xy.tolist()))
        assert all(xy[t] == p for t, p in zip(before.track_ids.tolist(), before.xy.tolist()))

    forget_folder(ctx, new_root)

    for space, before in first.items():
        after = cached_map(ctx, space)
        assert after is not None, f"the {space} map must not be laid out again"
        assert np.array_equal(after.track_ids, before.track_ids)
        assert np.array_equal(after.xy, before.xy)


def test_removing_the_only_music_folder_leaves_a_library_the_window_can_open(trained):
    """Removing the last folder left the graph model with no track in the library: reading
    the window's snapshot then failed (the fingerprint of an empty matrix), so the window said
    "This library cannot be opened" and offered no way to add the folder back."""
    from musicsage.usecases.library import scan_library
    from musicsage.usecases.snapshot import load_snapshot

    ctx = trained
    roots = library_roots(connect(ctx))
    for root in roots:
        forget_folder(ctx, root)

    spaces = SearchSpaces(ctx)
    snap = load_snapshot(ctx, spaces=spaces)
    assert len(snap.tracks) == 0

    scan_library(ctx, roots)  # adding the folder again brings its tracks back
    assert len(load_snapshot(ctx, spaces=spaces).tracks) > 0
