"""A track with neither list (no embeddings, no graph model yet) shows a note in each column.
The audio note sat centred in its column, well below the graph note beside it, and began in
lower case ("no audio embeddings yet (use …)") beside "No graph model yet.": two notes of one
panel that read as if from two programs. Both are whole sentences now, each with its full
stop, level with each other; the panel shows the notes the window's controller makes."""

from __future__ import annotations

from musicsage.controllers.selection import empty_list_note
from musicsage.gui.neighbours import NeighboursPanel
from musicsage.search.similar import no_vector_note
from musicsage.search.types import SimilarResult

RESULT = SimilarResult(query={"track_id": 7, "title": "Sine", "artist": None},
                       notes={"graph": no_vector_note("graph"), "audio": no_vector_note("audio")})


def _notes(embedding: bool = False) -> dict[str, str]:
    """The notes the window gives the panel (:meth:`SelectionController.empty_notes`)."""
    return {space: empty_list_note(RESULT, space, graph_available=True, missing=0,
                                   embedding=embedding) for space in ("graph", "audio")}


def _top(label, panel) -> int:
    return label.mapTo(panel, label.rect().topLeft()).y()


def test_both_notes_are_sentences_at_the_same_height(qtbot):
    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    panel.resize(800, 600)  # side by side
    panel.show()
    panel.show_result(RESULT, _notes())
    qtbot.waitUntil(panel.audio_note.isVisible)
    assert panel.graph_note.text() == "This track has no graph embedding (press Retrain)."
    assert panel.audio_note.text() == ("This track has no audio embedding "
                                       "(use Analyse ▸ Compute embeddings).")
    # level, give or take the Retrain button under the graph note
    assert abs(_top(panel.graph_note, panel) - _top(panel.audio_note, panel)) \
        <= panel.retrain_button.height()

    panel.show_notes(_notes(embedding=True))  # an embedding run started
    assert panel.audio_note.text().startswith("This track has no audio embedding (being "
                                              "computed now")
    assert panel.audio_note.text().endswith(".")
