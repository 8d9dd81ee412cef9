"""The training dock's two plots: loss and validation HR@10 by step, one series per run.

A Retrain may train twice (``choose_contexts`` in graph/train.py; docs/model.md, "Which
contexts: chosen on validation"): a run on every context type given, then, when albums or
artists are given and validation has 100 pairs or more, a run on the playlists alone (progress
stage ``train-playlists``) that counts from step 0 again. Each run has its own series on the
one step axis, the second dashed and in a colour of its own (drawn onto the first run's curve,
it read as the same run jumping back; left out, it went unseen). The dock's text names the
runs (a legend inside a plot 110 to 250 px wide covered the curves); once validation has
chosen, the run not kept fades and the "kept" line names the run kept.

The plots take their colours from the palette (:func:`plot_colours`): white plots glared on a
dark theme, and follow a change of theme while the window runs (:meth:`TrainingPlots.recolour`).
Their axes (whole steps; a loss axis logarithmic over orders of magnitude) are
:mod:`musicsage.gui.plot_axes`; where the "kept" line's label goes, :mod:`musicsage.gui.
kept_label`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette, QTextOption
from PySide6.QtWidgets import QWidget

from musicsage.controllers.wording import PLAYLISTS_RUN
from musicsage.gui.kept_label import KEPT_GAP, KEPT_HIGH, VAL_SYMBOL, fit_kept_label
from musicsage.gui.neighbours import mix, readable
from musicsage.gui.plot_axes import (TICK_OVERFLOW, ShareAxis, StepAxis, follow_loss_scale,
                                     follow_share_edges)
from musicsage.graph.curves import TrainingCurves
from musicsage.progress import Progress

PLOT_TITLES = {"loss": ("Training loss", "Loss"),
               "val": ("Early stopping", "Validation", "Score")}
"""Each plot's title, then shorter ones, the first that fits its width is shown (the dock of
an 800-px window gives a plot ~110 px: "Training los" was cut; the axis names the unit). The
shortest are words, not abbreviations: "Val." read as nothing. The validation plot's says what
it is for, its axis what it scores ("Validation HR@10" alone ended at 0.315 beside the table's
HR@10 0.628, two figures for one name: :data:`VALIDATION_TIP`), and it is one from 1024 px up:
"Early-stopping HR@10" at 1400 px became "Early stopping" at 1024."""
VALIDATION_TIP = ("HR@10 on the trainer's own validation split, scored while it trains to "
                  "choose the step kept (early stopping). The table beside it scores the "
                  "evaluation's held-out pairs: other pairs, so other figures.")
"""The validation plot's tooltip: why its HR@10 differs from the table's."""
LINE_FROM = 3
"""The validation points are joined by a line only from this many on: two points alone are
markers, not a slope."""
NO_CURVE = "No curve to show"
"""On both plots while there is nothing to draw. It promises no Retrain: in a library that
cannot train, "Retrain draws one" sent the user to a button that only refused."""
WAITING = "Waiting for the first step…"
"""On both plots from a Retrain's start until its first point: numbered 0–1 axes alone
read as a run that drew nothing."""
NO_VALIDATION = "No validation ran"
"""On the validation plot of a run that drew a loss curve but validated nothing (too few
memberships to set some aside): an empty plot beside a "kept" line read as broken."""
SERIES = {"loss": "#d9480f", "val": "#1971c2", "second": "#7048e8", "kept": "#2b8a3e"}
"""The series' hues on a light theme (the second run: one colour in both plots)."""
GRAPHICS_CONTRAST = 3.0
"""WCAG's least contrast for graphics: each hue is mixed towards the text colour until it
reads at this on the plot's background (#1971c2 on a dark one: 3.0:1, #2b8a3e: 2.9:1)."""
FADED = 70
"""The alpha (of 255) of the run validation did not keep: still there to compare, not read
as the model in use."""


@dataclass(frozen=True)
class PlotColours:
    background: QColor
    text: QColor
    axis: QColor
    """The axes' lines and the grid."""
    muted: QColor
    """The notes of an empty plot."""
    series: dict[str, QColor]
    """:data:`SERIES`, each readable on ``background``."""


