"""Losses of 0 on the loss plot's log axis: a log axis has no place for 0, and left as gaps, a
small loss between two zeros had no neighbour to join and was not drawn at all — the curve
stopped where the zeros began and the rest of the run was blank."""

from __future__ import annotations

import math

import numpy as np

from musicsage.progress import Progress
from training_panel_support import shown_training_panel


def _step(step: int, loss: float) -> Progress:
    return Progress("train", step, 200, f"loss {loss:.3f}", {"step": step, "loss": loss})


def _falls_then_alternates_with_zero() -> dict[int, float]:
    """Steps 1–99 falling from 5, then 100–200 alternating 0 and 0.002 (the hinge's end)."""
    falling = {s: 5 * math.exp(-s / 15) for s in range(1, 100)}
    return falling | {s: (0.0 if s % 2 == 0 else 0.002) for s in range(100, 201)}


def test_every_step_after_the_zeros_begin_is_drawn_and_the_axis_names_the_floor(qtbot):
    panel = shown_training_panel(qtbot, started=True)
    losses = _falls_then_alternates_with_zero()
    panel.add_progress([_step(s, v) for s, v in losses.items()])
    axis = panel.loss_plot.getAxis("left")
    assert axis.logMode, "five to 0.002 spans orders of magnitude"
    xs, ys = panel.loss_curve.getData()  # as drawn: log10 on a log axis
    drawn = {int(x) for x, y in zip(xs, ys) if np.isfinite(y)}
    assert drawn == set(losses), f"steps not drawn: {sorted(set(losses) - drawn)[:5]}…"
    floor = 0.002 / 10
    assert f"0 drawn at {floor:.2g}" in axis.labelText, axis.labelText
    zeros = [y for x, y in zip(xs, ys) if losses[int(x)] == 0.0]
    assert np.allclose(zeros, math.log10(floor)), "every 0 at the floor the name gives"
    view = panel.loss_plot.getViewBox()
    qtbot.waitUntil(lambda: view.viewRange()[1][0] <= math.log10(floor), timeout=2000)


def test_back_on_a_linear_axis_a_zero_is_drawn_as_zero(qtbot):
    """The floor is the log axis' place for 0, not the loss: once the axis is linear again (a
    loss below zero, which a log axis cannot show), each 0 lies at 0 again."""
    panel = shown_training_panel(qtbot, started=True)
    losses = _falls_then_alternates_with_zero()
    panel.add_progress([_step(s, v) for s, v in losses.items()])
    assert panel.loss_plot.getAxis("left").logMode
    panel.add_progress([_step(201, -0.1)])
    axis = panel.loss_plot.getAxis("left")
    assert not axis.logMode and axis.labelText == "loss"
    assert list(panel.loss_curve.getData()[1]) == [*losses.values(), -0.1]
