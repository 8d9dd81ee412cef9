"""The training dock's notes after a Retrain: at 1024x640 the status (what the run kept and
mixed in, seven lines in its column) filled the column of texts, and the warning "only 43
evaluation pairs: too few for these figures to mean much" lay below it, seen only by those
who scrolled. The notes stay in view under the scrolling texts; where the dock has the room
(1366x768) they sit right under the model's line, as before."""

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
WARNING = ("only 43 evaluation pairs: too few for these figures to mean much (one pair moves "
           "HR@K by 0.023)")


def _block(hr, mrr, pairs):
    return {"graph": {"hr@10": hr, "mrr": mrr}, "audio": {"hr@10": hr / 2, "mrr": mrr / 2},
            "pairs": pairs}


METRICS = dict(_block(0.628, 0.279, 43), warm=_block(0.805, 0.642, 41),
               cold=_block(0.0, 0.023, 2), new_pairs=_block(0.348, 0.077, 23),
               notes=[WARNING], protocol={"version": 3})


@pytest.fixture
def library(mapped_library, shared_helper):
    """The GUI tests' library with its map laid out once per run (the window's geometry is
    what is checked here)."""
    return mapped_library


def _retrained(qtbot, make_window, library, size):
    """A window of ``size`` with the dock open, after a Retrain that kept step 200."""
    w = window_with_the_dock_open(qtbot, make_window, library, size)
    panel = w.training.panel
    panel.show_model(MODEL, METRICS, running=False)
    panel.start()
    panel.add_progress([Progress("train", s, 500, "", {"step": s, "loss": 3.0})
                        for s in range(10, 501, 10)])
    panel.finish("succeeded", METRICS, STATUS, best_step=200)
    qtbot.wait(200)  # the column's layout settles
    return w, panel


def _seen_whole(widget) -> bool:
    """Whether all of ``widget`` is on screen: shown, and clipped by no scroll area it is in
    (nor the dock's own), as it is without scrolling."""
    return widget.isVisible() and widget.visibleRegion().boundingRect() == widget.rect()


def test_the_warning_is_seen_without_scrolling_at_1024x640(qtbot, make_window, library):
    w, panel = _retrained(qtbot, make_window, library, (1024, 640))
    assert panel.notes_line.text() == f"Note: {WARNING}."
    assert panel.status.text() == STATUS
    assert panel.side_scroll.verticalScrollBar().value() == 0, "nothing scrolled"
    assert _seen_whole(panel.notes_line), "the warning in view"
    assert panel.status.visibleRegion().boundingRect().top() == 0, "the status from its start"


def test_with_room_the_notes_follow_the_model_line(qtbot, make_window, library):
    """At 1366x768 every text shows whole, in the order it had: status, model, notes."""
    _w, panel = _retrained(qtbot, make_window, library, (1366, 768))
    assert panel.side_scroll.verticalScrollBar().maximum() == 0, "no text scrolls"
    for label in (panel.status, panel.model_line, panel.notes_line):
        assert _seen_whole(label)
    model = panel.model_line.mapTo(panel, panel.model_line.rect().bottomLeft()).y()
    notes = panel.notes_line.mapTo(panel, panel.notes_line.rect().topLeft()).y()
    assert 0 <= notes - model <= panel.fontMetrics().lineSpacing(), "right under the model line"
    assert panel.preferred_height() <= panel.height(), "the dock opened at the panel's height"
