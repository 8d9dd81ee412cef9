"""Opening the demo library: switch to it, build it (or resume the build) in the background.

The build runs the whole pipeline in one task (:func:`musicsage.usecases.demo.build_demo`).
A view shows its progress (:attr:`DemoController.progress`) until the audio map exists
(stage ``train``); from then on the library is reloaded so the map is on screen, and the
training stage is shown through the training controller's display events.

While the demo is shown instead of the library the window was started on, the window says so
(:attr:`DemoController.banner`) and File ▸ Back to my library (:meth:`DemoController.go_home`)
shows that library again; music added meanwhile goes into it, never into the demo.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING, Callable

from musicsage.context import AppContext, library_key
from musicsage.controllers.demo_notes import paused_note, recorded_for_open, stopped_note
from musicsage.controllers.tasks import Event, Task
from musicsage.controllers.training import TRAINING_PANEL, is_wait
from musicsage.controllers.wording import progress_text, window_note
from musicsage.progress import Progress
from musicsage.text import sentence
from musicsage.usecases.demo import (DEMO_LIBRARY_WAY, build_demo, demo_data_dir,
                                     moved_aside_notes)
from musicsage.usecases.demo_look import DemoLook, look_at_demo

if TYPE_CHECKING:
    from pathlib import Path

    from musicsage.controllers.app import AppController
    from musicsage.demo.state import DemoReport, DemoState

WELCOME_PANEL = "welcome"
"""The view that draws the build's progress and Cancel until the map shows (the first page);
then its training stage is drawn by the training dock."""

TRAINED_IN_USE = "Demo graph model trained: it is in use."
"""The dock's line for the demo's trained model: the build made it current."""

BUILD_TASK = "Building the demo library"
"""The build's task: its failure is said by :meth:`DemoController._failed` alone, with the way
on (the window's generic "Building the demo library: …" line made a second error dialog of
one cause: :data:`~musicsage.controllers.app.QUIET_FAILURES`)."""
STOPPED_STAGE = "demo-stopped"
"""The stage of the build's last report when it failed: its message is what the welcome card
says once the build has stopped (:func:`stopped_note`)."""
READ_TASK = "Reading the demo library"
"""The read Open demo library does before it switches (:func:`look_at_demo`), on a worker: the
status line says it at once, with a busy bar."""

PAUSE_HINT = ("Cancel pauses the build: what it has made is kept, and Open demo library "
              "resumes it")
"""The card's words under the build's bar, and Cancel's tooltip: Cancel did not say whether
it threw the minutes of work away."""

MENU_RESUME = "File ▸ Open demo library"
"""Where the status line sends the user to resume a stopped build: the card and its button
are gone once the build has scanned (the window shows the half-built library)."""


def refused_note(problem: object) -> str:
    """The status line's and the welcome card's words for a demo that cannot be opened (its
    folder cannot be made, a build that would be refused): a refusal, not a stopped build.
    The command line's way to another library folder is said as the window's start: the
    window has no place to "give --data-dir"."""
    words = str(problem).replace(DEMO_LIBRARY_WAY, WINDOW_LIBRARY_WAY)
    return f"Cannot open the demo library: {words}"


WINDOW_LIBRARY_WAY = "start musicsage with `--data-dir FOLDER --demo`"
"""The window's words for :data:`~musicsage.usecases.demo.DEMO_LIBRARY_WAY`: the demo built
in the library at FOLDER."""

def unstaged(p: "Progress") -> "Progress":
    """``p``, but when it says the build waits for another build of the demo (the lock's one
    report) without the "(1/6)" of a stage: none of this build's has started, and the welcome
    card claimed the first one for as long as the other build ran."""
    if not (is_wait(p) and "demo_label" in p.extra):
        return p
    x = p.extra
    stage = f"{x['demo_label']} ({x['demo_index'] + 1}/{x['demo_stages']}): "
    return replace(p, message=sentence(p.message.removeprefix(stage)))


def busy_between_counts(p: "Progress") -> "Progress":
    """``p``, but a count standing at its end or at nothing drawn as busy (no total): such a
    bar stands still while the stage goes on uncounted. On a first launch the map stage's
    neighbours reached 240 of 240, then UMAP was loaded and compiled with no count for a
    minute, then its graph stood at 0 % (80 s on a busy 2-core machine): the card showed a
    full bar, frozen, as if the build had hung. A busy bar moves; the next count draws the
    bar again. Only the window's views: the command line's bars end at 100 %."""
    if p.total and not 0 < p.done < p.total:
        return replace(p, total=None)
    return p


def status_words(p: "Progress") -> str | None:
    """The status line's own words for the build's report ``p`` (words of its own draw its bar
    busy), None for the usual line. A wait for another build is no stage of this one; a count
    standing at its end or at nothing is drawn busy there too (:func:`busy_between_counts`):
    with the training dock closed, the line's bar stood full at 500 of 500 while the graph
    model's map was drawn."""
    if is_wait(p):
        return progress_text(unstaged(p))
    if busy_between_counts(p) is not p:
        return progress_text(p)
    return None


