"""The training dock: live loss curve and validation HR@10, progress, Cancel, final evaluation.

It follows :class:`~musicsage.controllers.training.TrainingController`'s display events; the
train use case reports ``Progress.extra`` ``{step, loss, val_hr10}``. Every report is plotted (the
worker hands them over in batches, so nothing is lost however fast training runs) by
:mod:`musicsage.gui.training_plots`, a second run (the playlists alone) as a series of its
own, and the "Kept:" line says which run validation kept, and why. At the end the table
shows graph model vs audio only on the evaluation protocol — overall, warm, cold and new
held-out pairs, HR@10 and MRR (:mod:`musicsage.controllers.evaluation` decides what each
cell says), and the evaluation's notes beside it (one held-out pair, a run that learned nothing).
Between runs it shows the model in use: its evaluation, its saved curves (until a run in
this window draws its own), and how many tracks it placed without having seen them in training.
"""

from __future__ import annotations

import math

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import (QApplication, QDockWidget, QFrame, QHBoxLayout, QHeaderView, QLabel,
                               QProgressBar, QPushButton, QScrollArea, QTableWidget,
                               QTableWidgetItem, QToolTip, QVBoxLayout, QWidget)

from musicsage.controllers.evaluation import (EVAL_COLUMNS, EVAL_ROWS, evaluation_table,
                                              idle_status)
from musicsage.controllers.training import RESULT_STAGE
from musicsage.controllers.wording import (PLAYLISTS_RUN, RUNS_KEY, SECOND_RUN, eval_column_tip,
                                           progress_text, step_text, stops_early, window_note)
from musicsage.gui.dock_fit import refit_lower, tab_stops  # (main_window reads it from here)
from musicsage.gui.neighbours import HINT_CONTRAST, readable
from musicsage.gui.panel_scroll import LOW_WINDOW, PanelScroll
from musicsage.gui.shown_outcome import ShownOutcome
# NO_CURVE and NO_VALIDATION: the plots' notes, still read from here
from musicsage.gui.training_plots import NO_CURVE, NO_VALIDATION, TrainingPlots  # noqa: F401
from musicsage.graph.curves import TrainingCurves
from musicsage.progress import Progress
from musicsage.text import loss_text

NOTE_AMBER = "#8a5a00"
CANCELLING = "Cancelling…"


def note_colour(palette: QPalette) -> QColor:
    """The notes' amber, mixed towards the text colour as far as it takes to read at
    HINT_CONTRAST on the window: #8a5a00 alone was 2.3:1 on a dark theme."""
    return readable(NOTE_AMBER, palette.windowText().color(), palette.window().color(),
                    HINT_CONTRAST)


