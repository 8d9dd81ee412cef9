"""A drifting radio keeps one mask of the rows it skips, marking each track as it queues it,
where it rebuilt the set of its whole queue (and the library's missing files) at every step:
a walk through 20,000 tracks took 4 minutes, most of it in that rebuilding. The queue must
be the very one the old walk made: these tests keep the old walk (below, as it was) and
compare both on seeded libraries — ties, silent files, copies, missing files, one per
artist, a queue being extended, the exact and the hnsw engine."""

from __future__ import annotations

import numpy as np
import pytest
from search_helpers import add_track

import musicsage.search.index as search_index
from musicsage.library.queries import present_track_ids, store_embeddings, track_summaries
from musicsage.search.lists import ListCurator, curate, ranked_candidates
from musicsage.search.radio import radio_rows
from musicsage.search.same_file import TrackFiles
from musicsage.search.scoring import centroid
from musicsage.search.similar import unplayable_ids
from musicsage.usecases.spaces import SearchSpaces


def _old_search_excluding(index, query, k, excluded_rows):
    """``CosineIndex.search_excluding`` as it was: the excluded rows as a set, every call."""
    excluded = set(int(r) for r in excluded_rows)
    want = min(k, index.n - sum(1 for r in excluded if 0 <= r < index.n))
    fetch = min(index.n, k + min(len(excluded), 4 * k + 16))
    while True:
        rows, scores = index.search(query, fetch)
        rows, scores = rows[0], scores[0]
        keep = np.fromiter((int(r) not in excluded for r in rows), bool, len(rows))
        if keep.sum() >= want or fetch >= index.n:
            return rows[keep][:k], scores[keep][:k]
        fetch = min(index.n, fetch * 2)


def _old_step(conn, space, last, queue, present, curator):
    """One step of the old walk: ``similar.curated_rows`` as it was, for one vector."""
    unplayable, _ = unplayable_ids(conn, space, present)
    excluded = {r for r in (space.row_of(t) for t in [*queue, *unplayable.tolist()])
                if r is not None}
    vector = centroid(np.atleast_2d(np.asarray(space.vector_of(last), np.float32)))

    def search(fetch):
        rows, scores = _old_search_excluding(space.index, vector, fetch, excluded)
        return [(int(space.track_ids[r]), float(s)) for r, s in zip(rows, scores)]

    n = len(space) - len(excluded)
    curate(ranked_candidates(search, max(curator.k - len(curator.rows), 1), max(n, 0)),
           lambda ids: track_summaries(conn, ids), curator)


def _old_drift(conn, space, seed_id, length, after=(), variety=False):
    """``radio._picked_rows`` in drift mode as it was."""
    queue = [int(seed_id), *(int(t) for t in after if int(t) != int(seed_id))]
    queued_rows = list(track_summaries(conn, queue).values())
    present = present_track_ids(conn)
    files = TrackFiles(conn)
    curator = ListCurator(0, anchors=queued_rows, variety=variety,
                          taken_artists=[r.get("artist") for r in queued_rows],
                          contents=files, same_file=files.same)
    last = next((t for t in reversed(queue) if space.row_of(t) is not None), int(seed_id))
    out = []
    while len(out) < length:
        curator.k += 1
        _old_step(conn, space, last, queue, present, curator)
        if len(curator.rows) == len(out):
            break
        out.append({**curator.rows[-1], "picked_from": last})
        queue.append(int(out[-1]["track_id"]))
        last = int(out[-1]["track_id"])
    return out, curator.same_artist_left_out


def _library(ctx, conn, seed: int, n: int) -> list[int]:
    """``n`` tracks of ``seed``'s making: clustered vectors, some of them tied (one song
    imported twice, its tags the same or not), silent files (zero vectors), missing files,
    untagged tracks, few artists (one per artist runs out of them)."""
    rng = np.random.default_rng(seed)
    ids = []
    for i in range(n):
        tagged = rng.random() > 0.1
        ids.append(add_track(conn, f"/music/{seed}/t{i:04d}.wav",
                             title=f"Song {rng.integers(0, n * 3 // 4)}" if tagged else None,
                             artist=f"Artist {rng.integers(0, 12)}" if tagged else None,
                             status="missing" if rng.random() < 0.08 else "present"))
    centres = rng.normal(size=(6, 12)) * 2
    vectors = (centres[rng.integers(0, 6, n)] + rng.normal(size=(n, 12))).astype(np.float32)
    twins = rng.choice(n, size=(n // 10, 2), replace=False)
    vectors[twins[:, 1]] = vectors[twins[:, 0]]  # ties, in the middle of the walk too
    vectors[rng.choice(n, size=n // 30, replace=False)] = 0.0  # silent files
    store_embeddings(conn, zip(ids, vectors), "spectral-test", "v1")
    return ids


def _compared(rows):
    return [(r["track_id"], r["score"], r["picked_from"]) for r in rows]


@pytest.mark.parametrize("engine", ["exact", "hnsw"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_drifting_radio_queues_what_it_queued_before(ctx, library, monkeypatch, engine,
                                                       seed):
    if engine == "hnsw":
        monkeypatch.setattr(search_index, "DEFAULT_PARAMS",
                            search_index.IndexParams(exact_below=0))
    conn = library.conn
    ids = _library(ctx, conn, seed, 260)
    space = SearchSpaces(ctx).get("audio")
    rng = np.random.default_rng(seed + 100)
    start = int(rng.choice(ids))
    after = [int(t) for t in rng.choice(ids, size=15, replace=False)]
    for kwargs in ({"length": 10_000}, {"length": 10_000, "variety": True},
                   {"length": 10_000, "after": after}, {"length": 40, "after": after,
                                                        "variety": True}):
        old, old_left = _old_drift(conn, space, start, **kwargs)
        new, new_left = radio_rows(conn, space, start, mode="drift", **kwargs)
        assert len(new) >= 10, kwargs  # a walk, not one step
        assert _compared(new) == _compared(old), kwargs
        assert new_left == old_left, kwargs