class DemoController:
    def __init__(self, app: "AppController", demo_ctx: Callable[[], AppContext] | None,
                 options: dict | None) -> None:
        self.app = app
        self._demo_ctx = demo_ctx
        self.options = dict(options or {})
        """Keywords for build_demo (tests: a smaller demo)."""
        self.task: Task | None = None
        self._opening = False
        self._training_shown = False
        self._trained = False
        """The build's training stage ended (its map stage began): a failure after it is no
        failed training."""
        self._map_shown = False
        self._going_home = False
        """Back to my library was asked for while the build ran: switch once it has stopped."""
        self.busy = Event()  # text: a build starts
        self.progress = Event()  # the latest Progress of the build
        self.idle = Event()  # the build ended (whatever the outcome)
        self.reading = Event()  # True: Open demo library's read began (:meth:`open`); False: ended
        self._reading: Task | None = None
        self._demo_dir: Path | None = None  # the demo's library, as the last read found it

    def demo_context(self) -> AppContext:
        """The demo's library, made (its folder's stats, a lock probe): on the read's worker
        (:func:`look_at_demo`), never on the window's thread."""
        if self._demo_ctx is not None:
            return self._demo_ctx()
        return AppContext.create(demo_data_dir())

    @property
    def building(self) -> bool:
        """A build is running, or Open demo library's read that may start one: what changes
        the library (adding music, a rescan, embedding, Retrain) waits until it ends, or it
        would race the build on the same library (with the read not counted, work started
        during it ran beside the build, and music added then switched home under it)."""
        return self.task is not None or self._opening or self._reading is not None

    @property
    def is_reading(self) -> bool:
        """Open demo library's read is under way (:meth:`open`): what it decides comes after."""
        return self._reading is not None

    @property
    def can_go_home(self) -> bool:
        """The demo is shown instead of the library the window was started on (the only other
        library the window ever opens): File ▸ Back to my library is offered."""
        return self.app.ctx.data_dir != self.app.home_ctx.data_dir

    @property
    def showing_demo(self) -> bool:
        """True while the library shown is the demo: away from the window's own library (even
        before the build has recorded anything there: music added then went into the demo's
        library), or the one Open demo library found or built the demo in (``--data-dir D
        --demo``). Told from what the last read left, asking no disk: it read every demo
        file and made the demo's context (a lock probe) at each call."""
        return self.can_go_home or self._demo_dir == self.app.ctx.data_dir

    @property
    def banner(self) -> str:
        """What the window says while the demo is shown instead of the user's own library
        ("" otherwise), so that nobody takes it for theirs or wonders where their music went.
        A demo opened as the library itself (``--data-dir D``) is what was asked for: no
        banner (the README's screenshots are taken so)."""
        if not self.can_go_home:
            return ""
        return ("Demo library — your own library is not shown. Music you add goes into your "
                "own library.")

    def go_home(self) -> None:
        """File ▸ Back to my library: show the library the window was started on again. A
        build still running is cancelled first (it resumes when the demo is opened again);
        the switch waits until it has stopped, since its end reloads the library shown."""
        if not self.can_go_home:
            return
        if self.task is not None:
            self._going_home = True
            self.app.tasks.cancel_task(self.task)  # the one Cancel: the line says "Cancelling…"
            return
        home = self.app.home_ctx
        if not self.app.set_context(home):  # opened in another window meanwhile
            return
        self.app.library.reload()
        self.app.notify(f"Back to your own library ({home.data_dir})")

    def launched_on(self, data_dir: str | os.PathLike[str]) -> None:
        """A later launch on ``data_dir`` reached this window (one window per library): the
        window's own library, while the demo is shown, is shown again as Back to my library
        does — but not over a demo build (going back would cancel it): the launch's line
        says what the window shows instead."""
        asked = library_key(data_dir)
        if (self.task is None and asked != library_key(self.app.ctx.data_dir)
                and asked == library_key(self.app.home_ctx.data_dir)):
            self.go_home()

    def open(self) -> None:
        """Show the demo library; build it first (or resume its build) when not ready. A build
        that would be refused (its music folder holding the library, one that cannot be
        written) is refused here, before the switch, as the command line refuses it: its
        failure said the build "stopped", with a stale state file even that its finished
        stages were kept and opening resumed it, and opening again failed the same way. What
        decides (:func:`look_at_demo`: the state file, the manifest, a stat and two short
        reads of each of the demo's files, one query) is read on a worker: on the window's
        thread it froze the window for seconds on a slow disk (4 s for the default demo at
        5 ms an access). Meanwhile the status line says so (:data:`READ_TASK`), the card's
        button is off (:attr:`reading`), the library's controls too (:attr:`building`), and a
        second click waits for the same read (after a Cancel: reads anew). The demo's context
        is made there too (:meth:`demo_context`: its folder's stats, a lock probe; a stale
        network home hung the click on them). A ready demo is shown as it is."""
        if self.task is not None:
            self.app.notify("The demo library is being built: its progress is on screen")
            return
        if self._reading is not None and not self._reading.token.cancelled:
            return  # a double click: the first one's read answers both (a cancelled one: none)
        task = self.app.run(READ_TASK, look_at_demo, self.demo_context, self.options)
        self._reading = task
        self.app.tasks.track(task, READ_TASK)
        shown = self.app.ctx
        task.on_result(lambda look: self._looked(look, task, shown))
        task.on_finished(lambda: self._read(task))
        self.reading.emit(True)

    def _read(self, task: Task) -> None:
        """The read ended, whatever it found (a failure is said by the runner; a window
        closed meanwhile never calls here: its workers drop what ends after). One cancelled
        and asked again (:meth:`open`) leaves the newer read going."""
        if self._reading is task:
            self._reading = None
            self.reading.emit(False)

    def _still_asked(self, task: Task, shown: AppContext) -> bool:
        """Whether the read's answer still stands for the click that asked for it: not when
        the status line's Cancel was pressed during it (the read does not stop half-way: its
        answer would switch after the line said "Cancelling…"), nor when another library was
        shown meanwhile (Back to my library, music added to the user's own): the click was
        for the window as it was. A click after the Cancel asked anew: its read answers,
        silently here."""
        if task.token.cancelled:
            if self._reading is task:
                self.app.notify("Open demo library cancelled")
            return False
        return self.app.ctx == shown

    def _looked(self, look: DemoLook, task: Task, shown: AppContext) -> None:
        """Go on from what :func:`look_at_demo` found, if still asked (:meth:`_still_asked`;
        ``shown``: the library shown at the click): refuse, show the demo, or build it."""
        if not self._still_asked(task, shown):
            return
        if look.refusal is not None or look.ctx is None:
            self._refused(look.refusal)
            return
        ctx = look.ctx
        self._demo_dir = ctx.data_dir  # what :attr:`showing_demo` is told by
        if not look.ready and (run := self._run_going(ctx)):
            self.app.notify(f"The demo library is not built while {run} is going: open it "
                            "again once that run has ended, or cancel it", "warning")
            return
        already = ctx.data_dir == self.app.ctx.data_dir
        if not already:
            if not self.app.set_context(ctx):  # another window shows the demo
                return
            self.app.library.reload()
        if look.ready:
            if already:  # the menu item did nothing visible
                self._already_shown()
            return
        self._start_build()

    def _run_going(self, ctx: AppContext) -> str | None:
        """The run going that the build must not start beside (None: none), in words: the
        window runs one training or embedding run at a time (Compute embeddings and Retrain
        wait too), and one started before the click, or during the read by a way the
        controls do not hold, raced the build on the demo library. Only a run of the demo's
        library ``ctx``, shown or left going by Back to my library: a run of the user's own
        library goes on beside the demo's build (refusing then kept the demo shut for the
        hours a new music folder's analysis takes)."""
        if self.app.training.trains(ctx):
            return "a training run"
        return "an embedding run" if self.app.library.embeds(ctx) else None

    def _refused(self, problem: object) -> None:
        """Say on the status line, and on the welcome card if it is shown, that the demo
        cannot be opened and why (its words replace a failed build's)."""
        line = refused_note(problem)
        self.app.notify(line, "error")
        self.progress.emit(Progress(STOPPED_STAGE, message=f"{line.rstrip('.')}."))

    def _start_build(self) -> None:
        """Build the demo library (or resume its build) in the background."""
        self._opening = True  # building from the first word of it (the views follow busy)
        self.busy.emit(f"{BUILD_TASK}…")
        task = self.app.run(BUILD_TASK, build_demo, self.app.ctx, **self.options)
        # the status line in the card's way: a wait is no stage, a standing count is busy
        self.app.tasks.track(task, BUILD_TASK, (WELCOME_PANEL, TRAINING_PANEL),
                             words=status_words)
        self.task, self._opening = task, False
        self._training_shown = self._map_shown = self._trained = False
        task.on_progress(self._progressed)
        task.on_failed(self._failed)
        task.on_finished(self._finished)

    def _already_shown(self) -> None:
        """Open demo library while the demo is the library shown. Its database damaged, the
        page offered this button as the way out, and it only said "already shown": the way
        out is moving the database aside — the demo's music stays, and the next open builds
        the library again from it (:func:`~musicsage.usecases.demo.demo_status`). Only for a
        damaged one: a library that cannot be read for another reason (a newer musicsage's,
        locked) is good, and moving it aside lost it — its own problem is said again. Damage
        is what the failed read found (:attr:`AppController.library_damaged`): the database is
        not opened again here, on the window's thread (a locked one froze it for the busy
        timeout, and broken table pages passed a look at the schema for sound)."""
        problem = self.app.library_problem
        if problem is None:
            self.app.notify("The demo library is already shown")
            return
        db = self.app.ctx.db_path
        if not self.app.library_damaged:
            self.app.notify(f"The demo library cannot be opened: {problem}", "error")
            return
        self.app.notify(f"The demo library's database is damaged: move {db} aside, with "
                        f"{db.name}-wal and {db.name}-shm beside it if there, then open the "
                        "demo library again to build it anew from its music", "error")

    def _progressed(self, batch: "list[Progress]") -> None:
        training = [p for p in batch if p.stage == "train"]
        if training and not self._map_shown:
            # the library, its audio vectors and the audio map are ready: show them now
            self._map_shown = True
            self.app.library.reload()
        steps = [p for p in training if "step" in p.extra]
        if steps and not self._training_shown:
            self._training_shown = True
            self.app.training.begin_display("Training the demo's graph model…")
        if steps:
            self.app.training.display_progress(steps)
        self._trained = self._trained or any(p.stage == "map" for p in batch)
        self.progress.emit(busy_between_counts(unstaged(batch[-1])))

    def _failed(self, message: str, details: str = "") -> None:
        """The build failed (a full disk, its process killed): the training it showed in the
        dock ends there too. It stood at its last step, its Cancel on, as if still training,
        until the window was closed. The welcome card's last words say the build stopped and
        how it goes on (:func:`stopped_note`), and so does the status line: a build stopped
        after its scan leaves the card for the half-built library ("No audio embeddings yet
        … Compute embeddings"), and the line's "try again" said neither how nor that the
        finished stages are kept. It is the failure's one line (and error dialog), with the
        failure's ``details``: the task's generic line is not said (:data:`BUILD_TASK`)."""
        self._end_training("failed", message)
        state, refused = self._recorded()
        message = window_note(message)
        self.progress.emit(Progress(STOPPED_STAGE, message=stopped_note(message, state,
                                                                        refused=refused)))
        self.app.notify(stopped_note(message, state, MENU_RESUME, refused=refused), "error",
                        details)
        for note in moved_aside_notes(self.app.ctx):  # after: held while the error is read
            self.app.notify(sentence(note), "warning")

    def _recorded(self) -> tuple["DemoState | None", str | None]:
        """What opening the demo again goes on from, or why it will refuse
        (:func:`recorded_for_open`)."""
        return recorded_for_open(self.app.ctx.data_dir, self.options.get("music_dir"))

    def _end_training(self, outcome: str, message: str = "") -> None:
        """End the training shown in the dock as ``outcome`` (failed, cancelled). A build
        stopped after its training stage (while it drew the map) trained, saved and made
        current its model: the dock says so, with the model's evaluation, not "Training
        cancelled." or a failed training (the status line says what stopped)."""
        if not self._training_shown:
            return
        if not self._trained:
            self.app.training.end_display(outcome, message=message)
            return
        self._show_trained(self._recorded_training())

    def _show_trained(self, train: dict) -> None:
        """The dock ends the demo's training as succeeded: its model is trained and in use,
        with the evaluation the training stage recorded (``train``)."""
        self.app.training.end_display("succeeded", train.get("metrics"), TRAINED_IN_USE,
                                      best_step=train.get("best_step"))

    def _recorded_training(self) -> dict:
        """The training stage as the demo's state file records it (its metrics, best step),
        or nothing when the file cannot be read."""
        from musicsage.demo.state import read_state

        state = read_state(self.app.ctx.data_dir)
        return dict(state.stages.get("train") or {}) if state is not None else {}

    def _finished(self) -> None:
        task, self.task = self.task, None
        self.idle.emit()
        if task is not None and task.state == "succeeded":
            self._built(task.result)
        elif task is not None and task.state == "cancelled":
            self._end_training("cancelled")
            self._paused()
        if self._going_home:
            self._going_home = False
            self.go_home()
        else:
            self.app.library.reload()

    def _paused(self) -> None:
        """Cancel ended the build: the status line and the card say it is paused, and what
        is kept (:func:`paused_note`)."""
        for note in moved_aside_notes(self.app.ctx):  # first: the paused line waits for it
            self.app.notify(sentence(note), "warning")
        state, refused = self._recorded()
        self.progress.emit(Progress(STOPPED_STAGE, message=paused_note(state, refused=refused)))
        if refused:  # the usual line's "open it again to resume" would be refused
            self.app.notify(paused_note(state, MENU_RESUME, refused=refused), "warning")
        elif state is None:  # nothing made: opening starts it, as the card says
            self.app.notify(paused_note(state, MENU_RESUME))
        else:
            self.app.notify("Demo build paused: open the demo library again to resume")

    def _built(self, report: "DemoReport") -> None:
        train = report.stages.get("train") or {}
        skipped = report.skipped.get("train")
        if self._training_shown:
            if skipped:
                self.app.training.end_display("failed", message=str(skipped))
            else:
                self._show_trained(train)
        for note in report.notes:  # an unreadable state file, music rendered again: a
            # warning holds the line 5 s (an info line was replaced by "ready" at once)
            self.app.notify(sentence(note), "warning")
        text = "Demo library ready: click a point to hear it and its neighbours"
        if skipped:
            text += f" (graph model not trained: {skipped})"
        self.app.notify(text)
