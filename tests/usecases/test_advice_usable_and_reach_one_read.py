"""A window's reload counts the usable memberships and asks what training could keep with
one read of the shown version of the audio model's vectors (``usable_and_reach``): each read
it, about 20 ms apiece on a 20k-track library. The answers are the two functions' own."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "search"))
from search_helpers import AUDIO_MODEL, Library, add_playlist, clustered_vectors  # noqa: E402


def _library(ctx, tmp_path, playlists: int, embedded: int, other_version: int = 0) -> Library:
    lib = Library(ctx, tmp_path / "music")
    lib.add(30)
    lib.embed(clustered_vectors(embedded), lib.ids[:embedded])
    if other_version:
        from musicsage.library.queries import store_embeddings

        ids = lib.ids[embedded:embedded + other_version]
        store_embeddings(lib.conn, zip(ids, clustered_vectors(other_version)), AUDIO_MODEL,
                         "v2")
    for p in range(playlists):
        add_playlist(lib.conn, str(tmp_path / f"p{p}.m3u"), f"P{p}",
                     lib.ids[3 * p:3 * p + 3])
    lib.conn.commit()
    return lib


@pytest.mark.parametrize("playlists, embedded, other", [
    (0, 30, 0),   # no playlist
    (9, 30, 0),   # 27 memberships: it trains
    (2, 4, 0),    # too few, an embed can help
    (5, 10, 6),   # vectors of two versions
])
def test_the_same_answers_with_one_read_of_the_shown_version(ctx, tmp_path, monkeypatch,
                                                             playlists, embedded, other):
    import musicsage.library.queries as queries
    from musicsage.graph.reports import MIN_MEMBERSHIPS
    from musicsage.library.relations import usable_memberships
    from musicsage.usecases.training_reach import training_reach, usable_and_reach

    lib = _library(ctx, tmp_path, playlists, embedded, other)
    usable = usable_memberships(lib.conn, AUDIO_MODEL, up_to=MIN_MEMBERSHIPS)
    expected = (usable, training_reach(lib.conn, AUDIO_MODEL, usable))
    reads = []
    shown = queries.shown_version
    monkeypatch.setattr(queries, "shown_version", lambda *a: reads.append(a) or shown(*a))
    assert usable_and_reach(lib.conn, AUDIO_MODEL) == expected
    assert len(reads) == 1


def test_no_audio_model_reads_nothing(ctx, tmp_path, monkeypatch):
    import musicsage.library.queries as queries
    from musicsage.usecases.training_reach import training_reach, usable_and_reach

    lib = _library(ctx, tmp_path, 3, 0)
    monkeypatch.setattr(queries, "shown_version", lambda *a: pytest.fail("read"))
    assert usable_and_reach(lib.conn, None) == (0, training_reach(lib.conn, None, 0))
