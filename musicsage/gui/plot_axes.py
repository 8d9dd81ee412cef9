"""The training dock's plot axes: the step axis, and the loss axis, logarithmic where the loss
spans orders of magnitude.

Steps are whole numbers: a run of 3 steps had ticks at 1.5 and 2.5, steps that never were.
A run's loss may fall from thousands to hundredths, or jump once by a factor of a thousand (a
step that diverged): on a linear axis every later step then lay flat on the axis' foot, and
the end of the run — the part that says whether it still learns — read as a straight line at
0. From :data:`LOG_SPAN` between the least loss above zero and the greatest on the plot the
axis is logarithmic, and its name says so. A loss of exactly 0 (the hinge, max(0, …), reaches
it) has no place on it: it is drawn at a floor a decade below the least loss above zero, and
the name says so (a single 0 kept the axis linear, the rest of the run flat on its foot; left as
gaps, a small loss between two zeros had nothing to join and was not drawn at all). Kept apart from
:mod:`musicsage.gui.training_plots` (at its size limit).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import pyqtgraph as pg

TICK_OVERFLOW = 14
"""How far (px) a step axis's tick label may reach past the axis' end, into the margin the
plot keeps on its right: pyqtgraph hid the last step's "200" at the plot's right edge (the
validation plot of a 1024-px window)."""


class StepAxis(pg.AxisItem):
    """The step axis, whose last tick label may reach :data:`TICK_OVERFLOW` px past its end:
    with the grid on, pyqtgraph dropped any label not inside the plot's own box, so the
    final step ("200") went missing on a narrow plot. Its ticks are whole steps."""

    def boundingRect(self):  # noqa: N802 - Qt API
        return super().boundingRect().adjusted(-TICK_OVERFLOW, 0, TICK_OVERFLOW, 0)

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 - pyqtgraph API
        """pyqtgraph's ticks less those between two steps ("1.5" of a 3-step run), each level
        spaced a step at least (so its labels read "2", not "2.0")."""
        return [(max(spacing, 1.0), [v for v in values if float(v).is_integer()])
                for spacing, values in super().tickValues(minVal, maxVal, size)]

    def generateDrawSpecs(self, p):  # noqa: N802 - pyqtgraph API
        """pyqtgraph's, less any label over the one before it (the room past the end lets a
        label reach the next on a plot ~50 px wide: "100" and "200" were drawn over each
        other)."""
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return specs
        axis, ticks, texts = specs
        kept: list = []
        for spec in sorted(texts, key=lambda t: t[0].left()):
            if not kept or spec[0].left() >= kept[-1][0].right():
                kept.append(spec)
        return axis, ticks, kept


LOG_SPAN = 100.0
"""The greatest loss over the least from which the axis is logarithmic: two orders of
magnitude, where a linear axis gives the lower part less than 1 % of the plot's height."""
LINEAR_LABEL, LOG_LABEL = "loss", "loss (log scale)"
ZERO_FLOOR_BELOW = 10.0
"""A loss of 0 on a log axis is drawn this many times below the least loss above zero: low
enough to read as "nothing", near enough to keep the rest of the run's slope in view. Left
as gaps (pyqtgraph's log mode makes them NaN), losses alternating 0 and 0.002 drew nothing."""
LOG_ZEROS_LABEL = "loss (log scale)<br>0 drawn at {floor:.2g}"
"""The log axis' name while a loss of 0 is on the plot: where its points lie."""


class LossSeries(Protocol):
    """A run of the plot (:class:`~musicsage.gui.training_plots.Run`): its curve and points."""

    loss_curve: pg.PlotDataItem
    losses: list[float]


def spans_orders(runs: Sequence[LossSeries]) -> bool:
    """Whether the losses of ``runs`` call for a log axis: the greatest :data:`LOG_SPAN` times
    the least above zero or more, and none below zero (a loss of 0 is a gap on a log axis; no
    objective gives less, and a curve of such gaps would say nothing). (Their points are
    finite: :meth:`~musicsage.gui.training_plots.Run.add` and the saved curves leave the
    others out; built-in min and max, as a run of 20,000 steps redraws often.)"""
    kept = [run.losses for run in runs if run.losses]
    if not kept or min(min(losses) for losses in kept) < 0:
        return False
    least = min(min((v for v in losses if v > 0), default=math.inf) for losses in kept)
    return least < math.inf and max(max(losses) for losses in kept) >= LOG_SPAN * least


def is_log(plot: pg.PlotWidget) -> bool:
    """Whether ``plot``'s loss axis is logarithmic now: its view then holds each loss's log10
    (:func:`view_y`), not the loss."""
    return bool(plot.getAxis("left").logMode)


def zero_floor(runs: Sequence[LossSeries]) -> float | None:
    """Where a loss of 0 is drawn on a log axis (:data:`ZERO_FLOOR_BELOW`); None while no
    run has a 0 (or none has a loss above zero to measure from)."""
    if not any(0.0 in run.losses for run in runs):
        return None
    least = min(min((v for v in run.losses if v > 0), default=math.inf) for run in runs)
    return least / ZERO_FLOOR_BELOW if least < math.inf else None


def loss_label(runs: Sequence[LossSeries], log: bool) -> str:
    """The loss axis' name: whether it is logarithmic, and where a loss of 0 is drawn on it
    (:data:`LOG_ZEROS_LABEL`)."""
    if not log:
        return LINEAR_LABEL
    floor = zero_floor(runs)
    return LOG_LABEL if floor is None else LOG_ZEROS_LABEL.format(floor=floor)


def _draw_zeros_at(runs: Sequence[LossSeries], floor: float | None) -> None:
    """Each run's curve with its losses of 0 at ``floor`` (None: as they are). Set only where
    it differs: setting it refits the axis (:func:`follow_loss_scale`), which calls back here."""
    for run in runs:
        wanted = np.asarray(run.losses, dtype=float)
        if floor is not None:
            wanted = np.where(wanted == 0.0, floor, wanted)
        curve = run.loss_curve
        if curve.yData is not None and not np.array_equal(curve.yData, wanted):
            curve.setData(curve.xData, wanted)


def fit_loss_scale(plot: pg.PlotWidget, runs: Sequence[LossSeries]) -> None:
    """The loss plot's axis logarithmic or linear for the losses of ``runs`` it shows now, and
    named for it; on a log axis a loss of 0 drawn at :func:`zero_floor`."""
    log = spans_orders(runs)
    if log != is_log(plot):
        plot.setLogMode(y=log)
    if plot.getAxis("left").labelText != (label := loss_label(runs, log)):
        plot.setLabel("left", label)
    _draw_zeros_at(runs, zero_floor(runs) if log else None)


def follow_loss_scale(plot: pg.PlotWidget, runs: Sequence[LossSeries]) -> None:
    """Refit the axis whenever a run's loss curve changes (a step added, a run cleared, a saved
    model's curves shown)."""
    for run in runs:
        run.loss_curve.sigPlotChanged.connect(lambda *_a: fit_loss_scale(plot, runs))


def view_y(plot: pg.PlotWidget, value: float) -> float:
    """``value`` where the plot's view has it: its log10 on a log axis, where 0 is at the
    foot (-inf: drawn at :func:`zero_floor`, the least on the plot)."""
    if not is_log(plot):
        return value
    return math.log10(value) if value > 0 else -math.inf
