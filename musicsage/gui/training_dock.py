"""The training dock: live loss curve and validation HR@10, progress, Cancel, final evaluation.

It follows :class:`~musicsage.controllers.training.TrainingController`'s display events; the
train use case reports ``Progress.extra`` ``{step, loss, val_hr10}``. Every report is plotted (the
worker hands them over in batches, so nothing is lost however fast training runs). At the end
the table shows graph model vs audio only on the evaluation protocol — overall, warm, cold
and new held-out pairs, HR@10 and MRR (:mod:`musicsage.controllers.evaluation` decides what each cell
says), and the evaluation's notes beside it (one held-out pair, a run that learned nothing).
Between runs it shows the model in use: its evaluation, its saved curves (until a run in
this window draws its own), and how many tracks it placed without having seen them in training.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (QDockWidget, QFrame, QHBoxLayout, QHeaderView, QLabel, QProgressBar,
                               QPushButton, QScrollArea, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from musicsage.controllers.evaluation import EVAL_COLUMNS, EVAL_ROWS, evaluation_table
from musicsage.controllers.wording import progress_text, step_text, stops_early
from musicsage.gui.neighbours import HINT_CONTRAST, contrast
from musicsage.gui.panel_scroll import LOW_WINDOW, PanelScroll
from musicsage.graph.curves import TrainingCurves
from musicsage.progress import Progress


PLOT_TITLES = {"loss": ("Training loss", "Loss"),
               "val": ("Validation HR@10", "Validation", "Val.")}
"""Each plot's title, then shorter ones, the first that fits its width is shown (the dock of
an 800-px window gives a plot ~110 px: "Training los" was cut; the axis names the unit)."""
NO_CURVE = "No curve to show — Retrain draws one"
NO_VALIDATION = "No validation ran"
"""On the validation plot of a run that drew a loss curve but validated nothing (too few
memberships to set some aside): an empty plot beside a "kept" line read as broken."""
NOTE_AMBER = "#8a5a00"


def note_colour(palette: QPalette) -> QColor:
    """The notes' amber, mixed towards the text colour as far as it takes to read at
    HINT_CONTRAST on the window: #8a5a00 alone was 2.3:1 on a dark theme."""
    text, back = palette.windowText().color(), palette.window().color()
    amber = QColor(NOTE_AMBER).getRgbF()[:3]
    mixes = (QColor.fromRgbF(*(a + (b - a) * step / 20 for a, b in zip(amber, text.getRgbF()[:3])))
             for step in range(21))
    return next((c for c in mixes if contrast(c, back) >= HINT_CONTRAST), text)


def _set_title(plot: pg.PlotWidget, title: str) -> None:
    plot.setTitle(title, color="#222", size="10pt")


def _plot(title: str, colour: str, y_label: str) -> tuple[pg.PlotWidget, pg.PlotDataItem]:
    """A plot of the dock (:class:`TrainingPanel` fits its title to its width)."""
    w = pg.PlotWidget(background="w")
    _set_title(w, title)
    w.showGrid(x=True, y=True, alpha=0.25)
    w.setLabel("bottom", "step")
    w.setLabel("left", y_label)
    for axis in ("left", "bottom"):
        w.getAxis(axis).setTextPen("#333")
        w.getAxis(axis).setPen("#888")
        w.getAxis(axis).enableAutoSIPrefix(False)  # HR@10 is a share: no "x0.001" scaling
    w.setMenuEnabled(False)
    w.setMinimumHeight(150)
    w.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no keys (nor menu) to act on: no Tab stop
    curve = w.plot([], [], pen=pg.mkPen(colour, width=2), symbol=None)
    return w, curve


