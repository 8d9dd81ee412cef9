"""The empty graph list's note when no playlist entry names a track of the library: "import
some" misled a user whose imported playlists point elsewhere (Retrain says NO_RESOLVED)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from musicsage.controllers.selection import SelectionController, no_graph_note
from musicsage.controllers.tasks import Event
from musicsage.controllers.training import NO_RESOLVED
from musicsage.search.types import SimilarResult


def _notes(unresolved: int) -> dict[str, str]:
    playlist = SimpleNamespace(unresolved=unresolved)
    snap = SimpleNamespace(empty=False, graph_model=None, memberships=[], playlists=[playlist],
                           stats=SimpleNamespace(tracks=SimpleNamespace(missing=0)))
    app = SimpleNamespace(library=SimpleNamespace(snapshot=snap, audio_changed=Event(),
                                                  embedding_shown=False))
    result = SimilarResult(query={"track_id": 1}, audio=[{"track_id": 2}])
    return SelectionController(app).empty_notes(result)


@pytest.mark.parametrize("unresolved", [0, 3])
def test_no_memberships_says_import_only_where_none_was_imported(unresolved):
    note = _notes(unresolved)["graph"]
    assert note.startswith("No graph model yet.\nTraining one needs playlists")
    if unresolved:
        assert "import some" not in note and "match none of its tracks" in note
        assert note.endswith(NO_RESOLVED.removeprefix("Retrain ") + ".")
    else:
        assert note == no_graph_note(SimpleNamespace(empty=False, memberships=[], playlists=[]))
        assert "File ▸ Import playlists…" in note