class TrainingPanel(QWidget):
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plots = TrainingPlots(self)
        self.loss_plot, self.val_plot = self.plots.plots
        first = self.plots.runs[0]  # the first run's (or the saved model's) points and series
        self.loss_curve, self.val_curve = first.loss_curve, first.val_curve
        self.steps, self.losses = first.steps, first.losses
        self.val_steps, self.val_hr10 = first.val_steps, first.val_hr10
        self.best_lines, self.empty_notes = self.plots.best_lines, self.plots.empty_notes
        self.status = self._text_line("Loss, validation and evaluation of a training show here.")
        self.status.setMinimumHeight(self.status.fontMetrics().height() * 2)
        self.runs_line = self._text_line(RUNS_KEY)
        """Which curves are which run, while the plots show two."""
        self.runs_line.hide()
        self.kept_line = self._text_line("")
        """Which of two runs validation kept, and why ("Kept: run 2 (playlists only) — …");
        hidden but after a Retrain that trained twice."""
        self.kept_line.hide()
        self._result: Progress | None = None
        """The controller's RESULT_STAGE report of the run under way (the Kept line)."""
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(True)
        # its own least width (95 px) and Cancel's made the column wider than its 167-px
        # view in an 800-px window: the status's lines were cut at the right
        self.progress.setMinimumWidth(60)
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
        # a run was shown in this window: its curves and its outcome stay over library loads
        self.run_shown = False
        self._outcome = ShownOutcome()  # which model the last run's outcome is about
        self._saved: TrainingCurves | None = None  # the model in use's, from the last load

    def _colour_notes(self) -> None:
        palette = QPalette()  # only the notes' colour set: the rest follows the panel's
        palette.setColor(QPalette.ColorRole.WindowText, note_colour(self.palette()))
        self.notes_line.setPalette(palette)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        """A new theme (light to dark): the notes' amber and the plots follow it."""
        if event.type() == QEvent.Type.PaletteChange:
            self._colour_notes()
            self.plots.recolour(self.palette())
        super().changeEvent(event)

    def _text_line(self, text: str) -> QLabel:
        """A wrapped line of plain text (a message may quote a path or a model's name: text,
        never markup) that a word wider than its column cuts, never widens: one long word in
        the status pushed the progress bar and Cancel out of sight, right of the column."""
        return QLabel(text, self, textFormat=Qt.TextFormat.PlainText, wordWrap=True,
                      minimumWidth=1)

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
        side.addWidget(self.runs_line)
        side.addWidget(self.kept_line)
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
        for c, (space, metric, _header) in enumerate(EVAL_COLUMNS):  # what HR@10, MRR mean
            self.table.horizontalHeaderItem(c).setToolTip(eval_column_tip(space, metric))
        row_h = self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + len(EVAL_ROWS) * row_h + 4)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize and watched is getattr(self, "table", None):
            self._fit_headers()
        return False

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
        self.plots.start()
        self._result = None
        self.kept_line.hide()
        self.runs_line.hide()
        self.status.setToolTip("")
        self.progress.setRange(0, 0)
        self.status.setText("Training the graph model…")
        self.run_shown = True
        self._outcome.cleared()
        self._show_run_controls(True)

    def _show_run_controls(self, running: bool) -> None:
        """The progress bar and Cancel show while a run goes only: between runs an empty bar
        beside a greyed-out button looked like a run that had stalled."""
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)

    def add_progress(self, batch: list[Progress]) -> None:
        """Plot every report of a batch (called with ``Job.progress_batch``): the steps of
        the run under way (stage ``train``), and of the run on the playlists alone that
        validation may add after it (``train-playlists``), a series of its own that counts
        from step 0 again. The controller's result report is kept for :meth:`finish`."""
        self._result = next((p for p in batch if p.stage == RESULT_STAGE), self._result)
        batch = [p for p in batch if p.stage != RESULT_STAGE]
        self.plots.add(batch)
        self.runs_line.setVisible(self.plots.two_runs)
        last = batch[-1] if batch else None
        if last is None or self.status.text() == CANCELLING:
            return  # "Cancelling…" stays until the run stopped: a step's report put back
            # "Training the graph model…" for the seconds the run took to stop
        if stops_early(last):
            self.progress.setRange(0, 0)  # busy: the limit is not where it will end
        elif last.total:
            self.progress.setRange(0, int(last.total))
            self.progress.setValue(int(min(last.done, last.total)))
        self.status.setText(self._step_text(last))

    def _step_text(self, last: Progress) -> str:
        """A training step's message already says its loss (the command line shows it): the
        dock says it once, from its own curves — the run's that the step belongs to, which
        it names when it is the second."""
        stepping = last.extra.get("loss") is not None and last.total
        if not stepping:
            return progress_text(last)
        text = step_text(last)
        run = self.plots.run_of(last.stage)
        if run is not None and run.steps and run.steps[-1] == last.extra.get("step"):
            text += f" — loss {loss_text(run.losses[-1], 4)}"  # (NaN: no stale one instead)
        elif not math.isfinite(float(last.extra["loss"])):  # NaN, ±inf: the curve stops
            text += " — loss is not a finite number (training diverged?)"
        if run is not None and run.val_hr10:
            text += f", validation HR@10 {run.val_hr10[-1]:.3f}"
        return f"{SECOND_RUN}: {text}" if last.stage == PLAYLISTS_RUN else text

    def finish(self, outcome: str, metrics: dict | None = None, message: str = "",
               best_step: int | None = None) -> None:
        """outcome: succeeded | cancelled | failed. ``best_step``: the step whose weights were
        kept (early stopping on validation HR@10), marked on both curves — of the run
        validation kept when the Retrain trained two (the "Kept:" line says which)."""
        self._show_run_controls(False)
        self.run_shown = True
        result, self._result = self._result, None
        told = result.extra if result is not None else {}
        if outcome == "succeeded":
            self.plots.mark_kept(best_step, told.get("kept_run"))
            self.kept_line.setText(result.message if result is not None else "")
            self.kept_line.setToolTip(told.get("kept_tip", ""))
            self.kept_line.setVisible(bool(self.kept_line.text()))
            self.status.setText(message or "Training finished: the new model is in use.")
            self.status.setToolTip(told.get("terms", ""))  # the docs' names for its words
            self.plots.show_empty_notes(False)  # a run that validated nothing says so
            self._outcome.ended(self.model_line.text())
            if metrics:
                self.show_metrics(metrics)
            return
        if outcome == "cancelled":
            # what is in use: the model before the run, or none (the controller's words)
            self.status.setText(f"{message or 'Training cancelled'}.")
        else:  # its first line (it showed a traceback's lines); all of it in its tooltip, as
            lines = window_note(message.strip()).splitlines() or [""]  # the column cuts a path
            self.status.setText(f"Training failed: {lines[0]}")  # (the window's hints, as the
            self.status.setToolTip(window_note(message.strip()))  # error notification's)
        # beside the table of the model in use its curves read as its own (a failure's stayed)
        self.show_curves(self._saved)
        self.run_shown = False  # its line stays while the model in use does
        self._outcome.stopped(self.model_line.text())

    def show_metrics(self, metrics: dict | None, needs: str | None = None) -> None:
        """The ``eval --json`` shape: overall ``graph``/``audio``/``pairs`` and the ``warm`` and
        ``cold`` blocks; one row each (``needs``: what Retrain needs first, for the notes;
        :func:`~musicsage.controllers.evaluation.evaluation_table`)."""
        table = evaluation_table(metrics, needs)
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
                   curves: TrainingCurves | None = None, needs: str | None = None) -> None:
        """The model in use (after a library load): its evaluation fills the table, a run
        going or not — the run's own result comes with :meth:`finish`, and until then the
        table is the model's beside its line (a load during a run, after a terminal's train
        or a scan, left the model before's figures) — and its saved curves fill the plots
        until a run is shown, and again once another model than the run's is current.
        ``needs``: what Retrain needs before it can train (None: it can), said for it."""
        self.model_line.setText(text)
        self._saved = curves
        keep_status = self._outcome.keeps_status(text)  # "Training cancelled: model 2 is …"
        self.show_metrics(metrics, needs)
        if running:
            return
        replaced = self.run_shown and self._outcome.replaced(text)
        if replaced:  # the run's "the new model is in use" and its curves are not this one's
            self.run_shown = False
            self.kept_line.hide()
        # once a run was shown (the window's Retrain, the demo's build), its curves and its
        # outcome stay: a run that failed before its first step drew no curve, but its
        # message must not go, and a load during the demo's training must not wipe its curve
        if self.run_shown:
            return
        self.show_curves(curves)
        if (metrics or replaced) and not keep_status:  # a failure's tooltip goes with its line
            self.status.setText(idle_status(needs))
            self.status.setToolTip("")

    def show_curves(self, curves: TrainingCurves | None) -> None:
        """A saved model's curves and the step it kept (None: empty plots — a model saved
        before curves were kept, or none yet)."""
        self.plots.show_saved(curves)
        self.runs_line.hide()


