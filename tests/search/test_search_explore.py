"""Why a neighbour is there, suggestions for a playlist, radio: through the use cases and the
CLI, on the real DB and index (vectors chosen by the test)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from search_helpers import add_playlist, clustered_vectors, run_cli

from musicsage.library.tag_cache import cached_tags, store_tags
from musicsage.usecases.radio import radio_tracks
from musicsage.usecases.search import similar_tracks
from musicsage.usecases.suggest import suggest_tracks
from musicsage.usecases.tags import EXPLAIN_TAG_MODEL


@pytest.fixture
def lib(library):
    """40 tracks in 4 audio clusters (track i in cluster i % 4), artist i % 5, two playlists."""
    library.add(40)
    library.embed(clustered_vectors(40, clusters=4))
    ids = library.ids
    library.mix = add_playlist(library.conn, "/p/mix.m3u", "Mix", [ids[0], ids[4], ids[8], ids[12]])
    library.other = add_playlist(library.conn, "/p/other.m3u", "Other", [ids[0], ids[8], ids[1]])
    return library


@pytest.fixture
def with_graph(ctx, lib):
    """A stored graph model whose vectors group tracks by artist (i % 5)."""
    from musicsage.graph.store import new_model_dir, register_model, write_embeddings
    from musicsage.library.db import connect

    rng = np.random.default_rng(3)
    centres = rng.normal(size=(5, 8)) * 3
    graph = (centres[np.arange(40) % 5] + rng.normal(size=(40, 8))).astype(np.float32)
    model_dir = new_model_dir(ctx, "spectral-test")
    write_embeddings(model_dir, np.array(lib.ids), graph)
    register_model(connect(ctx), ctx, model_dir, name="test", audio_model="spectral-test",
                   params={}, metrics={}, fingerprint="test")


def test_every_neighbour_says_why(ctx, lib, with_graph):
    ids = lib.ids
    result = similar_tracks(ctx, ids[0], k=39, space="both")
    by_id = {r["track_id"]: r for r in result.audio}
    eight = by_id[ids[8]]["why"]
    assert eight["playlists"] == ["Mix", "Other"]  # shared with the query, by name
    assert by_id[ids[4]]["why"]["playlists"] == ["Mix"]
    assert by_id[ids[5]]["why"]["same_artist"] and not by_id[ids[4]]["why"]["same_artist"]
    # ranks: the audio rank of an audio row is its place in the list; the graph rank is
    # where the same track stands in the graph list
    graph_rank = {r["track_id"]: r["rank"] for r in result.graph}
    for row in result.audio:
        assert row["why"]["ranks"]["audio"] == row["rank"]
        assert row["why"]["ranks"]["graph"] == graph_rank[row["track_id"]]
    assert "in Mix, Other" in eight["text"] and "by the graph model" in eight["text"]
    assert "by audio alone" not in eight["text"], "the list's own rank is not repeated"
    assert eight["tags"] is None, "no tags cached: none claimed"


def test_why_names_shared_tags_only_where_both_are_tagged(ctx, lib):
    from musicsage.library.db import connect
    from musicsage.library.relations import track_facts

    ids = lib.ids
    facts = track_facts(connect(ctx), ids[:9])
    tags = {ids[0]: [("rock", .9), ("guitar", .7), ("80s", .5), ("pop", .2), ("live", .1), ("x", .01)],
            ids[4]: [("jazz", .8), ("guitar", .6), ("rock", .3), ("x", .2), ("y", .1), ("80s", .05)]}
    for tid, t in tags.items():
        assert store_tags(ctx.cache_dir, facts[tid], EXPLAIN_TAG_MODEL, t)
    rows = {r["track_id"]: r for r in similar_tracks(ctx, ids[0], k=10, space="audio").audio}
    assert rows[ids[4]]["why"]["tags"] == ["rock", "guitar"]  # in both top fives, query's order
    assert "tags: rock, guitar" in rows[ids[4]]["why"]["text"]
    assert rows[ids[8]]["why"]["tags"] is None  # never tagged: unknown, not "nothing shared"
    # a changed file's tags are stale
    lib.conn.execute("UPDATE tracks SET size = 99 WHERE id = ?", (ids[4],))
    facts = track_facts(connect(ctx), [ids[4]])
    assert cached_tags(ctx.cache_dir, facts.values(), EXPLAIN_TAG_MODEL) == {}


def test_similar_json_keeps_its_keys_and_adds_why(capsys, ctx, lib, with_graph):
    rc, out, err = run_cli(capsys, ctx, "similar", str(lib.ids[0]), "-k", "3", "--json")
    data = json.loads(out)
    assert rc == 0, err
    assert {"query", "graph", "audio", "k", "in_both", "models", "space"} <= data.keys()
    for name in ("graph", "audio"):
        for row in data[name]:
            assert {"track_id", "title", "artist", "path", "score", "rank", "in_both"} <= row.keys()
            assert {"playlists", "same_artist", "same_album", "ranks", "tags", "text"} <= row["why"].keys()


def test_suggestions_for_a_playlist_exclude_its_members(ctx, lib, with_graph):
    ids = lib.ids
    members = {ids[0], ids[4], ids[8], ids[12]}  # all of audio cluster 0
    result = suggest_tracks(ctx, "Mix", k=5)
    assert result.playlist["playlist_id"] == lib.mix and result.playlist["tracks"] == 4
    for name in ("graph", "audio"):
        listed = [r["track_id"] for r in result.rows(name)]
        assert len(listed) == 5 and not members & set(listed)
        assert result.members_used[name] == 4
    # audio suggestions continue the members' cluster
    assert all((t - ids[0]) % 4 == 0 for t in [r["track_id"] for r in result.audio])
    # why: against the members, the playlist itself is no reason
    member_artists = [f"Artist {i % 5}" for i in (0, 4, 8, 12)]
    for row in result.audio:
        assert "Mix" not in row["why"]["playlists"]
        assert row["why"]["members_same_artist"] == member_artists.count(row["artist"])


def test_suggest_cli_json_shape_and_m3u(capsys, ctx, lib, with_graph, tmp_path):
    out_file = tmp_path / "sugg.m3u8"
    rc, out, err = run_cli(capsys, ctx, "suggest", str(lib.mix), "-k", "3", "--json",
                           "--m3u", str(out_file))
    data = json.loads(out)
    assert rc == 0, err
    assert {"playlist", "graph", "audio", "k", "in_both", "models"} <= data.keys()
    assert "query" not in data
    assert {"playlist_id", "name", "path", "tracks"} <= data["playlist"].keys()
    assert all({"track_id", "title", "artist", "path", "score", "why"} <= r.keys()
               for r in data["graph"] + data["audio"])
    written = [ln for ln in out_file.read_text().splitlines() if not ln.startswith("#")]
    assert written == [r["path"] for r in data["graph"]] and data["m3u"]["tracks"] == 3


def test_suggest_refuses_unknown_and_ambiguous_playlists(capsys, ctx, lib):
    add_playlist(lib.conn, "/p/mix2.m3u", "Mix 2", [lib.ids[3]])
    rc, out, err = run_cli(capsys, ctx, "suggest", "Mi")
    assert rc == 1 and len(err.strip().splitlines()) == 1 and "matches 2 playlists" in err
    rc, out, err = run_cli(capsys, ctx, "suggest", "Mix")  # the exact name wins
    assert rc == 0
    rc, out, err = run_cli(capsys, ctx, "suggest", "nothing like it")
    assert rc == 1 and "no playlist matches" in err
    empty = add_playlist(lib.conn, "/p/empty.m3u", "Empty", [])
    rc, out, err = run_cli(capsys, ctx, "suggest", str(empty))
    assert rc == 1 and "nothing to suggest from" in err


EMPTY_PLAYLIST = "empty playlist: give a playlist id, a path or a name"
EMPTY_QUERY = "empty query: give a track id, a path or a title/artist text"


@pytest.mark.parametrize("argv, line", [
    (("suggest", ""), EMPTY_PLAYLIST), (("suggest", "  "), EMPTY_PLAYLIST),
    (("suggest", " ", "--add", "1"), EMPTY_PLAYLIST),
    (("suggest", " ", "--remove", "1"), EMPTY_PLAYLIST),
    (("radio", ""), EMPTY_QUERY), (("radio", " \t"), EMPTY_QUERY), (("similar", ""), EMPTY_QUERY)])
def test_an_empty_query_or_playlist_is_refused_as_empty(capsys, ctx, lib, argv, line):
    # `suggest ''` said "no playlist matches ''" while `similar ''` said the query was empty
    rc, out, err = run_cli(capsys, ctx, *argv)
    assert rc == 1 and err.strip().splitlines() == [f"musicsage {argv[0]}: {line}"]


@pytest.mark.parametrize("mode", ["close", "drift"])
def test_radio_never_repeats_and_skips_missing_files(ctx, lib, with_graph, mode):
    ids = lib.ids
    lib.set_missing(ids[5])
    result = radio_tracks(ctx, ids[0], length=30, mode=mode)
    queue = [r["track_id"] for r in result.tracks]
    assert result.space == "graph" and len(queue) == 30
    assert len(set(queue)) == 30 and ids[0] not in queue and ids[5] not in queue
    assert [r["position"] for r in result.tracks] == list(range(1, 31))
    if mode == "close":  # the seed's own neighbours first
        first = [r["track_id"] for r in similar_tracks(ctx, ids[0], k=5, space="graph").graph]
        assert queue[:5] == first
    else:  # each next track is picked from the one before it
        assert all(r["picked_from"] == p for r, p in zip(result.tracks, [ids[0], *queue]))
    more = radio_tracks(ctx, ids[0], length=8, mode=mode, after=queue)
    assert not set(r["track_id"] for r in more.tracks) & set(queue + [ids[0]])
    assert len(more.tracks) == 8 and more.tracks[0]["position"] == 31


def test_radio_without_a_graph_model_follows_audio_and_says_so(capsys, ctx, lib, tmp_path):
    dest = tmp_path / "radio.m3u8"
    rc, out, err = run_cli(capsys, ctx, "radio", str(lib.ids[0]), "--length", "5", "--json",
                           "--m3u", str(dest))
    data = json.loads(out)
    assert rc == 0, err
    assert data["space"] == "audio" and "no trained graph model" in data["note"]
    assert data["length"] == 5 and data["seed"]["track_id"] == lib.ids[0]
    paths = [ln for ln in dest.read_text().splitlines() if not ln.startswith("#")]
    assert paths == [data["seed"]["path"]] + [t["path"] for t in data["tracks"]]
    rc, out, err = run_cli(capsys, ctx, "radio", str(lib.ids[0]), "--length", "0")
    assert rc == 1 and len(err.strip().splitlines()) == 1
