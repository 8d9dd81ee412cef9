""":func:`~musicsage.usecases.left_out_notes.shown_not_current` builds the identity embed makes
now once where it is the version shown (task searchadv): it was built twice, once for the count
of what embed would analyse and once to compare (~11 ms for MusiCNN, on every read of the
audio space and every snapshot of the window), though the comparison alone answers there."""

from __future__ import annotations

import pytest


@pytest.fixture
def identities(ctx, monkeypatch) -> list[str]:
    """Every identity built, of model "m"; 3 tracks counted as still to be analysed."""
    import musicsage.audio.embedder as embedder
    import musicsage.library.queries as queries
    from musicsage.audio import selection

    built: list[str] = []

    def identity(model_id, _ctx, **_how):
        built.append(model_id)
        return model_id, "v2"

    monkeypatch.setattr(embedder, "embedder_identity", identity)
    monkeypatch.setattr(selection, "current_model_id", lambda _ctx: "m")
    monkeypatch.setattr(selection, "family_of", lambda _model: "m")
    monkeypatch.setattr(selection, "_budget", lambda *_a: (None, None))
    monkeypatch.setattr(queries, "count_tracks_needing_embedding", lambda *_a: (3, 3))
    monkeypatch.setattr(queries, "count_failed_needing_embedding", lambda *_a: 0)
    return built


def test_the_version_shown_being_current_builds_the_identity_once(ctx, identities):
    from musicsage.usecases.left_out_notes import shown_not_current

    assert shown_not_current(ctx, "m", "v2") is False
    assert identities == ["m"]


def test_another_version_shown_is_still_told(ctx, identities):
    from musicsage.usecases.left_out_notes import shown_not_current

    assert shown_not_current(ctx, "m", "v1") is True
