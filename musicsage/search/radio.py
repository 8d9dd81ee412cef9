"""Radio: a queue that keeps playing graph neighbours of a seed track.

Two ways to pick the next track (the window's setting, ``radio --mode``):

- ``close`` — the best-ranked neighbour *of the seed* not played yet: the queue stays around
  the seed and slowly widens;
- ``drift`` — the best neighbour *of the track just queued*: the queue wanders away step by
  step, as a DJ going from one record to the next.

Never a repeat: nothing already in the queue, and no copy of it (the same song under another
id, :mod:`musicsage.search.lists`); missing files are never queued. A queue is extended the
same way (``after``: what it holds), so the window can keep a radio playing.
"""

from __future__ import annotations

import sqlite3
from functools import partial
from typing import Sequence

from musicsage.errors import MusicsageError
from musicsage.library.queries import present_track_ids, track_summaries
from musicsage.search.index import SpaceIndex
from musicsage.search.lists import ListCurator
from musicsage.search.same_file import TrackFiles
from musicsage.search.scoring import too_few_to_score
from musicsage.search.similar import (anchor_search, curated_rows, excluded_rows,
                                      offer_best, unplayable_ids)

MODES = ("close", "drift")


def radio_rows(conn: sqlite3.Connection, space: SpaceIndex, seed_id: int, *, length: int,
               mode: str = "close", after: Sequence[int] = (), variety: bool = False
               ) -> tuple[list[dict], dict[str, int]]:
    """``length`` tracks to play after ``after`` (every track the radio queued so far, the
    queue last, in its order; the seed first when empty) in ``space``, picked by ``mode``;
    ``variety``: at most one track per artist in the queue (the seed and ``after`` included,
    so a refill brings no artist back), as "One per artist" shows a list.
    Each row: the track's fields, ``score`` (cosine to the track it was picked from; None in
    an audio space of two songs, whose cosine is always -1: :func:`~musicsage.search.scoring.
    too_few_to_score`) and ``picked_from`` (that track's id). Fewer rows when the library
    runs out. Also, with ``variety``, how many candidates were left out for an artist
    already queued or picked, by artist (:attr:`~musicsage.search.lists.ListCurator.
    same_artist_left_out`): a radio that ran out says so, and how to have them, not only "no
    more tracks"."""
    if mode not in MODES:
        raise MusicsageError(f"unknown radio mode {mode!r} (choose: {', '.join(MODES)})")
    if space.row_of(seed_id) is None:
        raise KeyError(seed_id)
    rows, left_out = _picked_rows(conn, space, seed_id, length=length, mode=mode, after=after,
                                  variety=variety)
    if too_few_to_score(space):  # two songs' audio cosine is always -1: a score that lies
        rows = [{**row, "score": None} for row in rows]
    return rows, left_out


def _picked_rows(conn: sqlite3.Connection, space: SpaceIndex, seed_id: int, *, length: int,
                 mode: str, after: Sequence[int], variety: bool
                 ) -> tuple[list[dict], dict[str, int]]:
    """:func:`radio_rows`' rows, each with the score it was picked by."""
    queue = [int(seed_id), *(int(t) for t in after if int(t) != int(seed_id))]
    queued_rows = list(track_summaries(conn, queue).values())
    present = present_track_ids(conn)
    files = TrackFiles(conn)
    curator_of = partial(ListCurator, anchors=queued_rows, variety=variety,
                         taken_artists=[r.get("artist") for r in queued_rows],
                         contents=files, same_file=files.same)
    if mode == "close":
        curator = curator_of(length)
        curated_rows(conn, space, space.vector_of(seed_id), exclude_ids=queue, present=present,
                     curator=curator)
        return ([{**r, "picked_from": int(seed_id)} for r in curator.rows],
                curator.same_artist_left_out)
    # one curator for the whole walk, a step at a time: it remembers the artists picked
    curator = curator_of(0)
    # and one mask of the rows skipped, each track queued marked as it is: rebuilt from the
    # queue at each step, it made a walk through a big library quadratic (20,000 tracks, 4 min)
    excluded = excluded_rows(space, [*queue, *unplayable_ids(conn, space, present)[0].tolist()])
    last = next((t for t in reversed(queue) if space.row_of(t) is not None), int(seed_id))
    out: list[dict] = []
    while len(out) < length:
        curator.k += 1
        offer_best(conn, anchor_search(space, space.vector_of(last), excluded)[0], excluded,
                   curator)
        if len(curator.rows) == len(out):
            break
        row = {**curator.rows[-1], "picked_from": last}
        out.append(row)
        last = int(row["track_id"])
        excluded[space.row_of(last)] = True
    return out, curator.same_artist_left_out