def plot_colours(palette: QPalette) -> PlotColours:
    """The plots' colours under ``palette``: the background and text of a view of data (the
    evaluation table's beside them), axes and notes between the two."""
    back, text = palette.base().color(), palette.text().color()
    return PlotColours(back, text, mix(text, back, 0.45), mix(text, back, 0.3),
                       {key: readable(hue, text, back, GRAPHICS_CONTRAST)
                        for key, hue in SERIES.items()})


@dataclass
class Run:
    """One training run's points and the two series that draw them."""

    loss_curve: pg.PlotDataItem
    val_curve: pg.PlotDataItem
    steps: list[float] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    val_steps: list[float] = field(default_factory=list)
    val_hr10: list[float] = field(default_factory=list)
    val_pen: object = None
    """The pen joining the validation points, set from :data:`LINE_FROM` points on."""

    def clear(self) -> None:
        for points in (self.steps, self.losses, self.val_steps, self.val_hr10):
            points.clear()
        self.redraw()

    def redraw(self) -> None:
        self.loss_curve.setData(np.asarray(self.steps), np.asarray(self.losses))
        # a curve of one point is no line: a run of one step (max_steps 1) left it empty
        if self.loss_curve.opts["symbol"] != (one := "o" if len(self.steps) == 1 else None):
            self.loss_curve.setSymbol(one)
        self.val_curve.setData(np.asarray(self.val_steps), np.asarray(self.val_hr10))
        self.val_curve.setPen(self.val_pen if len(self.val_steps) >= LINE_FROM else None)

    def add(self, p: Progress) -> bool:
        """Take a step's loss and validation score; whether it brought a point."""
        step, loss, val = p.extra.get("step"), p.extra.get("loss"), p.extra.get("val_hr10")
        if step is None:
            return False
        added = loss is not None and math.isfinite(float(loss))
        if added:
            self.steps.append(float(step))
            self.losses.append(float(loss))
        # a NaN score (nothing to rank) is no point: drawn, it put "HR@10 nan" in the status
        if (val is not None and math.isfinite(float(val))
                and (not self.val_steps or self.val_steps[-1] != step)):
            self.val_steps.append(float(step))
            self.val_hr10.append(float(val))
            added = True
        return added


def _plot(y_label: str, left: type[pg.AxisItem] = pg.AxisItem) -> pg.PlotWidget:
    """A plot of the dock (:class:`TrainingPlots` fits its title to its width)."""
    w = pg.PlotWidget(axisItems={"bottom": StepAxis("bottom"), "left": left("left")})
    w.showGrid(x=True, y=True, alpha=0.25)
    w.setLabel("bottom", "step")
    w.setLabel("left", y_label)
    for axis in ("left", "bottom"):
        w.getAxis(axis).enableAutoSIPrefix(False)  # HR@10 is a share: no "x0.001" scaling
    w.plotItem.layout.setContentsMargins(1, 1, TICK_OVERFLOW, 1)  # the last tick's room
    w.setMenuEnabled(False)
    w.setMinimumHeight(150)
    w.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no keys (nor menu) to act on: no Tab stop
    return w