class TrainingDock(QDockWidget):
    """The dock of :class:`TrainingPanel`. Esc in it is its own (:meth:`keyPressEvent`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Training", parent)
        self.setObjectName("training_dock")
        self.panel = TrainingPanel(self)
        # in a scroll area of its own: on a window below LOW_WINDOW px the dock takes what is
        # left and scrolls, instead of growing the window past the screen (800x500: 623 px)
        self.scroll = PanelScroll(self.panel, self, low_least=2 * self.fontMetrics().lineSpacing())
        self.setWidget(self.scroll)
        self.fit_window_height(LOW_WINDOW)
        self.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea
                             | Qt.DockWidgetArea.RightDockWidgetArea)
        self.came_from: QWidget | None = None
        """The window's widget the focus last came into the dock from: where Esc takes it."""
        QApplication.instance().focusChanged.connect(self._focus_moved)

    def _focus_moved(self, old: QWidget | None, new: QWidget | None) -> None:
        host = self.parentWidget()
        if (old is not None and new is not None and host is not None and self.isAncestorOf(new)
                and not self.isAncestorOf(old) and old.window() is host.window()):
            self.came_from = old

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        """Esc in the dock is about the dock: it cancels the run the dock shows, as its
        Cancel button (nothing while it is hidden), and between runs takes the focus back to
        where it came from in the window. It cancelled the window's current task — a scan
        or an embedding started after the training, which nothing in the dock showed — or,
        with none, did nothing at all. Ctrl+. cancels the current task from here still
        (:func:`~musicsage.gui.window_keys.add_cancel_key`); a tooltip goes first, as
        elsewhere in the window."""
        if (event.key() != Qt.Key.Key_Escape
                or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            super().keyPressEvent(event)
            return
        cancel = self.panel.cancel_button
        if QToolTip.isVisible():
            QToolTip.hideText()
        elif cancel.isVisibleTo(self.panel) and cancel.isEnabled():
            self.panel.cancel_requested.emit()
        else:
            self.give_back_focus()
        event.accept()

    def give_back_focus(self) -> None:
        """The focus to the widget it came from (the window activated: the dock may float),
        or, where that one is gone, hidden or greyed out, to the window's first Tab stop."""
        target = self.came_from
        if target is None or not shiboken6.isValid(target) or not (
                target.isVisible() and target.isEnabled()):
            target = self._first_stop()
        if target is None:
            return
        target.window().activateWindow()
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _first_stop(self) -> QWidget | None:
        host = self.parentWidget()
        return None if host is None else next(
            (stop for stop in tab_stops(host) if stop.isVisible() and stop.isEnabled()
             and not self.isAncestorOf(stop)), None)

    def fit_window_height(self, height: int) -> None:
        """The dock's least height for a window ``height`` px high: the whole panel (its
        table never scrolls) on a window of LOW_WINDOW px or more, else two lines — the
        panel scrolls — so that opening the dock never makes the window taller. A window
        made lower gives the dock no more than it would open at (:func:`refit_lower`)."""
        self.scroll.set_whole(height >= LOW_WINDOW)
        lower, self._window_height = height < getattr(self, "_window_height", height), height
        if lower:  # after the window's own resize handling, which keeps a roomy dock's height
            QTimer.singleShot(0, self, lambda: refit_lower(self))
