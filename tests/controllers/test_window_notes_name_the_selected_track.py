"""The window's empty-list notes speak of the track the user selected: the search's own notes
say "the query track" (a QUERY typed to ``similar``), and the window showed them as they were
— "the query track has no audio embedding" under a track just clicked on the map."""

from __future__ import annotations

from musicsage.controllers.selection import empty_list_note
from musicsage.search.similar import no_vector_note
from musicsage.search.types import SimilarResult


def _result(notes: dict[str, str]) -> SimilarResult:
    return SimilarResult(query={"track_id": 3, "title": "Sine", "artist": None}, notes=notes)


def test_no_vector_notes_name_this_track():
    result = _result({"graph": no_vector_note("graph"), "audio": no_vector_note("audio")})
    for space in ("graph", "audio"):
        note = empty_list_note(result, space, graph_available=True, missing=0)
        assert note.startswith(f"this track has no {space} embedding"), note
        assert "query" not in note
        assert "(use Analyse ▸ Compute embeddings)" in note or "Retrain" in note


def test_a_copy_of_the_selected_track_is_a_copy_of_this_track():
    note = ("nothing to list: the only other track with an audio vector is a copy of the "
            "query track (#56), which is never listed")
    shown = empty_list_note(_result({"audio": note}), "audio", graph_available=True,
                            missing=0)
    assert shown == ("nothing to list: the only other track with an audio vector is a copy "
                     "of this track (#56), which is never listed")
