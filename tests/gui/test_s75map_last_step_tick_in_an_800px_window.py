"""The training dock of an 800-px window: its validation plot's step axis read "0 100" for a
run of 200 steps — the last label, "200", was dropped for touching "100" — and where both were
kept they could sit a pixel apart, reading "100200". The run's last step's label is kept first
now, and labels keep a gap; a label that is not the run's last step does not push out the
first ("0" gave way to "50000" on a run of 100,000 steps: one label, mid-axis). The choice is
tested on fixed label rectangles (the font's widths vary between machines); the panel, for
which run end it tells the choice."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF

from musicsage.graph.curves import TrainingCurves
from musicsage.gui.plot_axes import LABEL_GAP, kept_labels


def _labels(*spans: tuple[str, float, float]) -> list:
    """pyqtgraph's label specs ``(rect, flags, text)`` for ``(text, left, right)`` spans."""
    return [(QRectF(left, 0.0, right - left, 12.0), 0, text) for text, left, right in spans]


def _texts(specs: list) -> list[str]:
    return [text for _rect, _flags, text in specs]


# the spans pyqtgraph gave the validation plot of an 800-px window (DejaVu Sans)
RUN_OF_200 = [("0", 1.6, 9.2), ("100", 15.6, 38.5), ("200", 37.3, 60.1)]
RUN_OF_100000 = [("0", 1.8, 9.5), ("50000", 8.1, 46.2)]


def test_the_run_s_last_step_is_kept_over_the_one_before_it():
    assert _texts(kept_labels(_labels(*RUN_OF_200), "200")) == ["0", "200"]


def test_a_label_short_of_the_run_s_end_leaves_the_first_in_place():
    assert _texts(kept_labels(_labels(*RUN_OF_100000), "100000")) == ["0"]
    assert _texts(kept_labels(_labels(*RUN_OF_200), None)) == ["0", "100"]


@pytest.mark.parametrize("gap", [0.0, LABEL_GAP - 0.5])
def test_labels_a_pixel_apart_are_not_both_drawn(gap):
    spans = [("0", 1.0, 8.6), ("100", 12.3, 35.2), ("200", 35.2 + gap, 58.0 + gap)]
    kept = kept_labels(_labels(*spans), "200")
    assert _texts(kept) == ["0", "200"]
    for (a, _fa, _ta), (b, _fb, _tb) in zip(kept, kept[1:]):
        assert b.left() >= a.right() + LABEL_GAP


def test_labels_far_apart_are_all_kept_in_order():
    spans = [("6", 32.3, 40.0), ("2", 7.5, 15.1), ("4", 19.9, 27.5)]
    assert _texts(kept_labels(_labels(*spans), "7")) == ["2", "4", "6"]


@pytest.mark.parametrize("steps", [200, 100000])
def test_the_panel_s_axes_know_the_run_s_last_step(qtbot, steps):
    from musicsage.gui.training_dock import TrainingPanel

    loss = [(float(s), 6.0 - s / steps) for s in range(steps // 20, steps + 1, steps // 20)]
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.resize(775, 260)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_curves(TrainingCurves(loss, [(steps / 2, 0.265), (float(steps), 0.315)], steps))
    qtbot.wait(30)
    for plot in panel.plots.plots:  # markers widen the view's bounds: the data's end is read
        assert plot.getAxis("bottom").run_end() == str(steps)
