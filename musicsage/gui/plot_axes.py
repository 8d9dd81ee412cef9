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
        spaced a step at least (so its labels read "2", not "2.0"). A step is a tick within
        rounding of a whole number: the one step of a one-step run came as 10.000000000000002
        and had no tick at all."""
        return [(max(spacing, 1.0), [float(round(v)) for v in values
                                     if abs(v - round(v)) <= 1e-9 * max(1.0, abs(v))])
                for spacing, values in super().tickValues(minVal, maxVal, size)]

    def generateDrawSpecs(self, p):  # noqa: N802 - pyqtgraph API
        """pyqtgraph's, less any label within :data:`LABEL_GAP` of one kept
        (:func:`kept_labels`; the room past the end lets a label reach the next on a plot ~50
        px wide: "100" and "200" were drawn over each other)."""
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return specs
        axis, ticks, texts = specs
        return axis, ticks, kept_labels(texts, self.run_end())

    def run_end(self) -> str | None:
        """The label of the last whole step the plot's curves reach (the run's end, as
        :meth:`tickStrings` writes it), or None where the plot has none — the curves of the
        plot whose steps it follows too (the validation plot's, the loss plot's: a run still
        going had validated at 100 and reached 200, and its validation plot read "0 100"
        under a loss plot's "0 100 200")."""
        view = self.linkedView()  # its items' data: childrenBounds adds a marker's pixels
        views = [view, view.linkedView(pg.ViewBox.XAxis)] if view is not None else []
        ends = [bounds[1] for shown in views if shown is not None for item in shown.addedItems
                if (bounds := getattr(item, "dataBounds", lambda _axis: None)(0))
                and bounds[1] is not None]
        if not ends:
            return None
        return self.tickStrings([float(math.floor(max(ends) + 1e-9))], self.scale, 1.0)[0]


def kept_labels(texts: list, run_end: str | None) -> list:
    """Of ``texts`` (pyqtgraph's ``(rect, flags, text)`` label specs), those drawn: none within
    :data:`LABEL_GAP` of one kept, in the order of their centres. The last label is kept
    first when it is ``run_end``, the run's last step, which is what the axis is read for
    (kept left to right, "0 100" was drawn for a run ending at 200, in an 800-px window);
    otherwise the first is, as before: "0" gave way to "50000" on a run of 100,000 steps,
    the axis left with a single label in its middle."""
    ordered = sorted(texts, key=lambda t: t[0].center().x())
    if ordered and ordered[-1][2] == run_end:
        ordered = ordered[-1:] + ordered[:-1]
    kept: list = []
    for spec in ordered:
        if all(_apart(spec[0], other[0]) for other in kept):
            kept.append(spec)
    return sorted(kept, key=lambda t: t[0].center().x())


LABEL_GAP = 3
"""Least room (px) between two step labels: "100" and "200" a pixel apart read "100200"."""


def _apart(a, b) -> bool:
    """Whether label rectangles ``a`` and ``b`` are :data:`LABEL_GAP` apart or more."""
    return a.left() >= b.right() + LABEL_GAP or b.left() >= a.right() + LABEL_GAP


SHARE_EDGE = 0.06
"""How far (in HR@10) the validation plot's view may reach past 0 or 1 where a point lies
within it of that end (:func:`follow_share_edges`): a point at exactly 0 or 1 sat on the plot's
edge, its marker cut in half (and the "1.0" tick was left out). No tick is labelled out there
(:class:`ShareAxis`, whose labels of 0 and 1.0 may overflow its ends: on a low plot this margin
alone was too little room for them)."""


class ShareSeries(Protocol):
    """A run of the plot (:class:`~musicsage.gui.training_plots.Run`): its validation curve."""

    val_curve: pg.PlotDataItem
    val_hr10: list[float]


def fit_share_limits(plot: pg.PlotWidget, runs: Sequence[ShareSeries]) -> None:
    """The validation plot's view kept within 0 and 1 (HR@10 is a share: a flat curve was
    padded to a range reaching below zero), but for :data:`SHARE_EDGE` past an end that a
    point lies near, so that its marker is drawn whole."""
    values = [v for run in runs for v in run.val_hr10]
    low = -SHARE_EDGE if any(v < SHARE_EDGE for v in values) else 0.0
    high = 1.0 + SHARE_EDGE if any(v > 1.0 - SHARE_EDGE for v in values) else 1.0
    if plot.getViewBox().state["limits"]["yLimits"] != [low, high]:
        plot.setLimits(yMin=low, yMax=high)


def follow_share_edges(plot: pg.PlotWidget, runs: Sequence[ShareSeries]) -> None:
    """:func:`fit_share_limits` now, and whenever a run's validation curve changes."""
    fit_share_limits(plot, runs)
    for run in runs:
        run.val_curve.sigPlotChanged.connect(lambda *_a: fit_share_limits(plot, runs))


class ShareAxis(pg.AxisItem):
    """The validation plot's HR@10 axis: ticks from 0 to 1 only, a share having no others
    (its view may reach :data:`SHARE_EDGE` past either, for a point there), whose labels may
    reach :data:`TICK_OVERFLOW` px past the axis' ends, as :class:`StepAxis`'s do: with the
    grid on, pyqtgraph dropped a label not wholly inside the plot's box, and "0" and "1.0"
    went missing on a low plot (the dock at its least height: SHARE_EDGE is 5 px there)."""

    def boundingRect(self):  # noqa: N802 - Qt API
        return super().boundingRect().adjusted(0, -TICK_OVERFLOW, 0, TICK_OVERFLOW)

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 - pyqtgraph API
        """pyqtgraph's ticks less those below 0 or above 1 ("-0.2" read as a score)."""
        return [(spacing, [v for v in values if -1e-9 <= v <= 1 + 1e-9])
                for spacing, values in super().tickValues(minVal, maxVal, size)]


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


FLAT_SHARE = 1e-3
"""Losses that differ by less than this share of the greatest are a flat curve: pyqtgraph gave
one a range of 1 around it, from -0.5 to 0.5 for a curve at 0 (half the axis below any loss)
and, for a loss of 1e12, ticks all reading "1e+12". Such a curve is drawn from 0 up
(:func:`flat_range`)."""


def flat_range(runs: Sequence[LossSeries]) -> tuple[float, float] | None:
    """The loss axis' range for a flat curve (:data:`FLAT_SHARE`): from 0 to twice its value
    (to 1 at 0), its ticks readable; None for a curve that is not flat (the plot's own)."""
    kept = [run.losses for run in runs if run.losses]
    if not kept:
        return None
    low, high = min(min(v) for v in kept), max(max(v) for v in kept)
    if high - low > FLAT_SHARE * max(abs(low), abs(high)):
        return None
    if high == 0 and low == 0:
        return 0.0, 1.0
    return min(0.0, 2 * low), max(0.0, 2 * high)


def _fit_flat(plot: pg.PlotWidget, runs: Sequence[LossSeries], log: bool) -> None:
    """The loss axis' range :func:`flat_range` while the curve is flat; the plot's own (auto
    range) again once it is not. Set only when that changes: a user's zoom is left alone."""
    wanted = None if log else flat_range(runs)
    if wanted == getattr(plot, "flat_loss_range", None):
        return
    plot.flat_loss_range = wanted
    if wanted is None:
        plot.enableAutoRange(y=True)
    else:
        plot.setYRange(*wanted, padding=0.05)


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
    _fit_flat(plot, runs, log)


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
