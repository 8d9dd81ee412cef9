"""Importing a library's own export back re-stored every vector with a new ``created_at``, and
a graph model counts a track re-stamped after training read the library as one it never saw:
``stats`` said "240 tracks not seen in training" and the next embed placed them all with the
saved model instead of using their trained vectors. A vector imported as it is stored (same
model, version and bytes) now keeps its row; another vector or version is still a change."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from library_audio import write_audio

from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.usecases.graph_vectors import unseen_tracks
from musicsage.usecases.library import export_dataset, import_dataset, scan_library

OLD = "2000-01-01T00:00:00.000Z"  # when the vectors were made
READ_AT = "2001-01-01T00:00:00.000Z"  # when a graph model's training read the library


@pytest.fixture
def library(ctx, tmp_path) -> tuple[Path, Path]:
    """Three scanned files with vectors stamped before a training read them; exported."""
    music = tmp_path / "music"
    for name in "abc":
        write_audio(music / f"{name}.flac", seconds=0.2, tags={"title": f"Song {name}"})
    scan_library(ctx, [music])
    conn = connect(ctx)
    rng = np.random.default_rng(0)
    q.store_embeddings(conn, ((t["id"], rng.normal(size=8)) for t in q.all_tracks(conn)),
                       "spectral", "spectral-v1")
    conn.execute("UPDATE audio_embeddings SET created_at = ?", (OLD,))
    conn.commit()
    export_dataset(ctx, tmp_path / "x")
    return music, tmp_path / "x"


def model(ctx, tmp_path) -> SimpleNamespace:
    """A graph model trained on every track of the library, as ``unseen_tracks`` reads it."""
    ids, _ = q.embedding_times(connect(ctx), "spectral")
    d = tmp_path / "model"
    d.mkdir(exist_ok=True)
    np.save(d / "track_ids.npy", ids)
    return SimpleNamespace(audio_model="spectral", dir=d, created_at=READ_AT,
                           params={"library_read_at": READ_AT})


def stamps(ctx) -> dict[int, str]:
    ids, times = q.embedding_times(connect(ctx), "spectral")
    return dict(zip(ids.tolist(), times))


def test_importing_the_librarys_own_export_leaves_its_vectors_as_they_are(ctx, library,
                                                                          tmp_path):
    music, exported = library
    info = model(ctx, tmp_path)
    before = q.get_embeddings(connect(ctx), "spectral")
    assert set(stamps(ctx).values()) == {OLD} and len(unseen_tracks(connect(ctx), info)[0]) == 0
    rep = import_dataset(ctx, exported)
    assert (rep.tracks, rep.features) == (3, (3, 8))
    assert set(stamps(ctx).values()) == {OLD}
    assert len(unseen_tracks(connect(ctx), info)[0]) == 0  # every track still seen
    after = q.get_embeddings(connect(ctx), "spectral")
    assert after[0].tolist() == before[0].tolist() and np.array_equal(after[1], before[1])
    rep = scan_library(ctx, [music])  # and the scan after it changes nothing either
    assert (rep.updated, rep.unchanged) == (0, 3)
    assert set(stamps(ctx).values()) == {OLD}
    assert len(unseen_tracks(connect(ctx), info)[0]) == 0


def test_another_vector_or_version_imported_is_still_a_change(ctx, library, tmp_path):
    _, exported = library
    info = model(ctx, tmp_path)
    conn = connect(ctx)
    a, b, c = sorted(stamps(ctx))
    # since the export: a's vector re-computed, b's stored under another version
    conn.execute("UPDATE audio_embeddings SET vector = ? WHERE track_id = ?",
                 (np.ones(8, "<f4").tobytes(), a))
    conn.execute("UPDATE audio_embeddings SET model_version = 'spectral-v0' WHERE track_id = ?",
                 (b,))
    conn.commit()
    import_dataset(ctx, exported)
    now = stamps(ctx)
    assert now[c] == OLD and now[a] > READ_AT and now[b] > READ_AT
    assert sorted(unseen_tracks(connect(ctx), info)[0].tolist()) == [a, b]
    assert q.embedding_versions(connect(ctx), "spectral") == {t: "spectral-v1" for t in now}
    vectors = dict(zip(*q.get_embeddings(connect(ctx), "spectral")))
    assert not np.array_equal(vectors[a], np.ones(8))  # the export's vector again
