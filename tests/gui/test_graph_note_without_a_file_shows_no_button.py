"""The empty graph list's note on a track with no audio vector and no file to analyse now
said "once it is back, a rescan (press Rescan) and an embed place it", or that it came from
a dataset dir with no audio file, over a Retrain button: a training of minutes, which places
no track without an audio vector. No button stands under such a note; the usual note keeps
its button (Compute embeddings, Retrain)."""

from __future__ import annotations

import pytest

from musicsage.controllers.selection import empty_list_note
from musicsage.errors import EMBED_HINT, RESCAN_HINT, TRAIN_HINT
from musicsage.gui.neighbours import NeighboursPanel
from musicsage.search.types import SimilarResult

START = "the query track has no graph embedding yet: "
NO_FILE = [  # graph_unplaced.no_file_note's words (the use case test holds them)
    f"{START}its file is missing: once it is back, a rescan ({RESCAN_HINT}) and an embed "
    "place it",
    f"{START}its file is missing: once it is back, a rescan ({RESCAN_HINT}), an embed and a "
    f"training ({TRAIN_HINT}) place it",
    f"{START}it was imported from a dataset dir, with no audio file to analyse",
    f"{START}none can be analysed now (1 of them is a missing file: once back, a rescan "
    f"({RESCAN_HINT}) and an embed place it; 1 of them imported from a dataset dir, with no "
    "audio file to analyse)",
]


def _panel(qtbot, note: str) -> NeighboursPanel:
    """A panel showing a track with no graph list under ``note`` (the search's note, in the
    window's words as the selection controller gives them)."""
    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    panel.resize(800, 600)
    panel.show()
    result = SimilarResult(query={"track_id": 7, "title": "Sine", "artist": None},
                           notes={"graph": note, "audio": "the query track has no audio "
                                  "embedding"})
    panel.show_result(result, {space: empty_list_note(result, space, graph_available=True,
                                                      missing=0)
                               for space in ("graph", "audio")})
    return panel


@pytest.mark.parametrize("note", NO_FILE)
def test_no_button_under_a_note_on_a_track_without_a_file(qtbot, note):
    panel = _panel(qtbot, note)
    assert "press Rescan" in panel.graph_note.text() or "dataset dir" in panel.graph_note.text()
    assert not panel.retrain_button.isVisibleTo(panel), panel.graph_note.text()


@pytest.mark.parametrize("note, button", [
    (f"{START}the graph model places new tracks without retraining ({EMBED_HINT})",
     "Compute embeddings"),
    (f"{START.replace(' yet', '')}graph model 1 was written by a newer musicsage (graph model "
     f"version 5; this one reads up to 4), so it places no new track here: a training makes "
     f"one this version reads ({TRAIN_HINT})", "Retrain")])
def test_the_usual_notes_keep_their_button(qtbot, note, button):
    panel = _panel(qtbot, note)
    assert panel.retrain_button.isVisibleTo(panel) and panel.retrain_button.text() == button


def test_the_button_comes_back_for_the_next_track(qtbot):
    panel = _panel(qtbot, NO_FILE[0])
    panel.show_notes({"graph": f"This track has no graph embedding yet: the graph model places "
                      "new tracks without retraining (use Analyse ▸ Compute embeddings)."})
    assert panel.retrain_button.isVisibleTo(panel)
