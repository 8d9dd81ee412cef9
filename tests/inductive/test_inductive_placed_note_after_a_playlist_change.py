"""A placed track that joins a playlist is not said to be placed by that playlist until an
embed places it again.

The note beside its graph list named what the track has *now* ("placed it by its audio and
playlists") while its vector, and so its list, still came from what it had when the saved
model placed it: a `scan` of the new playlist, then `similar`, showed the old list under
words that said the playlist counted."""

from __future__ import annotations

from musicsage.controllers.selection import beside_lists
from musicsage.library.db import connect
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.graph_vectors import placed_note
from musicsage.usecases.library import scan_library
from musicsage.usecases.search import similar_tracks

BEFORE = "placed it before the library's playlists or tags last changed"


def test_a_playlist_joined_since_it_was_placed_is_not_said_to_have_placed_it(
        trained, add_music, trained_template, tmp_path):
    ctx = trained
    new = add_music(ctx)
    embed_library(ctx, "spectral")
    placed = placed_note(ctx, new[0])
    assert "placed it by its audio, playlist, album and artist;" in placed

    _, old_paths = trained_template
    path = connect(ctx).execute("SELECT path FROM tracks WHERE id = ?", (new[0],)).fetchone()[0]
    evening = tmp_path / "Evening.m3u8"
    evening.write_text("#EXTM3U\n" + "\n".join(str(p) for p in [*old_paths[3:9], path]) + "\n",
                       encoding="utf-8")
    scan_library(ctx, [], [str(evening)])  # no embed since: its vector is the one of before

    note = placed_note(ctx, new[0])
    assert BEFORE in note and "playlists, album" not in note
    assert "an embed places it again (" in note and "a retrain learns from it" in note
    result = similar_tracks(ctx, new[0], space="graph")
    assert result.notes["graph"] == note
    said = beside_lists(result)  # the window's line under its lists: its own controls named
    assert "places it again (use Analyse ▸ Compute embeddings)" in said
    assert "(press Retrain)" in said and "musicsage" not in said

    embed_library(ctx, "spectral")  # placed again, on its playlists as they are now

    again = placed_note(ctx, new[0])
    assert BEFORE not in again
    assert "placed it by its audio, playlists, album and artist;" in again
