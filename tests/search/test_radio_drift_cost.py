"""A drifting radio picks one track at a time, each the best neighbour of the last one
queued. Each step asked the index for three times as many candidates as the whole queue so
far (the list's full length, not the one row it still lacked), so a long drift cost the
square of its length: 1,200 tracks on a 6,300-track library took 20 s instead of 2. Each
step now fetches what one row needs, and the queue is the same.

Each step also gathered the rows of the whole queue so far (and of the missing files) into a
new set, in the neighbour list and again in the index, which made a walk through the whole
library quadratic all the same: 8,000 tracks took 26 s, 20,000 four minutes. The walk now
keeps one mask of the rows it skips, marking each track as it queues it (the queue is the
one the old walk made: test_radio_drift_same_queue.py)."""

from __future__ import annotations

import numpy as np
from search_helpers import clustered_vectors

from musicsage.search.index import CosineIndex, SpaceIndex
from musicsage.usecases.radio import radio_tracks
from musicsage.usecases.spaces import SearchSpaces


def test_each_drift_step_fetches_a_few_candidates_not_the_queue_so_far(ctx, library,
                                                                       monkeypatch):
    library.add(400)
    library.embed(clustered_vectors(400, clusters=8, seed=3))
    fetched: list[int] = []
    search = CosineIndex.search_excluding

    def counting(self, query, k, excluded_rows=()):
        fetched.append(int(k))
        return search(self, query, k, excluded_rows)

    monkeypatch.setattr(CosineIndex, "search_excluding", counting)
    length = 150
    queue = radio_tracks(ctx, library.ids[0], length=length, mode="drift").tracks

    assert len(queue) == length
    assert len({t["track_id"] for t in queue}) == length and library.ids[0] not in {
        t["track_id"] for t in queue}
    assert max(fetched) < 60  # was 3 × the queue so far + 10 at each step (up to 250 here)
    # each step picked the best neighbour of the track before it that was not yet queued
    for i, row in enumerate(queue):
        before = library.ids[0] if i == 0 else queue[i - 1]["track_id"]
        assert row["picked_from"] == before
    last = queue[-2]["track_id"]
    space = SearchSpaces(ctx).get("audio")
    taken = {library.ids[0], *(t["track_id"] for t in queue[:-1])}
    best = next(t for t, _s in space.neighbours(last, len(library.ids)) if t not in taken)
    assert queue[-1]["track_id"] == best


def test_a_drift_step_does_not_go_through_the_queue_so_far(ctx, library, monkeypatch):
    library.add(400)
    library.embed(clustered_vectors(400, clusters=8, seed=5))
    for track_id in library.ids[::25]:
        library.set_missing(track_id)
    looked_up: list[int] = []
    handed: list[int] = []
    row_of, search = SpaceIndex.row_of, CosineIndex.search_excluding

    def counting_rows(self, track_id):
        looked_up.append(int(track_id))
        return row_of(self, track_id)

    def counting_search(self, query, k, excluded_rows=()):
        # a mask is looked at where the hits are; row numbers are gathered one by one
        if not isinstance(excluded_rows, np.ndarray) or excluded_rows.dtype != bool:
            excluded_rows = list(excluded_rows)
            handed.append(len(excluded_rows))
        return search(self, query, k, excluded_rows)

    monkeypatch.setattr(SpaceIndex, "row_of", counting_rows)
    monkeypatch.setattr(CosineIndex, "search_excluding", counting_search)
    queue = radio_tracks(ctx, library.ids[0], length=10_000, mode="drift").tracks

    assert len(queue) > 300  # the whole library but its missing files
    # a few look-ups per track queued, not one per track queued so far at every step
    # (the queue and the 16 missing files, again at each step: 86,628 in all)
    assert len(looked_up) < 5 * len(library.ids)
    assert sum(handed) < 5 * len(library.ids)
