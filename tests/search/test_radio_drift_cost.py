"""A drifting radio picks one track at a time, each the best neighbour of the last one
queued. Each step asked the index for three times as many candidates as the whole queue so
far (the list's full length, not the one row it still lacked), so a long drift cost the
square of its length: 1,200 tracks on a 6,300-track library took 20 s instead of 2. Each
step now fetches what one row needs, and the queue is the same."""

from __future__ import annotations

from search_helpers import clustered_vectors

from musicsage.search.index import CosineIndex
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
