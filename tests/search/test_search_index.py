"""The cosine index: agreement with exact search, persistence, invalidation, corrupt files."""

from __future__ import annotations

import json

import numpy as np
import pytest

from musicsage.search.fingerprint import embedding_fingerprint
from musicsage.search.index import INDEX_FILE, META_FILE, CosineIndex, IndexParams, SpaceIndex

HNSW = IndexParams(exact_below=0)  # force the hnsw engine on small test data


def brute_force(matrix: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    m = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    q = queries / np.linalg.norm(queries, axis=1, keepdims=True)
    return np.argsort(-(q @ m.T), axis=1, kind="stable")[:, :k]


@pytest.fixture
def vectors() -> np.ndarray:
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(8, 24)) * 2
    return (centres[rng.integers(0, 8, 1500)] + rng.normal(size=(1500, 24))).astype(np.float32)


def test_exact_and_hnsw_agree_with_brute_force(vectors):
    truth = brute_force(vectors, vectors[:200], 10)
    for index in (CosineIndex.build(vectors), CosineIndex.build(vectors, params=HNSW)):
        rows, scores = index.search(vectors[:200], 10)
        recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(rows, truth)])
        assert recall >= 0.99, index.kind
        # scores are cosine similarities, best first, the query itself at 1
        assert np.allclose(scores[:, 0], 1.0, atol=1e-5)
        assert np.all(np.diff(scores, axis=1) <= 1e-6)
        i, j = 3, rows[3, 4]
        cos = vectors[i] @ vectors[j] / np.linalg.norm(vectors[i]) / np.linalg.norm(vectors[j])
        assert scores[3, 4] == pytest.approx(cos, abs=1e-5)


def test_zero_vectors_score_zero_and_never_nan():
    m = np.eye(4, dtype=np.float32)
    m[2] = 0.0
    for index in (CosineIndex.build(m), CosineIndex.build(m, params=HNSW)):
        rows, scores = index.search(m[0], 4)
        assert np.isfinite(scores).all()
        assert dict(zip(rows[0].tolist(), scores[0].tolist()))[2] == pytest.approx(0.0)


def test_search_excluding_still_returns_k(vectors):
    index = CosineIndex.build(vectors, params=HNSW)
    top, _ = index.search(vectors[0], 30)
    excluded = top[0][:25].tolist()  # the 25 best are all unplayable
    rows, _ = index.search_excluding(vectors[0], 10, excluded)
    assert len(rows) == 10 and not set(rows.tolist()) & set(excluded)
    # k larger than what is left: everything left, nothing excluded
    rows, _ = CosineIndex.build(vectors[:12]).search_excluding(vectors[0], 50, [0, 1])
    assert sorted(rows.tolist()) == list(range(2, 12))


def test_asking_hnsw_for_most_of_a_library_with_silent_tracks_answers_exactly():
    """hnswlib raised "Cannot return the results" when the walk could not reach k rows (zero
    vectors of silent files have no edges worth following): `similar -k` or a long radio on
    a large library crashed. The answer is the exact one."""
    rng = np.random.default_rng(1)
    m = rng.normal(size=(1000, 8)).astype(np.float32)
    m[-200:] = 0.0
    rows, scores = CosineIndex.build(m, params=HNSW).search(m[0], 999)
    exact_rows, exact_scores = CosineIndex.build(m).search(m[0], 999)
    assert rows.shape == (1, 999) and len(set(rows[0].tolist())) == 999
    np.testing.assert_allclose(scores, exact_scores, atol=1e-5)
    assert rows[0][:10].tolist() == exact_rows[0][:10].tolist()


def _space(tmp_path, vectors, ids=None, model="m1"):
    ids = np.arange(100, 100 + len(vectors)) if ids is None else ids
    return SpaceIndex("audio", ids, vectors, model_id=model, directory=tmp_path / "audio",
                      params=HNSW)


