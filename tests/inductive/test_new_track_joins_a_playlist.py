"""A new track's graph vector follows its playlists: the saved model places it "from its
audio vector and its playlists, album and artist as they are now" (README), so a track
that joins (or leaves) a playlist after it was placed is placed again by the next embed
instead of keeping the vector of the playlists it had then until a Retrain."""

from __future__ import annotations

import numpy as np

from musicsage.graph.data import GraphData
from musicsage.graph.serve import current_saved_model
from musicsage.library.db import connect
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.library import scan_library
from musicsage.usecases.training import graph_embeddings


def _vectors_of(ctx, ids):
    found, vectors = graph_embeddings(ctx)
    row = {t: i for i, t in enumerate(found.tolist())}
    return vectors[[row[t] for t in ids]]


def test_a_placed_track_that_joins_a_playlist_is_placed_again_by_the_next_embed(
        trained, add_music, trained_template, tmp_path):
    ctx = trained
    new = add_music(ctx)
    embed_library(ctx, "spectral")
    # the user puts the first new track into a playlist of old tracks, then scans it
    _, old_paths = trained_template
    conn = connect(ctx)
    new_path = conn.execute("SELECT path FROM tracks WHERE id = ?", (new[0],)).fetchone()[0]
    mix = tmp_path / "Evening.m3u8"
    mix.write_text("#EXTM3U\n" + "\n".join(str(p) for p in [*old_paths[3:9], new_path]) + "\n",
                   encoding="utf-8")
    scan_library(ctx, [], [str(mix)])

    report = embed_library(ctx, "spectral")

    assert report.graph.embedded == len(new)  # placed again, on the playlists as they are
    assert report.graph.new_vectors == 0  # none of them is news: no new music was placed
    data = GraphData.from_library(connect(ctx), "spectral")
    expected = current_saved_model(connect(ctx), ctx).embed(data, new)
    assert np.allclose(_vectors_of(ctx, new), expected, atol=1e-5)
    again = embed_library(ctx, "spectral")
    assert again.graph.embedded == 0  # nothing changed since: nothing redone
