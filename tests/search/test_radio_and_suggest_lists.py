"""Suggestions' counts and notes as ranked: missing files that would have ranked are counted
by the list's own method (``--method nearest``), and an empty list says when every track
with a vector is already in the playlist."""

from __future__ import annotations

import pytest
from search_helpers import add_playlist, clustered_vectors, run_cli

from musicsage.search.scoring import space_scores
from musicsage.search.similar import anchor_vectors
from musicsage.usecases.radio import radio_tracks
from musicsage.usecases.spaces import SearchSpaces
from musicsage.usecases.suggest import suggest_tracks


def test_nearest_counts_the_missing_files_that_would_have_ranked_by_nearest(ctx, library):
    library.add(60)
    library.embed(clustered_vectors(60, clusters=6, seed=4))
    ids = library.ids
    members = [ids[0], ids[1]]  # clusters 0 and 1: their centroid is near neither
    pid = add_playlist(library.conn, "/p/mix.m3u", "Mix", members)
    k = 8
    listed = suggest_tracks(ctx, pid, k=k, space="audio", method="nearest").audio
    assert len(listed) == k
    missing = [t for t in ids[2:] if t % 6 in (ids[0] % 6, ids[1] % 6)][:10]
    for t in missing:
        library.set_missing(t)
    result = suggest_tracks(ctx, pid, k=k, space="audio", method="nearest")
    last = result.audio[-1]["score"]
    space = SearchSpaces(ctx).get("audio")
    scores = space_scores(space, anchor_vectors(space, members), "nearest")
    truth = int(sum(scores[space.row_of(t)] >= last - 1e-6 for t in missing))
    assert truth > 0
    assert result.skipped_missing.get("audio", 0) == truth


def test_a_playlist_holding_every_embedded_track_says_so(capsys, ctx, library):
    library.add(5)
    library.embed(clustered_vectors(5, clusters=2))
    pid = add_playlist(library.conn, "/p/all.m3u", "All", library.ids)
    rc, out, err = run_cli(capsys, ctx, "suggest", str(pid), "--space", "audio")
    assert rc == 1 and out == ""
    assert "every track with an audio vector is already in this playlist" in err, err
    assert "no other track has" not in err


def test_radio_variety_queues_one_track_per_artist(capsys, ctx, library):
    import json

    library.add(20)  # artist i % 5
    library.embed(clustered_vectors(20, clusters=4))
    rc, out, _err = run_cli(capsys, ctx, "radio", str(library.ids[0]), "--length", "8", "--json")
    artists = [r["artist"] for r in json.loads(out)["tracks"]]
    assert rc == 0 and len(artists) == 8 and len(set(artists)) < 8
    rc, out, _err = run_cli(capsys, ctx, "radio", str(library.ids[0]), "--length", "8",
                            "--variety", "--json")
    queue = json.loads(out)
    artists = [r["artist"] for r in queue["tracks"]]
    # the seed's artist is in the queue already: it does not follow the seed
    assert queue["seed"]["artist"] == "Artist 0"
    assert rc == 0 and sorted(artists) == [f"Artist {i}" for i in range(1, 5)], artists
    rc, _out, err = run_cli(capsys, ctx, "radio", str(library.ids[0]), "--length", "8",
                            "--variety")
    assert rc == 0 and "not 8: no other track to pick" in err and "one per artist" in err, err


@pytest.mark.parametrize("mode", ["close", "drift"])
def test_a_radio_refill_with_variety_brings_no_queued_artist_back(ctx, library, mode):
    library.add(30)  # artist i % 5
    library.embed(clustered_vectors(30, clusters=3))
    seed = library.ids[0]
    first = radio_tracks(ctx, seed, 2, mode, variety=True).tracks
    queued = [int(r["track_id"]) for r in first]
    more = radio_tracks(ctx, seed, 5, mode, after=queued, variety=True).tracks
    artists = [r["artist"] for r in [*first, *more]]
    assert len(first) == 2 and more, (first, more)
    assert "Artist 0" not in artists and len(set(artists)) == len(artists), artists
    # five artists, the seed's among them: the refill ends short, as the library ran out
    assert len(more) == 2
