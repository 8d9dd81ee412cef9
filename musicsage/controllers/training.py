"""Retrain: one training run at a time, its live progress and its outcome.

The training display (the window's dock) follows :attr:`TrainingController.started`,
``progress`` and ``finished``; the demo build shows its own training stage through the same
events (:meth:`begin_display` …), so the dock has one source of truth. A Retrain may train
twice (the second run, on the playlists alone, reports its steps as
:data:`~musicsage.controllers.wording.PLAYLISTS_RUN`); which run validation kept reaches the
display as a last report, of :data:`RESULT_STAGE`, just before ``finished``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from musicsage.controllers.evaluation import describe_model, retrain_needs
from musicsage.controllers.summaries import describe_training
from musicsage.controllers.tasks import Event, Task
from musicsage.controllers.wording import RETRAIN_ADVICE, blend_text, kept_run
from musicsage.graph.curves import TrainingCurves
from musicsage.graph.reports import MIN_MEMBERSHIPS, training_need
from musicsage.graph.saved_numbers import graph_figure
from musicsage.progress import Progress, is_wait
from musicsage.usecases import pipeline
from musicsage.usecases.models import older_protocol

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.controllers.app import AppController
    from musicsage.graph.reports import TrainReport
    from musicsage.usecases.snapshot import LibrarySnapshot

TRAINING_PANEL = "training"
"""The view that draws a run's progress and Cancel (the window's training dock)."""

RESULT_STAGE = "train: result"
"""No stage of the use case: the controller's last report to the training display, before
``finished`` (whose four values the window's wiring unpacks). Its message is the "Kept:" line
when validation chose between two runs ("" otherwise); ``extra``: ``kept_run`` (0, 1 or
None), ``kept_tip`` (why) and ``terms`` (docs/model.md's names for what the finished
message words plainly, for its tooltip)."""

NO_PLAYLISTS = ("Retrain needs playlists: the graph model learns from the tracks you put "
                "together. Import your playlists (File ▸ Import playlists…) or drop them on "
                "the window")
NO_RESOLVED = "Retrain " + training_need((), usable=None, unresolved=True)
"""Said instead of :data:`NO_PLAYLISTS` when playlists were imported but none of their entries
resolved ("Import your playlists" misled the user who just had)."""


NO_VECTORS = training_need([(0, t) for t in range(MIN_MEMBERSHIPS)], usable=0, unresolved=False)
"""What training needs of a library with playlists but no audio vectors yet (no embed run;
the decision's words for enough memberships, none of them of an analysed track):
"press Retrain" sent the user to a run that failed with "no audio embeddings yet"."""


def _usable(snap: "LibrarySnapshot") -> int | None:
    """The memberships training keeps (of tracks with audio vectors): the snapshot's count;
    0 where nothing is embedded at all; None where it was not counted (a snapshot made
    without it) and some vectors exist."""
    usable = getattr(snap, "usable_memberships", None)
    return usable if usable is not None else (None if snap.stats.embeddings else 0)


def training_need_of(snap: "LibrarySnapshot") -> str | None:
    """:func:`~musicsage.graph.reports.training_need` of ``snap`` in the window's words; a
    library with no track at all (:attr:`~musicsage.usecases.snapshot.LibrarySnapshot.tracks`
    lists missing ones too) is told to add a music folder, as ``models`` tells it to scan:
    "import playlists" could name none of its tracks."""
    return training_need(snap.memberships, usable=_usable(snap) if snap.memberships else None,
                         unresolved=any(p.unresolved for p in snap.playlists),
                         tracks=not snap.empty, **_reach(snap))


def _reach(snap: "LibrarySnapshot") -> dict:
    """The snapshot's :func:`~musicsage.usecases.training_reach.training_reach` (whether an
    embed can analyse some playlist track lacking a vector, whether some playlist holds two
    with one): "use Analyse ▸ Compute embeddings, then Retrain" was said of playlists of
    missing files and tracks without one, which Compute embeddings skips. Empty where the
    snapshot did not read it (the decision then advises as before)."""
    return dict(getattr(snap, "training_reach", None) or {})


def retrain_blocked(snap: "LibrarySnapshot | None") -> str | None:
    """"Retrain needs at least 20 playlist memberships (this library has 13)…": Retrain's
    tooltip and its answer, before a run that could only fail (it opened an error box after
    reading the library). None when it may train (or has no playlists: :data:`NO_PLAYLISTS`)."""
    why = training_need_of(snap) if snap is not None and snap.memberships else None
    return f"Retrain {why}" if why else None


def train_advice(snap: "LibrarySnapshot | None") -> str:
    """What the user can do for a graph model in the library ``snap``: one decision for every
    line that says there is none or it is unusable (the dock's model line, the map's, the
    Suggestions tab's), :func:`~musicsage.graph.reports.training_need` — the command line's
    notes make it too. :data:`RETRAIN_ADVICE` only where Retrain can train: where it cannot
    (too few playlist memberships of tracks with audio vectors, no playlists, none that name
    a track, no audio vectors yet: :data:`NO_VECTORS`) Retrain answers
    so and the neighbours' note shows no button, and "press Retrain" sent the user to it for
    nothing — the line says what training needs instead, in the neighbours' note's words."""
    why = training_need_of(snap) if snap is not None else None
    return f"training one {why}" if why else RETRAIN_ADVICE


def result_report(report: "TrainReport") -> Progress:
    """The :data:`RESULT_STAGE` report of a run that succeeded."""
    kept = kept_run(report)
    return Progress(RESULT_STAGE, message=kept.line if kept else "",
                    extra={"kept_run": kept.run if kept else None,
                           "kept_tip": kept.tip if kept else "",
                           "terms": blend_text(report)[1]})


def _graph_hr10(snap: "LibrarySnapshot | None") -> float | None:
    """The HR@10 of the graph model in use, as its training measured it (None: none, or one
    of an older evaluation — :func:`~musicsage.usecases.models.older_protocol`: it counted
    ties for the model, so "below the 0.912 of the model it replaced" compared a new model
    with an inflated figure, and nothing is said of the comparison; or no number of
    :func:`~musicsage.graph.saved_numbers.graph_figure`: a 401-digit one raised in Retrain)."""
    graph = snap.stats.graph_model if snap is not None else None
    metrics = graph.get("metrics") if isinstance(graph, dict) else None
    return None if older_protocol(metrics) else graph_figure(metrics, "hr@10")


def cancelled_text(snap: "LibrarySnapshot | None") -> str:
    """What a cancelled run left in use: the model before it, or none (a first Retrain said
    "the previous model is still in use" beside "No graph model yet")."""
    graph = snap.stats.graph_model if snap is not None else None
    if not graph:
        return "Training cancelled: no graph model yet"
    return f"Training cancelled: model {graph.get('id')} is still in use"


class TrainingController:
    def __init__(self, app: "AppController", options: dict | None = None) -> None:
        self.app = app
        self.options = dict(options or {})
        """Keywords for the train stage (tests: a small ``max_steps``)."""
        self.task: Task | None = None
        self._ctx: "AppContext | None" = None
        """The library the run trains (it goes on there when another is shown)."""
        self._before: "LibrarySnapshot | None" = None
        """That library as the run began (what a cancel left in use there)."""
        self._replaced_hr10: float | None = None
        """The HR@10 of the model a running training will replace (None: none)."""
        self._waiting = False
        """The run is waiting for another training of the library (a terminal's) to end."""
        self._showing = False
        """A run is shown (from :meth:`begin_display` to :meth:`end_display`)."""
        self.started = Event()  # status text or None: a run starts being shown
        self.progress = Event()  # [Progress]: reports with step/loss/val_hr10
        self.finished = Event()  # outcome, metrics or None, message, kept step or None
        self.cancelling = Event()
        self.raised = Event()  # Retrain while running: show the run again
        self.running_changed = Event()  # bool
        self.done = Event()  # outcome, once the library (and neighbours) show the result
        # text, metrics or None, TrainingCurves or None: the model in use (each snapshot)
        self.model_shown = Event()
        self.needs: str | None = None
        """What Retrain needs before it can train in the library of the last
        :attr:`model_shown` (:func:`~musicsage.controllers.evaluation.retrain_needs`; None:
        it can): for the dock's status and notes beside that model."""

    @property
    def running(self) -> bool:
        return self.task is not None

    @property
    def trains_shown_library(self) -> bool:
        """A run of the library shown is going: not one of another library, opened during
        the run (the shown one's "No graph model yet" line is not "the first one is training"
        then: nothing trains it)."""
        return self.task is not None and not self._elsewhere()

    def trains(self, ctx: "AppContext") -> bool:
        """A run of the library at ``ctx`` is going, shown or not (the demo's build must not
        start beside a Retrain of the demo left going by Back to my library)."""
        return self.task is not None and self._ctx is not None and (
            self._ctx.data_dir == ctx.data_dir)

    def start(self) -> Task | None:
        """Train a new graph model in the background (or show the run already going)."""
        if self.task is not None and self.task.running:
            where = self._elsewhere()
            if where:  # one run at a time: this library's Retrain waits for that one's end
                self.app.notify(f"A training is running{where}: press Retrain again once it "
                                "has finished, or cancel it", "warning")
            self.raised.emit()
            return self.task
        snap = self.app.library.snapshot
        if snap is not None and not snap.memberships:
            # it would read the library and fail seconds later with the same news
            # "Rescan…" only for entries that missed (the use case's test): empty playlists
            # have nothing to resolve
            unresolved = any(p.unresolved for p in snap.playlists)
            self.app.notify(NO_RESOLVED if unresolved else NO_PLAYLISTS, "warning")
            return None
        if blocked := retrain_blocked(snap):
            self.app.notify(blocked, "warning")
            return None
        self.begin_display()
        self._replaced_hr10 = _graph_hr10(snap)
        self._ctx, self._before = self.app.ctx, snap
        task = self.app.run("Training", pipeline.train, self._ctx, long="Training",
                            panels=(TRAINING_PANEL,), **self.options)
        self.task = task
        self._waiting = False
        task.on_progress(self._progressed)
        task.on_result(self._succeeded)
        task.on_cancelled(lambda: self._ended("cancelled"))
        task.on_failed(lambda msg, _d: self._ended("failed", msg))
        self.running_changed.emit(True)
        return task

    def _run_task(self) -> Task | None:
        """The run the display may show: the Retrain's, else the demo build's (its training
        stage is shown through the same events)."""
        if self.task is not None:
            return self.task
        build = self.app.demo.task
        return build if build is not None and build.running else None

    def cancel(self) -> None:
        """The display's Cancel (the dock's button, its Esc; shown only while a run is):
        through :meth:`LongTasks.cancel_task`, as the status line's Cancel — one way, so both
        say "Cancelling…" in the status line and the dock until it stopped
        (:meth:`cancel_asked`)."""
        task = self._run_task()
        if task is not None:
            self.app.tasks.cancel_task(task)

    def cancel_asked(self, task: Task) -> None:
        """Any Cancel of ``task`` (connected to :attr:`LongTasks.cancelling`): the display says
        so when it shows that run — the status line's Cancel left the dock at "Training…";
        a demo build cancelled before its training stage has nothing in the dock to say it."""
        if task is self.task or (self._showing and task is self._run_task()):
            self.cancelling.emit()

    # -- the display --------------------------------------------------------------------------
    def show_model(self, snapshot: "LibrarySnapshot") -> None:
        """The model in use, from a fresh snapshot: its evaluation, its training curves and the
        tracks it did not see in training (new music placed by the saved model until the next
        Retrain)."""
        graph = snapshot.stats.graph_model
        metrics = graph.get("metrics") if isinstance(graph, dict) else None
        info = snapshot.graph_model
        curves = TrainingCurves.from_params(info.params) if info is not None else None
        advice, blocked = train_advice(snapshot), retrain_blocked(snapshot)
        self.needs = retrain_needs(advice, blocked)
        self.model_shown.emit(describe_model(graph, advice, blocked),
                              metrics if isinstance(metrics, dict) else None, curves)

    def begin_display(self, text: str | None = None) -> None:
        self._showing = True
        self.started.emit(text)

    def display_progress(self, batch: "list[Progress]") -> None:
        self.progress.emit(batch)

    def end_display(self, outcome: str, metrics: dict | None = None, message: str = "",
                    best_step: int | None = None) -> None:
        self._showing = False
        self.finished.emit(outcome, metrics, message, best_step)

    # -- outcome ------------------------------------------------------------------------------
    def _elsewhere(self) -> str:
        """The words " (library …, not the one shown)" while the run's library is not shown
        (File ▸ Open demo library during a Retrain), else "": its outcome is that library's."""
        return "" if self._ctx is None else self.app.library.elsewhere(self._ctx)

    def _succeeded(self, report: "TrainReport") -> None:
        where = self._elsewhere()
        # of a run that left the model before it current, the reason itself: the table and
        # its notes are the model in use's once the library is read again, which lack it
        text = describe_training(report, self._replaced_hr10, notes_inline=True)
        if where:  # not this library's model: its figures and "in use" are not shown here
            self._ended("succeeded", text.replace("Training finished", "Training finished"
                                                  + where, 1))
            return
        # a run that learned nothing kept no step better than another: no "kept" line (of
        # two runs, the step is the kept run's: the result report says which); one that
        # left the model before it current leaves the table to that one's figures
        kept_before = getattr(report, "kept_current", None) is not None
        self.display_progress([result_report(report)])
        self.end_display("succeeded", None if kept_before else report.metrics, text,
                         best_step=report.best_step if report.learned else None)
        self._ended("succeeded")

    def _progressed(self, batch: "list[Progress]") -> None:
        """The run's reports to the display; when it waited for another training (a
        terminal's ``musicsage train``) and that one ended, the library is read again: the
        other run's model is current now, and the window still showed the one before."""
        for p in batch:
            waits = is_wait(p)
            if self._waiting and not waits and not self._elsewhere():
                self.app.library.reload(then=self._read_replaced)
            self._waiting = waits
        self.display_progress(batch)

    def _read_replaced(self) -> None:
        """The HR@10 of the model the run now replaces (another run's), read from the run's
        library: one shown meanwhile has models of its own."""
        if not self._elsewhere():
            self._replaced_hr10 = _graph_hr10(self.app.library.snapshot)

    def _ended(self, outcome: str, message: str = "") -> None:
        """The run is over. Of a library no longer shown, only its outcome is said, naming
        it: that library's model is not this one's, and nothing here changed."""
        where, ctx = self._elsewhere(), self._ctx
        if outcome == "cancelled":
            message = cancelled_text(self._before if where else self.app.library.snapshot)
            message = message.replace("Training cancelled", "Training cancelled" + where, 1)
        elif outcome == "failed" and where:
            message += where
        if outcome != "succeeded" or where:
            self.end_display(outcome, message=message)
        self.task, self._ctx = None, None
        self.running_changed.emit(False)
        if outcome == "cancelled" or (where and outcome == "succeeded"):
            self.app.notify(message)
        if where:  # (the shown one's model line never said it trains: trains_shown_library)
            self.done.emit(outcome)
            return
        self.app.library.reload(then=lambda: self._after(outcome, ctx))

    def _after(self, outcome: str, ctx: "AppContext | None" = None) -> None:
        """The library read after the run: the selected track's lists from its model — not
        when another library was opened before that read came (its selection is its own)."""
        shown = ctx is None or self.app.library.shows(ctx)
        if shown and self.app.selection.selected is not None:
            self.app.selection.refresh_neighbours()
        self.done.emit(outcome)
