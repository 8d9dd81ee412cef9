"""The window's empty-list notes speak of the track the user selected: the search's own notes
say "the query track" (a QUERY typed to ``similar``), and the window showed them as they were
— "the query track has no audio embedding" under a track just clicked on the map. Every note
is a whole sentence, as "No graph model yet." beside it: the panel shows them as given."""

from __future__ import annotations

import pytest

from musicsage.controllers.selection import NO_GRAPH_NOTE, empty_list_note, missing_note
from musicsage.search.similar import no_vector_note
from musicsage.search.types import SimilarResult


def _result(notes: dict[str, str]) -> SimilarResult:
    return SimilarResult(query={"track_id": 3, "title": "Sine", "artist": None}, notes=notes)


def test_no_vector_notes_name_this_track():
    result = _result({"graph": no_vector_note("graph"), "audio": no_vector_note("audio")})
    for space in ("graph", "audio"):
        note = empty_list_note(result, space, graph_available=True, missing=0)
        assert note.startswith(f"This track has no {space} embedding"), note
        assert "query" not in note
        assert "(use Analyse ▸ Compute embeddings)." in note or "(press Retrain)." in note


def test_a_copy_of_the_selected_track_is_a_copy_of_this_track():
    note = ("nothing to list: the only other track with an audio vector is a copy of the "
            "query track (#56), which is never listed")
    shown = empty_list_note(_result({"audio": note}), "audio", graph_available=True,
                            missing=0)
    assert shown == ("Nothing to list: the only other track with an audio vector is a copy "
                     "of this track (#56), which is never listed.")


def test_the_note_of_a_list_without_its_own_note_names_this_track_too():
    """A list empty with no note of its own shows every note of the search on one line: it
    still read "graph: the query track has no graph embedding …"."""
    result = _result({"graph": no_vector_note("graph")})
    shown = empty_list_note(result, "audio", graph_available=True, missing=0)
    assert "query" not in shown and "this track has no graph embedding" in shown, shown


@pytest.mark.parametrize("notes, space, available, missing", [
    ({"audio": no_vector_note("audio")}, "audio", True, 0),
    ({"audio": "analysing its file failed: Error opening file."}, "audio", True, 0),
    ({"graph": no_vector_note("graph")}, "audio", True, 0),  # the one-line fallback
    ({}, "graph", False, 0),
    ({}, "audio", True, 0),
    ({}, "audio", True, 4),
])
def test_every_note_is_a_whole_sentence(notes, space, available, missing):
    note = empty_list_note(_result(notes), space, graph_available=available, missing=missing)
    assert note[:1].isupper() and note.endswith("."), note
    assert not note.endswith(".."), note
    if not available:
        assert note == NO_GRAPH_NOTE
    if missing and not notes:
        assert note == missing_note(missing)