class TrainingPlots(QObject):
    """The loss and validation plots of :class:`~musicsage.gui.training_dock.TrainingPanel`:
    ``runs[0]`` the first run (or a saved model's curves), ``runs[1]`` the playlists alone."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.loss_plot, self.val_plot = _plot("loss"), _plot("HR@10", ShareAxis)
        self.runs = [Run(self.loss_plot.plot([], []), self.val_plot.plot([], []))
                     for _ in range(2)]
        for run in self.runs:
            run.val_curve.setSymbol("o")
            run.val_curve.setSymbolSize(VAL_SYMBOL)
        follow_loss_scale(self.loss_plot, self.runs)  # log where it spans orders of magnitude
        self.val_plot.setToolTip(VALIDATION_TIP)
        # one step axis for both: the validation plot follows the loss plot's steps (alone,
        # its first point sat in a range of 99.6 to 100.4, and the two "kept" lines differed)
        self.val_plot.enableAutoRange(x=False)
        self.val_plot.setXLink(self.loss_plot)
        follow_share_edges(self.val_plot, self.runs)  # within 0..1, and room for a point at 0
        self.kept_run: int | None = None
        """The run validation kept (0 or 1) once it chose between two; None: one run."""
        self._mark_plots()
        self.recolour(parent.palette())

    def _mark_plots(self) -> None:
        """What the plots carry besides their curves: the "kept" line at the step whose
        weights were kept, a note while they are empty, a title fitted to their width."""
        self.best_lines = [pg.InfiniteLine(angle=90, label="kept",
                                           labelOpts={"position": KEPT_HIGH}) for _ in range(2)]
        # empty axes alone read as a broken plot (a model saved before curves were kept)
        self.empty_notes = [pg.TextItem(NO_CURVE, anchor=(0.5, 0.5)) for _ in range(2)]
        for plot, line, note in zip(self.plots, self.best_lines, self.empty_notes):
            plot.addItem(line)
            line.hide()
            plot.addItem(note, ignoreBounds=True)
            note.setPos(0.5, 0.5)  # the middle of the empty plots' default 0..1 range
            # its lines centred, wrapped to the plot's width (_fit_note)
            centred = QTextOption(Qt.AlignmentFlag.AlignHCenter)
            note.textItem.document().setDefaultTextOption(centred)
            plot.installEventFilter(self)  # its title fits its width (_fit_title)
            plot.getViewBox().sigTransformChanged.connect(
                lambda *_a, p=plot, ln=line: self._fit_kept_label(p, ln))
            plot.getViewBox().sigResized.connect(lambda *_a, p=plot, n=note: self._fit_note(p, n))
            # and the label to a narrower box (its axes' labels widened) at the same range
            plot.getViewBox().sigResized.connect(
                lambda *_a, p=plot, ln=line: self._fit_kept_label(p, ln))

    @property
    def plots(self) -> tuple[pg.PlotWidget, pg.PlotWidget]:
        return self.loss_plot, self.val_plot

    def recolour(self, palette: QPalette) -> None:
        """Background, axes, titles, notes and series in ``palette``'s colours."""
        self.colours = c = plot_colours(palette)
        for plot in self.plots:
            plot.setBackground(c.background)
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setTextPen(c.text)
                plot.getAxis(axis).setPen(c.axis)
            self._set_title(plot, plot.plotItem.titleLabel.text or self._titles(plot)[0])
        for note in self.empty_notes:
            note.setColor(c.muted)
        for line in self.best_lines:
            line.setPen(pg.mkPen(c.series["kept"], width=1.5, style=Qt.PenStyle.DashLine))
            line.label.setColor(c.series["kept"])
        self._pen_runs()

    def _pen_runs(self) -> None:
        """Each run's pens: the second dashed, in a colour of its own; the run not kept
        faded."""
        series = self.colours.series
        for index, run in enumerate(self.runs):
            loss, val = ((series["loss"], series["val"]) if index == 0
                         else (series["second"], series["second"]))
            if self.kept_run is not None and index != self.kept_run:
                loss, val = QColor(loss), QColor(val)
                loss.setAlpha(FADED)
                val.setAlpha(FADED)
            style = Qt.PenStyle.SolidLine if index == 0 else Qt.PenStyle.DashLine
            run.loss_curve.setPen(pg.mkPen(loss, width=2, style=style))
            run.loss_curve.setSymbolPen(loss)  # (the point of a one-step run)
            run.loss_curve.setSymbolBrush(loss)
            run.val_pen = pg.mkPen(val, width=1.5, style=style)
            run.redraw()  # its line, where it has points enough for one
            run.val_curve.setSymbolPen(val)
            run.val_curve.setSymbolBrush(val)

    @property
    def two_runs(self) -> bool:
        """Whether the second run (the playlists alone) has points on the plots."""
        return bool(self.runs[1].steps or self.runs[1].val_steps)

    # -- what they show ------------------------------------------------------------------------
    def start(self) -> None:
        """A new run: no curves, no "kept" line, no notes, and the plots' default ranges —
        emptied, they kept the curves' before (a validation axis of 0.27 to 0.31 with no
        point on it, until the run's first validation)."""
        self.kept_run = None
        for run in self.runs:
            run.clear()
        for line in self.best_lines:
            line.hide()
        self.show_empty_notes(True, WAITING)
        self._pen_runs()
        self.loss_plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
        self.val_plot.setRange(yRange=(0, 1), padding=0)
        self.loss_plot.enableAutoRange()  # the run's points set the ranges again
        self.val_plot.enableAutoRange(y=True)

    def run_of(self, stage: str) -> Run | None:
        """The run a report of ``stage`` belongs to (None: no run's step)."""
        return {"train": self.runs[0], PLAYLISTS_RUN: self.runs[1]}.get(stage)

    def add(self, batch: list[Progress]) -> None:
        """Every step of ``batch`` onto its run's series."""
        changed = {id(run): run for p in batch
                   if (run := self.run_of(p.stage)) is not None and run.add(p)}
        for run in changed.values():
            run.redraw()
        if changed and self.empty_notes[0].toPlainText() == WAITING:
            for note in self.empty_notes:  # the first point: the run has begun (validation
                note.hide()  # has not yet: "No validation ran" waits for the run's end)

    def show_saved(self, curves: TrainingCurves | None) -> None:
        """A saved model's curves and the step it kept (None: empty plots — a model saved
        before curves were kept, or none yet)."""
        self.start()
        first = self.runs[0]
        loss = curves.loss if curves is not None else []
        val = curves.val_hr10 if curves is not None else []
        first.steps[:], first.losses[:] = [s for s, _ in loss], [v for _, v in loss]
        first.val_steps[:], first.val_hr10[:] = [s for s, _ in val], [v for _, v in val]
        first.redraw()
        self.show_empty_notes(not loss and not val)
        best = curves.best_step if curves is not None and (loss or val) else None
        self.mark_kept(best)

    def mark_kept(self, best_step: int | None, run: int | None = None) -> None:
        """The "kept" line at ``best_step`` (None: none); ``run``: the run validation kept
        of two (0 or 1), named on the line, the other faded."""
        self.kept_run = run
        for line in self.best_lines:
            if best_step is not None:
                line.setValue(best_step)
            line.setVisible(best_step is not None)  # first: a hidden label ignores a new text
            line.label.setToolTip("kept" if run is None else f"kept: run {run + 1}")
        for plot, line in zip(self.plots, self.best_lines):
            self._fit_kept_label(plot, line)
        self._pen_runs()

    def _fit_kept_label(self, plot: pg.PlotWidget, line: pg.InfiniteLine) -> None:
        """The "kept" line's label placed again (:func:`~musicsage.gui.kept_label.
        fit_kept_label`): at a new range, size or text."""
        fit_kept_label(self, plot, line)

    def _fit_note(self, plot: pg.PlotWidget, note: pg.TextItem) -> None:
        """The note wrapped to its plot's width, centred: in one line it ran out of a plot
        narrower than it at both ends ("o curve to show — Retrain draws o" in a 1400-px
        window, whose plots are ~250 px wide)."""
        room = plot.getViewBox().sceneBoundingRect().width() - 2 * KEPT_GAP
        note.setTextWidth(-1)  # its one-line width first: a short note stays one line
        if room > 0 and note.textItem.boundingRect().width() > room:
            note.setTextWidth(room)

    def show_empty_notes(self, show: bool, text: str = NO_CURVE) -> None:
        """The plots' notes: ``text`` on both (``show``), or none — but for the
        validation plot of a loss curve with no validation point, which says so."""
        for note in self.empty_notes:
            note.setText(text)
            note.setPos(0.5, 0.5)
            note.setVisible(show)
        first = self.runs[0]
        if not show and first.losses and not first.val_hr10:
            note = self.empty_notes[1]  # the validation plot, in the middle of the steps
            note.setText(NO_VALIDATION)
            note.setPos((first.steps[0] + first.steps[-1]) / 2, 0.5)
            note.show()
        for plot, note in zip(self.plots, self.empty_notes):
            self._fit_note(plot, note)

    # -- titles --------------------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize and watched in self.plots:
            self._fit_title(watched)
        return False

    def _titles(self, plot: pg.PlotWidget) -> tuple[str, ...]:
        return PLOT_TITLES["loss" if plot is self.loss_plot else "val"]

    def _set_title(self, plot: pg.PlotWidget, title: str) -> None:
        plot.setTitle(title, color=self.colours.text, size="10pt")

    def _fit_title(self, plot: pg.PlotWidget) -> None:
        """The plot's full title where it fits its width, else the longest shorter one that
        does (:data:`PLOT_TITLES`)."""
        titles = self._titles(plot)
        font = QFont(plot.font())
        font.setPointSizeF(10)  # the title's size (_set_title)
        room = plot.width() - 60  # centred right of the y axis (~50 px with its label)
        width = QFontMetrics(font).horizontalAdvance
        title = next((t for t in titles if width(t) <= room), titles[-1])
        if plot.plotItem.titleLabel.text != title:
            self._set_title(plot, title)
