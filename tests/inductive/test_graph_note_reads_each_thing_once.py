"""The graph note of a track the model has not placed (:func:`other_settings_note`) asks, in
turn, whether model.pt is a newer musicsage's, whether no file can be analysed and whether
the analysis settings moved on; each asked the library again for the tracks' vectors (up to
three times), the current model and the library's audio model (a count of every vector).
They are read once per note now, the words unchanged."""

from __future__ import annotations

import pytest

from musicsage.errors import RESCAN_HINT, TRAIN_HINT
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.graph_unplaced import other_settings_note

READS = (("musicsage.library.track_versions", "versions_of"),
         ("musicsage.graph.store", "current_model"),
         ("musicsage.audio.selection", "current_model_id"))


@pytest.fixture
def reads(monkeypatch) -> dict[str, int]:
    """How many times each of :data:`READS` was called."""
    import importlib

    counts = {name: 0 for _module, name in READS}
    for module, name in READS:
        real = getattr(importlib.import_module(module), name)

        def counted(*args, _real=real, _name=name, **kwargs):
            counts[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(f"{module}.{name}", counted)
    return counts


def test_each_is_read_once_per_note(trained, add_music, reads):
    from musicsage.library.db import connect

    new = add_music(trained)
    embed_library(trained, "spectral", max_seconds=20)  # every track of other settings
    conn = connect(trained)
    with conn:  # a track added since, never embedded, then missing
        conn.execute("DELETE FROM audio_embeddings WHERE track_id = ?", (new[0],))
        conn.execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (new[0],))
    expected = {
        new[0]: ("the query track has no graph embedding yet: its file is missing: once it is "
                 f"back, a rescan ({RESCAN_HINT}), an embed and a training ({TRAIN_HINT}) "
                 "place it"),
        new[1]: ("the query track has no graph embedding: graph model 1 places new tracks only "
                 "by spectral vectors of the analysis settings it was trained on, and the "
                 f"library's are now of other settings: train again on them ({TRAIN_HINT})")}
    for track, words in expected.items():
        for name in reads:
            reads[name] = 0
        assert other_settings_note(trained, "the query track", [track]) == words
        assert reads == {"versions_of": 1, "current_model": 1, "current_model_id": 1}, track
