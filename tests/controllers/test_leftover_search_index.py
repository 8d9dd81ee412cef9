"""The first search after each re-read of the library built the search index of the new
snapshot while the user waited (0.25 s on 28,000 tracks): it is built as the snapshot comes
in, and a newer snapshot's build cancels the older one's."""

from __future__ import annotations

import pytest

from musicsage.library import browse
from musicsage.progress import Cancelled, CancelToken


def test_a_new_snapshot_is_indexed_before_anything_is_typed(library, make_app):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    index = browse.current_index()
    assert index is not None and index.tracks is app.library.snapshot.tracks
    first = app.library.snapshot.tracks
    app.library.reload()
    runner.drain()
    assert app.library.snapshot.tracks is not first
    index = browse.current_index()
    assert index is not None and index.tracks is app.library.snapshot.tracks, \
        "the newer snapshot replaces it"


def test_a_cancelled_build_keeps_the_index_it_would_have_replaced(library, make_app):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    kept = browse.current_index()
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        browse.search_in(list(app.library.snapshot.tracks), "", cancel=token)
    assert browse.current_index() is kept
