"""How many left-out playlist tracks an ``embed`` could analyse (what decides whether a
refusal advises ``embed``) was counted by reading every track of the library lacking a
vector — on every train, eval and graph-vector call, refused or not: 0.3 s became 1–1.4 s
on a 200,000-track library. Only the left-out playlist tracks are read now, and counted as
``embed`` picks its tracks: present, with an audio file, lacking a vector of the version."""

from __future__ import annotations

import numpy as np

from musicsage.graph.data import GraphData
from musicsage.library import queries
from musicsage.library.db import connect

MODEL = "spectral-test"


def _track(conn, path: str, status: str = "present") -> int:
    return int(conn.execute("INSERT INTO tracks(path, size, mtime_ns, format, status) VALUES "
                            "(?, 1, 1, 'wav', ?)", (path, status)).lastrowid)


def test_only_the_left_out_playlist_tracks_are_read_and_counted(ctx, tmp_path, monkeypatch):
    conn = connect(ctx)
    kept = [_track(conn, str(tmp_path / f"k{i}.wav")) for i in range(4)]
    vectors = np.random.default_rng(0).normal(size=(4, 8)).astype(np.float32)
    queries.store_embeddings(conn, zip(kept, vectors), MODEL, "v1")
    to_embed = [_track(conn, str(tmp_path / f"e{i}.wav")) for i in range(3)]
    stale = _track(conn, str(tmp_path / "stale.wav"))  # a vector of another version only
    queries.store_embeddings(conn, [(stale, vectors[0])], MODEL, "v0")
    gone = _track(conn, str(tmp_path / "gone.wav"), "missing")
    no_audio = _track(conn, "dataset:/d#t9")
    for i in range(50):  # in no playlist, lacking a vector: none of training's business
        _track(conn, str(tmp_path / f"other{i}.wav"))
    conn.execute("INSERT INTO playlists(path, name, format, size, mtime_ns) VALUES "
                 "('/p.m3u', 'p', 'm3u', 0, 0)")
    conn.executemany("INSERT INTO playlist_entries(playlist_id, position, raw, track_id) "
                     "VALUES (1, ?, 'x', ?)",
                     list(enumerate(kept + to_embed + [stale, gone, no_audio])))
    conn.commit()

    def every_track_lacking_a_vector(*_args):
        raise AssertionError("read every track of the library lacking a vector")

    monkeypatch.setattr(queries, "tracks_needing_embedding", every_track_lacking_a_vector)
    data = GraphData.from_library(conn, MODEL, audio_version="v1")
    assert len(data.memberships) == len(kept)
    assert data.embeddable_left_out == len(to_embed) + 1  # the stale one too
