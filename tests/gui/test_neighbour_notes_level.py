"""A track with neither list (no embeddings, no graph model yet) shows a note in each column.
The audio note sat centred in its column, well below the graph note beside it, and began in
lower case ("no audio embeddings yet (use …)") beside "No graph model yet.": two notes of one
panel that read as if from two programs. Both are sentences now, level with each other."""

from __future__ import annotations

from musicsage.gui.neighbours import NeighboursPanel
from musicsage.search.types import SimilarResult

NOTES = {"graph": "the query track has no graph embedding (press Retrain)",
         "audio": "no audio embeddings yet (use Analyse ▸ Compute embeddings)"}


def _top(label, panel) -> int:
    return label.mapTo(panel, label.rect().topLeft()).y()


def test_both_notes_are_sentences_at_the_same_height(qtbot):
    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    panel.resize(800, 600)  # side by side
    panel.show()
    result = SimilarResult(query={"track_id": 7, "title": "Sine", "artist": None},
                           notes=dict(NOTES))
    panel.show_result(result, dict(NOTES))
    qtbot.waitUntil(panel.audio_note.isVisible)
    assert panel.graph_note.text() == "The query track has no graph embedding (press Retrain)"
    assert panel.audio_note.text() == ("No audio embeddings yet "
                                       "(use Analyse ▸ Compute embeddings)")
    # level, give or take the Retrain button under the graph note
    assert abs(_top(panel.graph_note, panel) - _top(panel.audio_note, panel)) \
        <= panel.retrain_button.height()

    panel.show_notes({"audio": "no audio embeddings yet (being computed now)"})
    assert panel.audio_note.text() == "No audio embeddings yet (being computed now)"
