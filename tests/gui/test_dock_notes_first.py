"""The evaluation's notes in the training dock are read first.

A note that says the figures mean little ("only 43 evaluation pairs: too few …") stood under
the run's long status text, model line and all: in a 1024x640 window it was below the fold,
seen only by scrolling, while the table it qualifies was in full view. The notes now come
first in the dock's column of texts, whole (each still wraps; the column scrolls as before).
"""

from __future__ import annotations

import pytest

from gui_support import window_with_the_dock_open
from musicsage.progress import Progress

STATUS = ("Training finished: the new model is in use (500 steps, 25 s). Kept the weights of "
          "step 200, the best on validation. It also mixes in a simpler model trained on the "
          "tracks that share playlists (weight 0.75, as validation chose). It also counts the "
          "playlists, albums and artists two tracks share (weight 2, as validation chose).")
MODEL = ("Model 2 on musicnn-msd-max_pool — 3 tracks have no musicnn-msd-max_pool vector: "
         "Compute embeddings with Audio model ▸ MusiCNN gives them one and a graph vector.")
NOTES = ["only 43 evaluation pairs: too few for these figures to mean much (one pair moves "
         "HR@K by 0.023)",
         "the validation split has 2 playlists only: the step kept may be chance"]


def _block(hr: float, mrr: float, pairs: int) -> dict:
    return {"graph": {"hr@10": hr, "mrr": mrr}, "audio": {"hr@10": hr / 2, "mrr": mrr / 2},
            "pairs": pairs}


@pytest.mark.parametrize("size", [(1024, 640), (1366, 768)])
def test_the_notes_are_seen_without_scrolling(qtbot, make_window, mapped_library,
                                              shared_helper, size):
    metrics = dict(_block(0.628, 0.279, 43), warm=_block(0.805, 0.642, 41),
                   cold=_block(0.0, 0.023, 2), new_pairs=_block(0.348, 0.077, 23),
                   notes=NOTES, protocol={"version": 3})
    w = window_with_the_dock_open(qtbot, make_window, mapped_library, size)
    panel = w.training.panel
    panel.show_model(MODEL, metrics, running=False)
    panel.start()
    panel.add_progress([Progress("train", s, 500, "", {"step": s, "loss": 3.0})
                        for s in range(10, 201, 10)])
    panel.finish("succeeded", metrics, STATUS, best_step=200)
    qtbot.wait(100)
    notes = panel.notes_line
    assert notes.isVisible() and "only 43 evaluation pairs" in notes.text()
    assert panel.side_scroll.verticalScrollBar().value() == 0  # as the run left it
    viewport = panel.side_scroll.viewport()
    top = notes.mapTo(viewport, notes.rect().topLeft()).y()
    assert 0 <= top < viewport.height() // 2, f"the notes start at {top} px of {viewport.height()}"
    assert notes.height() >= notes.heightForWidth(notes.width()), "whole, not clipped"