def test_index_is_saved_loaded_and_rebuilt_only_on_change(tmp_path, vectors):
    first = _space(tmp_path, vectors)
    assert first.status is None  # lazy: nothing happens before the first query
    hits = first.neighbours(100, 5)
    assert first.status == "built" and (tmp_path / "audio" / INDEX_FILE).is_file()

    again = _space(tmp_path, vectors)
    assert again.neighbours(100, 5) == hits and again.status == "loaded"

    changed = vectors.copy()
    changed[7] += 1.0  # one re-embedded track
    assert embedding_fingerprint(np.arange(100, 1600), changed, "m1") != first.fingerprint
    moved = _space(tmp_path, changed)
    moved.neighbours(100, 5)
    assert moved.status == "rebuilt"
    assert json.loads((tmp_path / "audio" / META_FILE).read_text())["fingerprint"] == \
        moved.fingerprint

    # another model with identical vectors is another fingerprint too
    other = _space(tmp_path, changed, model="m2")
    other.neighbours(100, 5)
    assert other.status == "rebuilt"


@pytest.mark.parametrize("damage", ["truncate", "garbage", "bad-meta", "no-index", "meta-lies"])
def test_corrupt_index_file_is_rebuilt_not_fatal(tmp_path, vectors, damage):
    good = _space(tmp_path, vectors)
    expected = good.neighbours(100, 10)
    index_file, meta_file = tmp_path / "audio" / INDEX_FILE, tmp_path / "audio" / META_FILE
    data = index_file.read_bytes()
    if damage == "truncate":
        index_file.write_bytes(data[: len(data) // 3])
    elif damage == "garbage":
        index_file.write_bytes(np.random.default_rng(0).bytes(len(data)))
    elif damage == "bad-meta":
        meta_file.write_text("{not json")
    elif damage == "no-index":
        index_file.unlink()
    elif damage == "meta-lies":  # the digest matches nothing: e.g. an index from another copy
        meta = json.loads(meta_file.read_text())
        meta["file"]["mac"] = "0" * 32
        meta_file.write_text(json.dumps(meta))

    fresh = _space(tmp_path, vectors)
    hits = fresh.neighbours(100, 10)
    assert fresh.status == "rebuilt"
    assert [t for t, _ in hits] == [t for t, _ in expected]
    # and the rebuilt file is good again
    third = _space(tmp_path, vectors)
    third.neighbours(100, 10)
    assert third.status == "loaded"


def test_small_spaces_use_exact_search_and_write_nothing(tmp_path, vectors):
    space = SpaceIndex("graph", np.arange(50), vectors[:50], model_id="g", directory=tmp_path / "g")
    assert len(space.neighbours(0, 5)) == 5
    assert space.status == "exact" and not (tmp_path / "g").exists()


def test_neighbours_exclude_the_query_and_given_ids(tmp_path, vectors):
    space = _space(tmp_path, vectors)
    first = [t for t, _ in space.neighbours(100, 5)]
    assert 100 not in first
    second = [t for t, _ in space.neighbours(100, 5, exclude_ids=first[:2])]
    assert second[:3] == first[2:] and not set(first[:2]) & set(second)


@pytest.mark.parametrize("params", [IndexParams(), HNSW], ids=["exact", "hnsw"])
def test_knn_graph_puts_each_point_first_even_with_duplicates(tmp_path, vectors, params):
    dup = np.vstack([vectors[:40], vectors[:40]])  # every vector twice
    space = SpaceIndex("audio", np.arange(80), dup, model_id="m", directory=tmp_path / "d",
                       params=params)
    rows, dists = space.knn_graph(5)
    assert (rows[:, 0] == np.arange(80)).all() and (dists[:, 0] == 0).all()
    assert (dists >= 0).all() and (np.diff(dists, axis=1) >= -1e-6).all()
    for i in range(80):  # each point's twin is among its neighbours
        assert (i + 40) % 80 in rows[i]
