"""A query track added after training, before its embed (the usual track without a graph
vector), is told what ``unplaced_note`` always told it, at the cost it always had: the check
for a library analysed with other settings than training's read the library's version — a
read of every stored vector, 35–100 ms on a 50,000-track library, for every similar, radio
refill and map — before looking at the query's own tracks, which already answer it."""

from __future__ import annotations

import musicsage.library.queries as queries
from musicsage.errors import EMBED_HINT
from musicsage.usecases.embedding import unplaced_note
from musicsage.usecases.graph_unplaced import other_settings_note


def test_a_new_track_before_its_embed_reads_no_library_version(trained, add_music,
                                                               monkeypatch):
    new = add_music(trained)

    def every_vector(*_a, **_k):
        raise AssertionError("the library's version was read: every stored vector")
    monkeypatch.setattr(queries, "shown_version", every_vector)

    assert other_settings_note(trained, "the query track", new[:1]) is None
    assert EMBED_HINT in unplaced_note(trained, "the query track", new[:1])
