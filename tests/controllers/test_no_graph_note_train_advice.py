"""The empty graph list's note decided on its own what training needs, apart from
``train_advice`` (the model lines' one decision), and fell behind it: a library with enough
playlist memberships but no audio vectors yet read "Train one on your playlists…" above a
Retrain that could only fail. The note now says what ``train_advice`` says, worded as a note."""

from __future__ import annotations

from types import SimpleNamespace

from musicsage.controllers.selection import NO_GRAPH_NOTE, SelectionController, no_graph_note
from musicsage.controllers.tasks import Event
from musicsage.controllers.training import NO_VECTORS, train_advice
from musicsage.search.types import SimilarResult


def _snap(pairs, embeddings):
    return SimpleNamespace(graph_model=None, memberships=pairs, playlists=[], empty=False,
                           stats=SimpleNamespace(tracks=SimpleNamespace(missing=0),
                                                 embeddings=embeddings))


def _graph_note(snap) -> str:
    app = SimpleNamespace(library=SimpleNamespace(snapshot=snap, audio_changed=Event(),
                                                  embedding_shown=False))
    result = SimilarResult(query={"track_id": 1}, audio=[{"track_id": 2}])
    return SelectionController(app).empty_notes(result)["graph"]


ENOUGH = [(p, t) for p in range(4) for t in range(8)]


def test_no_audio_vectors_yet_is_said_instead_of_train_one():
    note = _graph_note(_snap(ENOUGH, {}))
    assert note == f"No graph model yet.\nTraining one {NO_VECTORS}."
    assert train_advice(_snap(ENOUGH, {})) == f"training one {NO_VECTORS}"


def test_the_note_says_what_train_advice_says():
    assert _graph_note(_snap(ENOUGH, {"spectral": 32})) == NO_GRAPH_NOTE  # Retrain trains
    for pairs in ([], ENOUGH[:5]):
        snap = _snap(pairs, {"spectral": 32})
        assert _graph_note(snap) == no_graph_note(snap)
        assert _graph_note(snap) == f"No graph model yet.\n{train_advice(snap)[:1].upper()}" \
                                    f"{train_advice(snap)[1:]}."
