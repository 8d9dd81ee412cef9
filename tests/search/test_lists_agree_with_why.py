"""What ``similar --m3u`` writes and what a row's ``why`` says agree with the lists beside
them: a file copied under another name plays once, the "#N by the graph model" of a row is
the graph list's Nth row, a missing query keeps its entry; a one-track playlist's suggestion
says "same artist"; ``suggest`` takes a playlist's ``file://`` URI, as ``similar`` takes a
track's."""

from __future__ import annotations

import numpy as np
import pytest
from search_helpers import add_playlist, add_track, run_cli

from musicsage.usecases.search import similar_tracks, write_m3u
from musicsage.usecases.suggest import resolve_playlist, suggest_tracks


def _unit(i: int, dim: int = 8) -> np.ndarray:
    v = np.zeros(dim, np.float32)
    v[i] = 1.0
    return v


@pytest.fixture
def copied(ctx, library):
    """A query, a track A near it in the graph space, B — A's file copied under another
    name (same content hash, other tags) — near it in audio, and six tracks of their own."""
    from musicsage.graph.store import new_model_dir, register_model, write_embeddings
    from musicsage.library.db import connect

    conn = library.conn
    names = ["Query", "Alpha", "Alpha backup", *[f"Other {i}" for i in range(6)]]
    ids = [add_track(conn, str(library.root / f"{n}.wav"), title=n, artist=f"Band {i}")
           for i, n in enumerate(names)]
    q, a, b, others = ids[0], ids[1], ids[2], ids[3:]
    conn.executemany("INSERT INTO track_hashes(track_id, size, mtime_ns, hash) VALUES (?, 1, 1, ?)",
                     [(a, "same-bytes"), (b, "same-bytes")])
    rng = np.random.default_rng(1)
    audio = np.stack([_unit(0), _unit(3), _unit(0) + 0.1 * _unit(1),
                      *[_unit(0) * (0.8 - 0.1 * i) + _unit(4 + i % 4) for i in range(6)]])
    library.embed(audio + 0.01 * rng.normal(size=audio.shape).astype(np.float32), ids)
    # graph: A first, then B (a copy of A: never listed beside it), then the others in order
    graph = np.stack([_unit(0), _unit(0) + 0.1 * _unit(1), _unit(0) + 0.3 * _unit(1),
                      *[_unit(0) * (0.9 - 0.1 * i) + _unit(2 + i % 6) for i in range(6)]])
    model_dir = new_model_dir(ctx, "spectral-test")
    write_embeddings(model_dir, np.array(ids), graph.astype(np.float32))
    register_model(connect(ctx), ctx, model_dir, name="test", audio_model="spectral-test",
                   params={}, metrics={}, fingerprint="test")
    library.q, library.a, library.b, library.others = q, a, b, others
    return library


def test_m3u_writes_a_file_listed_in_both_lists_under_two_names_once(ctx, copied, tmp_path):
    result = similar_tracks(ctx, copied.q, k=3)
    assert result.graph[0]["track_id"] == copied.a and result.audio[0]["track_id"] == copied.b
    out = tmp_path / "sim.m3u8"
    write_m3u(out, result, ctx=ctx)
    entries = [ln for ln in out.read_text().splitlines() if not ln.startswith("#")]
    paths = {r["track_id"]: r["path"] for r in [result.query, *result.graph, *result.audio]}
    assert entries[:2] == [paths[copied.q], paths[copied.a]]
    assert paths[copied.b] not in entries, "B is A's file copied: the song once"
    assert len(entries) == len(set(entries))


def test_a_missing_query_keeps_its_entry_in_the_m3u(ctx, copied, tmp_path):
    copied.set_missing(copied.q)
    result = similar_tracks(ctx, copied.q, k=2)
    out = tmp_path / "sim.m3u8"
    write_m3u(out, result, ctx=ctx)
    entries = [ln for ln in out.read_text().splitlines() if not ln.startswith("#")]
    assert entries[0] == result.query["path"], "as radio keeps a missing seed"


def test_a_rank_beside_a_list_is_the_place_that_list_shows(ctx, copied):
    result = similar_tracks(ctx, copied.q, k=5)
    shown = {name: {r["track_id"]: r["rank"] for r in result.rows(name)}
             for name in ("graph", "audio")}
    assert copied.b not in shown["graph"] and copied.a not in shown["audio"]
    for name in ("graph", "audio"):
        for row in result.rows(name):
            for space in ("graph", "audio"):
                rank = row["why"]["ranks"][space]
                if row["track_id"] in shown[space]:
                    assert rank == shown[space][row["track_id"]], (name, space, row["why"])
                else:  # below that list's end
                    assert rank is None or rank > len(shown[space]), (name, space, row["why"])
    # left out of the other list as a copy of a row it shows: no rank there
    a_row = next(r for r in result.graph if r["track_id"] == copied.a)
    b_row = next(r for r in result.audio if r["track_id"] == copied.b)
    assert a_row["why"]["ranks"]["audio"] is None and b_row["why"]["ranks"]["graph"] is None
    assert "by the graph model" not in b_row["why"]["text"]


def test_a_one_track_playlist_says_same_artist(ctx, library):
    library.add(20)
    library.embed(np.random.default_rng(0).normal(size=(20, 8)).astype(np.float32))
    solo = add_playlist(library.conn, "/p/solo.m3u", "Solo", [library.ids[0]])
    result = suggest_tracks(ctx, solo, k=19, space="audio")
    same = [r for r in result.audio if r["why"]["same_artist"]]
    assert same, "artist i % 5: three other tracks share the member's artist"
    for row in same:
        assert "same artist" in row["why"]["text"]
        assert "of them" not in row["why"]["text"]
        assert row["why"]["members_same_artist"] == 1


def test_suggest_takes_a_playlist_files_uri(capsys, ctx, library, tmp_path):
    library.add(6)
    library.embed(np.random.default_rng(0).normal(size=(6, 8)).astype(np.float32))
    path = tmp_path / "Late Night ü.m3u8"
    pid = add_playlist(library.conn, str(path), "Late Night", library.ids[:2])
    uri = path.as_uri()
    assert "%20" in uri and resolve_playlist(ctx, uri) == pid
    rc, out, err = run_cli(capsys, ctx, "suggest", uri, "-k", "2", "--space", "audio")
    assert rc == 0, err
    assert "Late Night" in out
