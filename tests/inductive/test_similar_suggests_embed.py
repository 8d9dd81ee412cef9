"""``similar`` on a track the current graph model never placed (a ``models --use`` stopped
before it placed the new tracks): the model can place it, so the note points at ``embed``,
seconds of work — it pointed at Retrain, minutes, and not needed."""

from __future__ import annotations

from musicsage.usecases.embedding import embed_library
from musicsage.usecases.search import similar_tracks


def test_a_track_the_model_can_place_is_pointed_at_embed_not_retrain(trained, add_music,
                                                                     monkeypatch):
    import musicsage.usecases.inductive as inductive

    ctx = trained
    new = add_music(ctx)
    with monkeypatch.context() as patch:  # stopped before the new tracks were placed
        patch.setattr(inductive, "embed_new_tracks",
                      lambda *a, **k: inductive.InductiveReport(None))
        embed_library(ctx, "spectral")

    note = similar_tracks(ctx, new[0]).notes["graph"]
    assert "musicsage embed" in note and "Retrain" not in note

    embed_library(ctx, "spectral")  # what the note says: the track has its list now
    assert similar_tracks(ctx, new[0]).graph