class TrainingPanel(QWidget):
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loss_plot, self.loss_curve = _plot(PLOT_TITLES["loss"][0], "#d9480f", "loss")
        self.val_plot, self.val_curve = _plot(PLOT_TITLES["val"][0], "#1971c2", "HR@10")
        self.val_curve.setSymbol("o")
        self.val_curve.setSymbolSize(5)
        self.val_curve.setSymbolBrush("#1971c2")
        # one step axis for both: the validation plot follows the loss plot's steps (alone,
        # its first point sat in a range of 99.6 to 100.4, and the two "kept" lines differed)
        self.val_plot.enableAutoRange(x=False)
        self.val_plot.setXLink(self.loss_plot)
        # HR@10 is a share: a flat curve was padded to a range reaching below zero
        self.val_plot.setLimits(yMin=0.0, yMax=1.0)
        self.status = self._text_line("Press Retrain to train the graph model on your playlists.")
        self.status.setMinimumHeight(self.status.fontMetrics().height() * 2)
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.cancel_requested)
        # hidden between runs, their row takes no space: kept, it left a gap above the
        # evaluation table that made the table scroll in a 1024x640 window
        self._show_run_controls(False)

        self.table = self._evaluation_table()
        self._fit_headers()
        self.table_caption = QLabel("Evaluation (after training): graph model vs audio only", self)
        self.table_caption.setWordWrap(True)
        self.model_line = self._text_line("")
        """The model in use, and the tracks it placed without having seen them in training."""
        self.notes_line = self._text_line("")
        """The evaluation's notes (too few pairs to mean much, a model that learned nothing),
        beside the table they qualify; hidden when there are none."""
        self._colour_notes()
        self.notes_line.hide()

        # plots, the column of texts, and the table in a column of its own that never scrolls:
        # under the texts, the table scrolled out of the ~150-px dock of a 1024x640 window
        self._build_side_column()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.loss_plot, 2)
        layout.addWidget(self.val_plot, 2)
        # the plots give width to the texts (a plot reads as well a little narrower): at 2/9
        # of a 1024-px window the column's long model line (the audio model's name, the
        # tracks the model did not see) needed a scrollbar; the table keeps its share
        layout.addWidget(self.side_scroll, 3)
        layout.addLayout(self._table_column(), 4)
        QWidget.setTabOrder(self.cancel_button, self.table)  # as it reads (made: the reverse)
        self._mark_plots()
        self.steps: list[float] = []
        self.losses: list[float] = []
        self.val_steps: list[float] = []
        self.val_hr10: list[float] = []
        # a run was shown in this window: its curves and its outcome stay over library loads
        self.run_shown = False

    def _colour_notes(self) -> None:
        palette = QPalette()  # only the notes' colour set: the rest follows the panel's
        palette.setColor(QPalette.ColorRole.WindowText, note_colour(self.palette()))
        self.notes_line.setPalette(palette)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        """A new theme (light to dark): the notes' amber follows it."""
        if event.type() == QEvent.Type.PaletteChange:
            self._colour_notes()
        super().changeEvent(event)

    def _mark_plots(self) -> None:
        """What the plots carry besides their curves: the "kept" line at the step whose
        weights were kept, a note while they are empty, a title fitted to their width."""
        self.best_lines = [pg.InfiniteLine(angle=90, pen=pg.mkPen("#2b8a3e", width=1.5, style=Qt.PenStyle.DashLine),
                                           label="kept", labelOpts={"position": 0.92, "color": "#2b8a3e"})
                           for _ in range(2)]
        for plot, line in zip((self.loss_plot, self.val_plot), self.best_lines):
            plot.addItem(line)
            line.hide()
        # empty axes alone read as a broken plot (a model saved before curves were kept)
        self.empty_notes = [pg.TextItem(NO_CURVE, color="#666", anchor=(0.5, 0.5))
                            for _ in range(2)]
        for plot, note in zip((self.loss_plot, self.val_plot), self.empty_notes):
            plot.addItem(note, ignoreBounds=True)
            note.setPos(0.5, 0.5)  # the middle of the empty plots' default 0..1 range
            plot.installEventFilter(self)  # its title fits its width (_fit_title)

    def _text_line(self, text: str) -> QLabel:
        """A wrapped line of plain text (a message may quote a path or a model's name: text,
        never markup)."""
        label = QLabel(text, self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        return label

    def _evaluation_table(self) -> QTableWidget:
        table = QTableWidget(len(EVAL_ROWS), len(EVAL_COLUMNS), self)
        table.setVerticalHeaderLabels([label for _, label in EVAL_ROWS])
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # compact rows (the style's default row is ~30 px): in the low dock of a 1024x640
        # window the table then shows with less scrolling; a number never needs more
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        # a column is never narrower than "0.000": a too narrow table scrolls sideways
        # instead of cutting its columns
        table.horizontalHeader().setMinimumSectionSize(
            table.fontMetrics().horizontalAdvance("HR@10 ") + 16)
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        # Tab leaves the table (it went from cell to cell, and never out); arrows read it
        table.setTabKeyNavigation(False)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        table.setMinimumWidth(380)
        table.setAccessibleName("Evaluation: graph model vs audio only")
        table.installEventFilter(self)  # its headers follow its width (_fit_headers)
        return table

    def _build_side_column(self) -> None:
        """Status, progress and the model's line, in a column that scrolls when the dock is
        lower than it: squeezed, wrapped lines were drawn over each other (a 1366x768 screen,
        a narrow window)."""
        self.side = QWidget()
        side = QVBoxLayout(self.side)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.status)
        bar = QHBoxLayout()
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.cancel_button)
        side.addLayout(bar)
        side.addWidget(self.model_line)
        side.addWidget(self.notes_line)
        side.addStretch(1)
        self.side_scroll = QScrollArea(self)
        self.side_scroll.setWidget(self.side)
        self.side_scroll.setWidgetResizable(True)
        self.side_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.side_scroll.setMinimumWidth(160)
        self.side_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # texts: nothing to act on

    def _table_column(self) -> QVBoxLayout:
        """The caption over the table, nothing else: one line of caption and the table's
        fixed height fit the lowest dock (the plots' minimum), so the table shows whole."""
        column = QVBoxLayout()
        column.addWidget(self.table_caption)
        column.addWidget(self.table)
        column.addStretch(1)
        return column

    def _fit_headers(self) -> None:
        """Column headers in one line ("Graph HR@10") where the columns are wide enough, else
        in two ("Graph" over "HR@10"; in one line they were cut to "raph HR@1" on a narrow
        dock); the table's height follows, so that its three rows always show whole."""
        one_line = [header for *_, header in EVAL_COLUMNS]
        metrics = self.table.horizontalHeader().fontMetrics()
        t = self.table  # its viewport is resized after it: from the table's own width
        inner = max(t.width(), t.minimumWidth()) - t.verticalHeader().sizeHint().width() \
            - 2 * t.frameWidth()
        column = inner / len(one_line)
        fits = all(metrics.horizontalAdvance(h) + 12 <= column for h in one_line)
        labels = one_line if fits else [h.replace(" ", "\n", 1) for h in one_line]
        current = [self.table.horizontalHeaderItem(c).text() if self.table.horizontalHeaderItem(c)
                   else None for c in range(len(one_line))]
        if labels == current:
            return
        self.table.setHorizontalHeaderLabels(labels)
        row_h = self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + len(EVAL_ROWS) * row_h + 4)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize and watched is getattr(self, "table", None):
            self._fit_headers()
        elif event.type() == QEvent.Type.Resize and watched in (self.loss_plot, self.val_plot):
            self._fit_title(watched)
        return False

    def _fit_title(self, plot: pg.PlotWidget) -> None:
        """The plot's full title where it fits its width, else the longest shorter one that
        does (:data:`PLOT_TITLES`)."""
        titles = PLOT_TITLES["loss" if plot is self.loss_plot else "val"]
        font = QFont(plot.font())
        font.setPointSizeF(10)  # the title's size (_set_title)
        room = plot.width() - 60  # centred right of the y axis (~50 px with its label)
        width = QFontMetrics(font).horizontalAdvance
        title = next((t for t in titles if width(t) <= room), titles[-1])
        if plot.plotItem.titleLabel.text != title:
            _set_title(plot, title)

    def preferred_height(self) -> int:
        """The height that shows the texts and the table whole at their present widths (the
        texts scroll when the dock is lower)."""
        width = max(self.side_scroll.viewport().width(), self.side_scroll.minimumWidth())
        side = (self.side.heightForWidth(width) if self.side.hasHeightForWidth()
                else self.side.sizeHint().height())  # (the hint wraps its lines at ~60 px)
        caption = self.table_caption.heightForWidth(max(self.table.width(),
                                                        self.table.minimumWidth()))
        table = max(caption, self.table_caption.sizeHint().height()) + 6 + self.table.height()
        return max(side, table) + 12  # + the panel's margins

    # -- a run ---------------------------------------------------------------------------------
    def start(self) -> None:
        self.steps.clear()
        self.losses.clear()
        self.val_steps.clear()
        self.val_hr10.clear()
        self.loss_curve.setData([], [])
        self.val_curve.setData([], [])
        for line in self.best_lines:
            line.hide()
        self._show_empty_notes(False)
        self.progress.setRange(0, 0)
        self.status.setText("Training the graph model…")
        self.run_shown = True
        self._show_run_controls(True)

    def _show_empty_notes(self, show: bool) -> None:
        """The plots' notes: "no curve" on both (``show``), or none — but for the
        validation plot of a loss curve with no validation point, which says so."""
        for note in self.empty_notes:
            note.setText(NO_CURVE)
            note.setPos(0.5, 0.5)
            note.setVisible(show)
        if not show and self.losses and not self.val_hr10:
            note = self.empty_notes[1]  # the validation plot, in the middle of the steps
            note.setText(NO_VALIDATION)
            note.setPos((self.steps[0] + self.steps[-1]) / 2, 0.5)
            note.show()

    def _show_run_controls(self, running: bool) -> None:
        """The progress bar and Cancel show while a run goes only: between runs an empty bar
        beside a greyed-out button looked like a run that had stalled."""
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)

    def add_progress(self, batch: list[Progress]) -> None:
        """Plot every report of a batch (called with ``Job.progress_batch``): the steps of
        the run under way (stage ``train``); the run on the playlists alone that validation
        may add after it (``train-playlists``) counts from step 0 again and is only told."""
        changed_loss = changed_val = False
        for p in batch:
            if p.stage != "train":
                continue
            step = p.extra.get("step")
            loss = p.extra.get("loss")
            if step is not None and loss is not None and math.isfinite(float(loss)):
                self.steps.append(float(step))
                self.losses.append(float(loss))
                changed_loss = True
            val = p.extra.get("val_hr10")
            if step is not None and val is not None and (not self.val_steps or self.val_steps[-1] != step):
                self.val_steps.append(float(step))
                self.val_hr10.append(float(val))
                changed_val = True
        if changed_loss:
            self.loss_curve.setData(np.asarray(self.steps), np.asarray(self.losses))
        if changed_val:
            self.val_curve.setData(np.asarray(self.val_steps), np.asarray(self.val_hr10))
        last = batch[-1] if batch else None
        if last is not None:
            if stops_early(last):
                self.progress.setRange(0, 0)  # busy: the limit is not where it will end
            elif last.total:
                self.progress.setRange(0, int(last.total))
                self.progress.setValue(int(min(last.done, last.total)))
            # A training step's message already says its loss (the command line shows it):
            # the dock says it once, from its own curves.
            stepping = last.extra.get("loss") is not None and last.total
            text = step_text(last) if stepping else progress_text(last)
            if self.losses and last.stage == "train":
                text += f" — loss {self.losses[-1]:.4f}"
            if self.val_hr10 and last.stage == "train":
                text += f", validation HR@10 {self.val_hr10[-1]:.3f}"
            self.status.setText(text)

    def finish(self, outcome: str, metrics: dict | None = None, message: str = "",
               best_step: int | None = None) -> None:
        """outcome: succeeded | cancelled | failed. ``best_step``: the step whose weights were
        kept (early stopping on validation HR@10), marked on both curves."""
        self._show_run_controls(False)
        self.run_shown = True
        if outcome == "succeeded" and best_step is not None:
            for line in self.best_lines:
                line.setValue(best_step)
                line.show()
        if outcome == "succeeded":
            self.status.setText(message or "Training finished: the new model is in use.")
            self._show_empty_notes(False)  # a run that validated nothing says so
            if metrics:
                self.show_metrics(metrics)
        elif outcome == "cancelled":
            self.status.setText("Training cancelled: the previous model is still in use.")
        else:
            self.status.setText(f"Training failed: {message}")

    def show_metrics(self, metrics: dict | None) -> None:
        """The ``eval --json`` shape: overall ``graph``/``audio``/``pairs`` and the ``warm`` and
        ``cold`` blocks; one row each (:func:`~musicsage.controllers.evaluation.evaluation_table`)."""
        table = evaluation_table(metrics)
        for r, row in enumerate(table.rows):
            header = QTableWidgetItem(row.label)
            header.setToolTip(row.tip)
            self.table.setVerticalHeaderItem(r, header)
            for c, (text, better) in enumerate(zip(row.cells, row.better)):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setToolTip(row.tip)
                if better:
                    f = item.font()
                    f.setBold(True)
                    item.setFont(f)
                self.table.setItem(r, c, item)
        self.table_caption.setText(table.caption)
        self.table_caption.setToolTip(table.caption_tip)
        self.notes_line.setText(table.notes)
        self.notes_line.setVisible(bool(table.notes))

    def show_model(self, text: str, metrics: dict | None, *, running: bool,
                   curves: TrainingCurves | None = None) -> None:
        """The model in use (after a library load); its evaluation fills the table unless a run
        is going (the run's own result comes with :meth:`finish`), and its saved curves fill
        the plots until a run is shown."""
        self.model_line.setText(text)
        if running:
            return
        self.show_metrics(metrics)
        # once a run was shown (the window's Retrain, the demo's build), its curves and its
        # outcome stay: a run that failed before its first step drew no curve, but its
        # message must not go, and a load during the demo's training must not wipe its curve
        if self.run_shown:
            return
        self.show_curves(curves)
        if metrics:
            self.status.setText("Press Retrain to train a new graph model: it learns from "
                                "playlists and tracks added since. The curves and the "
                                "table show the model in use.")

    def show_curves(self, curves: TrainingCurves | None) -> None:
        """A saved model's curves and the step it kept (None: empty plots — a model saved
        before curves were kept, or none yet)."""
        loss = curves.loss if curves is not None else []
        val = curves.val_hr10 if curves is not None else []
        self.steps[:], self.losses[:] = [s for s, _ in loss], [v for _, v in loss]
        self.val_steps[:], self.val_hr10[:] = [s for s, _ in val], [v for _, v in val]
        self.loss_curve.setData(np.asarray(self.steps), np.asarray(self.losses))
        self.val_curve.setData(np.asarray(self.val_steps), np.asarray(self.val_hr10))
        self._show_empty_notes(not loss and not val)
        best = curves.best_step if curves is not None and (loss or val) else None
        for line in self.best_lines:
            if best is not None:
                line.setValue(best)
            line.setVisible(best is not None)


class TrainingDock(QDockWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Training", parent)
        self.setObjectName("training_dock")
        self.panel = TrainingPanel(self)
        # in a scroll area of its own: on a window below LOW_WINDOW px the dock takes what is
        # left and scrolls, instead of growing the window past the screen (800x500: 623 px)
        self.scroll = PanelScroll(self.panel, self,
                                  low_least=2 * self.fontMetrics().lineSpacing())
        self.setWidget(self.scroll)
        self.fit_window_height(LOW_WINDOW)
        self.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)

    def fit_window_height(self, height: int) -> None:
        """The dock's least height for a window ``height`` px high: the whole panel (its
        table never scrolls) on a window of LOW_WINDOW px or more, else two lines — the
        panel scrolls — so that opening the dock never makes the window taller."""
        self.scroll.set_whole(height >= LOW_WINDOW)
