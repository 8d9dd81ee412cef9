"""Query helpers other areas import (names and return types are a contract)."""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.library import queries as q
from musicsage.library.db import connect, transaction


@pytest.fixture
def conn(ctx):
    c = connect(ctx)
    with transaction(c):
        for i, (path, status) in enumerate([("/m/a.wav", "present"), ("/m/b.wav", "present"),
                                            ("/m/c.wav", "missing"), ("dataset:/d#7", "present")],
                                           start=1):
            c.execute("INSERT INTO tracks(id, path, status) VALUES (?, ?, ?)", (i, path, status))
        c.execute("INSERT INTO playlists(id, path, name) VALUES (1, '/p/one.m3u', 'one')")
        c.execute("INSERT INTO playlists(id, path, name) VALUES (2, '/p/two.m3u', 'two')")
        for pl, pos, tid in [(1, 0, 2), (1, 1, None), (1, 2, 1), (1, 3, 2), (2, 0, 3), (2, 1, 1)]:
            c.execute("INSERT INTO playlist_entries(playlist_id, position, raw, track_id)"
                      " VALUES (?, ?, 'x', ?)", (pl, pos, tid))
    return c


def test_present_tracks(conn):
    assert [r["id"] for r in q.present_tracks(conn)] == [1, 2, 4]


def test_memberships_resolved_distinct_in_order(conn):
    assert q.memberships(conn) == [(1, 2), (1, 1), (2, 3), (2, 1)]
    assert q.memberships(conn, present_only=True) == [(1, 2), (1, 1), (2, 1)]


def test_embeddings_roundtrip_and_upsert(conn):
    q.store_embedding(conn, 2, "spectral", "v1", [1.0, 2.0, 3.0])
    q.store_embedding(conn, 1, "spectral", "v2", np.array([4, 5, 6], dtype=np.float64))
    q.store_embedding(conn, 2, "spectral", "v2", [7.0, 8.0, 9.0])  # upsert, not a second row
    ids, m = q.get_embeddings(conn, "spectral")
    assert ids.dtype == np.int64 and m.dtype == np.float32
    assert ids.tolist() == [1, 2]
    assert m.tolist() == [[4, 5, 6], [7, 8, 9]]
    assert m.flags.writeable
    assert q.get_embeddings(conn, "spectral", model_version="v1")[0].tolist() == []
    blob = conn.execute("SELECT vector FROM audio_embeddings WHERE track_id = 2").fetchone()[0]
    assert blob == np.array([7, 8, 9], dtype="<f4").tobytes()
    assert q.embedding_counts(conn) == {"spectral": 2}


def test_get_embeddings_empty_and_filters(conn):
    ids, m = q.get_embeddings(conn, "openl3-mel256-music-512")
    assert ids.shape == (0,) and m.shape == (0, 0) and m.dtype == np.float32
    q.store_embedding(conn, 3, "musicnn-msd-max_pool", "v", [1.0])
    q.store_embedding(conn, 1, "musicnn-msd-max_pool", "v", [2.0])
    assert q.get_embeddings(conn, "musicnn-msd-max_pool", present_only=True)[0].tolist() == [1]
    assert q.get_embeddings(conn, "musicnn-msd-max_pool", track_ids=[3])[0].tolist() == [3]


def test_store_embedding_validates(conn):
    with pytest.raises(ValueError):
        q.store_embedding(conn, 1, "mymodel", "v", [1.0])
    with pytest.raises(ValueError):
        q.store_embedding(conn, 1, "spectral", "v", [[1.0, 2.0]])


def test_tracks_needing_embedding_model_and_version(conn):
    assert [r["id"] for r in q.tracks_needing_embedding(conn, "spectral", "v1")] == [1, 2]
    q.store_embedding(conn, 1, "spectral", "v1", [1.0])
    q.store_embedding(conn, 2, "spectral", "v0", [1.0])  # stale version
    q.store_embedding(conn, 2, "openl3-x", "v1", [1.0])  # other model
    assert [r["id"] for r in q.tracks_needing_embedding(conn, "spectral", "v1")] == [2]


def test_record_error_upserts_per_path_and_stage(conn):
    q.record_error(conn, "/m/a.wav", "scan", "first", track_id=1)
    q.record_error(conn, "/m/a.wav", "scan", "second")
    q.record_error(conn, "/m/a.wav", "embed:spectral", "bad")
    rows = q.list_errors(conn)
    assert [(r["stage"], r["message"]) for r in rows] == [("scan", "second"), ("embed:spectral", "bad")]
    assert [r["stage"] for r in q.list_errors(conn, "embed:")] == ["embed:spectral"]
    q.clear_error(conn, "/m/a.wav", "scan")
    assert len(q.list_errors(conn, "scan")) == 0


def test_settings_json(conn):
    assert q.get_setting(conn, "audio_model", "spectral") == "spectral"
    q.set_setting(conn, "audio_model", "musicnn-msd-max_pool")
    q.set_setting(conn, "nested", {"a": [1, 2]})
    assert q.get_setting(conn, "audio_model") == "musicnn-msd-max_pool"
    assert q.get_setting(conn, "nested") == {"a": [1, 2]}
    q.set_setting(conn, "audio_model", None)
    assert q.get_setting(conn, "audio_model") is None


def test_current_graph_model_row(conn):
    assert q.current_graph_model_row(conn) is None
    conn.execute("INSERT INTO graph_models(name, audio_model, is_current) VALUES ('a', 'spectral', 0)")
    conn.execute("INSERT INTO graph_models(name, audio_model, is_current) VALUES ('b', 'spectral', 1)")
    assert q.current_graph_model_row(conn)["name"] == "b"
