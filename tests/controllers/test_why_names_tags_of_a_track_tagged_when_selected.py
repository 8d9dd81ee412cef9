"""A track with no tags kept is tagged when selected, beside the lookup of its neighbours:
that lookup did not know its tags, so the first time it was selected "why" named no tag it
shares with its tagged neighbours (selecting it again did). The lists are now explained again
once its tags arrive."""

from __future__ import annotations

import pytest

from musicsage.library.tag_cache import store_tags
from musicsage.usecases.tags import EXPLAIN_TAG_MODEL, _facts


@pytest.fixture
def musicnn_stand_in(library, monkeypatch):
    import musicsage.audio.musicnn.tagger as tagger_mod

    monkeypatch.setattr(tagger_mod, "tag_probabilities",
                        lambda *_a, **_k: [("rock", 0.9), ("guitar", 0.5)])
    return library


def test_the_first_selection_names_shared_tags(musicnn_stand_in, make_app, recorder):
    ctx = musicnn_stand_in
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    query = app.library.snapshot.tracks[0].id
    others = [t.id for t in app.library.snapshot.tracks if t.id != query]
    for fact in _facts(ctx, others).values():
        assert store_tags(ctx.cache_dir, fact, EXPLAIN_TAG_MODEL, [("rock", 0.8)])
    lists = recorder(app.selection.neighbours_loaded)

    app.selection.select(query, play=False)
    runner.drain()

    result = lists.last[0]
    assert result.query["track_id"] == query and result.audio
    listed = result.audio[0]["track_id"]
    assert "tags: rock" in app.selection.why("audio", listed)


def test_a_library_never_tagged_looks_the_neighbours_up_once(musicnn_stand_in, make_app,
                                                             monkeypatch):
    import musicsage.controllers.selection as selection

    lookups: list[int] = []
    real = selection.similar_tracks

    def counted(ctx, query, *args, **kwargs):
        lookups.append(query)
        return real(ctx, query, *args, **kwargs)

    monkeypatch.setattr(selection, "similar_tracks", counted)
    app, runner = make_app(musicnn_stand_in)
    app.library.reload()
    runner.drain()
    query = app.library.snapshot.tracks[0].id

    app.selection.select(query, play=False)  # tagged when selected; none of its neighbours is
    runner.drain()

    assert lookups == [query], "no neighbour has tags: explaining again names none"
