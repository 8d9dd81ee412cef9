"""The library on screen: its snapshot, text search, adding music (scan → embed) and
removing a music folder.

Adding music walks the library pipeline (:mod:`musicsage.usecases.pipeline`): scan, then
embed when the new tracks lack audio vectors, each step a task run as its use case declares;
the map follows from the fresh snapshot. Training stays the user's call (Retrain).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable, Sequence

from musicsage.audio_models import FAMILIES
from musicsage.controllers import drops
from musicsage.controllers.audio_summary import (  # noqa: F401 (the window's, read from here)
    EmbedRun, audio_summary)
from musicsage.controllers.reanalysis import LeftOut, lacking_line, read_with_left_out
from musicsage.controllers.scan_cancelled import ScansGoing
from musicsage.controllers.search_words import no_match_line
from musicsage.controllers.summaries import describe_embed, describe_scan, scan_details
from musicsage.controllers.tasks import Event, Task
from musicsage.text import printable, sentence
from musicsage.usecases import pipeline
from musicsage.usecases.library import forget_folder, search_tracks
from musicsage.usecases.snapshot import LibrarySnapshot, labelled, load_snapshot
from musicsage.usecases.spaces import library_changed

if TYPE_CHECKING:
    from musicsage.audio.embed_job import EmbedReport
    from musicsage.context import AppContext
    from musicsage.controllers.app import AppController
    from musicsage.library.forget import ForgetReport
    from musicsage.library.scan import ScanReport
    from musicsage.progress import Progress

AUDIO_MODEL_CHOICES: list[tuple[str | None, str]] = (
    [(None, "Keep the library's model")] + [(f.name, f.label) for f in FAMILIES])
"""The "Audio model" menu: the default choice (the library's audio model when it has vectors
of one, else the best available: embedding new music never switches the library's model),
then every registered family (choosing one switches it)."""
WINDOW_PIPELINE_LAST = "embed"
"""Where adding music stops: training is started by the user (Retrain)."""


SEARCH_SHOWN = 100
"""How many matches the search list shows; the map rings every match."""


def search_note(text: str, found: int, shown: int) -> str:
    """The line that ends the search list for ``text``: that nothing matched, naming the
    fields searched (:func:`~musicsage.controllers.search_words.no_match_line`), or — when
    more than ``shown`` tracks match (``found`` counts up to one past it) — that the list
    stops there while the map rings them all. The list used to stop at 100 silently: typing
    "e" in a library of 240 listed 100 tracks and said nothing of the other 140 ringed on
    the map. The window shows this line as it is (wrapped), so that it is worded once."""
    if not found:
        return no_match_line(text)
    if found > shown:
        return f"more than {shown} match: the first {shown} are listed, all are ringed on the map"
    return ""


class LibraryController:
    def __init__(self, app: "AppController") -> None:
        self.app = app
        self.snapshot: LibrarySnapshot | None = None
        self.embed_model: str | None = None
        """The audio model family embedding uses (None: the library's, else the best one)."""
        self._after_snapshot: list[Callable[[], None]] = []
        self._after_read: list[Callable[[], None]] = []
        self._loading: Task | None = None
        self._checking: Task | None = None
        self._embedding: Task | None = None
        self._followed: Task | None = None
        self._follow_ups: list[Callable[[], None]] = []
        """What decides on another run once :attr:`_followed` ended well (:meth:`embed_soon`)."""
        self._run: EmbedRun | None = None
        """The window's embedding run, as its progress tells it (shown: :attr:`embed_run`)."""
        self._run_ctx: "AppContext | None" = None
        """The library :attr:`_embedding` embeds (it goes on there when another is shown)."""
        self._seen: set[str] = set()
        """Libraries shown this session (their first snapshot says what lacks a vector)."""
        self.scans = ScansGoing(self)
        self.requested = 0
        """How many reloads were asked for: a selection notes it, to tell a snapshot read
        before it was made (which may lack a track added since) from one read after."""
        self.snapshot_request = 0
        """The :attr:`requested` number of the reload that read :attr:`snapshot`."""
        self.loaded = Event()  # LibrarySnapshot, just read
        self.search_results = Event()  # text, [(track id, label)] (None: no answer), note
        self.search_text = ""  # what the search list answers: asked again of each snapshot
        self.load_failed = Event()  # message: the library could not be read, and none is shown
        self.audio_changed = Event()  # an embedding run started, progressed or ended

    # -- reading ------------------------------------------------------------------------------
    def reload(self, then: Callable[[], None] | None = None, *,
               ended: Callable[[], None] | None = None) -> None:
        """Re-read the library in the background; panels and map follow, then ``then``.
        ``then`` waits for a read that succeeds (a failed one keeps it for the next);
        ``ended`` runs once the read is over either way, after ``then`` — what waits on the
        read (a button off meanwhile) must not wait for good when it fails."""
        if then is not None:
            self._after_snapshot.append(then)
        if ended is not None:
            self._after_read.append(ended)
        self.requested += 1
        ctx = self.app.ctx
        self._loading = self.app.run("library", read_with_left_out, load_snapshot, ctx,
                                     spaces=self.app.spaces, key="snapshot",
                                     count=str(ctx.data_dir) not in self._seen)  # (used once)
        self._loading.on_result(lambda got, n=self.requested: self._on_snapshot(*got, n, ctx))
        self._loading.on_failed(self._load_failed)

    def _load_failed(self, message: str, _details: str) -> None:
        """A library that cannot be read (a damaged database) must not look like an empty one
        waiting for music; one already shown stays, with the error on the status line."""
        if self.snapshot is None:
            self.load_failed.emit(message)
        self._run_ended()

    def check_for_changes(self) -> None:
        """Reload if the library changed since the snapshot was read, by someone else: a
        command in a terminal (``train`` made a new model current, ``scan`` or ``import``
        added tracks). The window calls it every few seconds; it does nothing while a
        snapshot is being read or the window's own long work runs (which reloads when it
        ends), so only what happened outside the window costs a reload."""
        snap = self.snapshot
        if (snap is None or snap.stamp is None or self._busy(self._loading)
                or self._busy(self._checking) or self.app.tasks.current is not None):
            return
        self._checking = self.app.run("library changes", library_changed, self.app.spaces,
                                      snap.stamp, key="library changes")
        self._checking.on_result(lambda changed, seen=snap: self._changed_elsewhere(changed, seen))

    @staticmethod
    def _busy(task: Task | None) -> bool:
        return task is not None and task.running

    @property
    def reading(self) -> bool:
        """The library is being read (the window's snapshot of it is on its way)."""
        return self._busy(self._loading)

    def _changed_elsewhere(self, changed: bool, seen: LibrarySnapshot) -> None:
        if (changed and self.snapshot is seen and not self._busy(self._loading)
                and self.app.tasks.current is None):
            self.reload(then=self.app.selection.refresh_neighbours)

    def read_after(self, mark: int) -> bool:
        """Whether the snapshot on screen was requested after ``mark`` (a past value of
        :attr:`requested`), so read after it: what it lacks has really left the library. One
        requested before may predate a track the user found meanwhile (the search reads the
        database itself); a later reload follows every change, so it is the one to judge."""
        return self.snapshot is not None and self.snapshot_request > mark

    def shows(self, ctx: "AppContext") -> bool:
        """Whether ``ctx`` is the library on screen: what a run of another one read or found
        (File ▸ Open demo library while a scan ran) must neither be shown nor go on here."""
        return ctx.data_dir == self.app.ctx.data_dir

    def elsewhere(self, ctx: "AppContext | None") -> str:
        """What a run's outcome adds when its library ``ctx`` is no longer shown, else ""."""
        return "" if ctx is None or self.shows(ctx) else (
            f" (library {printable(ctx.data_dir)}, not the one shown)")

    def for_library(self, ctx: "AppContext", fn: Callable[[], None]) -> Callable[[], None]:
        """``fn``, a follow-up of the library ``ctx``, run only while ``ctx`` is shown (else
        what ``ctx`` lacks is said when it is shown again): it embedded a library opened since."""
        def follow() -> None:
            if self.shows(ctx):
                fn()
            else:
                self._seen.discard(str(ctx.data_dir))
        return follow

    def context_switched(self, old: "AppContext") -> None:
        """Another library is shown: a run that waited on the old one's embedding must not
        start on this one (what the old one lacks is said when it is shown again)."""
        if self._follow_ups:
            self._seen.discard(str(old.data_dir))
        self._followed, self._follow_ups = None, []
        self.app.tasks.switched(str(old.data_dir), str(self.app.ctx.data_dir),
                                str(self.app.home_ctx.data_dir))

    def _on_snapshot(self, snap: LibrarySnapshot, left_out: LeftOut = LeftOut(),
                     request: int = 0, ctx: "AppContext | None" = None) -> None:
        if ctx is not None and not self.shows(ctx):
            return  # read before another library was shown: the read of that one follows
        self.snapshot = snap
        if not self.embedding:  # what the run did is read now
            self._run = None
        self.snapshot_request = request
        self.app.run("search index", search_tracks, self.app.ctx, "", tracks=snap.tracks,
                     key="search index")  # indexed now, so that the first keystroke waits less
        if self.search_text:  # its rows were the old snapshot's (a folder forgotten: gone)
            self.search(self.search_text)
        self.app.map.snapshot_changed(snap)
        self.loaded.emit(snap)
        self.app.training.show_model(snap)
        self.app.map.refresh()
        self._tell_lacking(snap, left_out)
        pending, self._after_snapshot = self._after_snapshot, []
        for fn in pending:
            fn()
        self._run_ended()

    def _run_ended(self) -> None:
        ended, self._after_read = self._after_read, []
        for fn in ended:
            fn()

    def _tell_lacking(self, snap: LibrarySnapshot, left_out: LeftOut) -> None:
        """Once a library per session, as it is first shown: the tracks the map leaves out
        (``left_out``: of another version, off the audio map), and how to give them a vector
        (:func:`lacking_line`); first, its upgrade."""
        library = str(self.app.ctx.data_dir)
        if library in self._seen:
            return
        self._seen.add(library)
        from musicsage.library.db import take_upgrade_note  # (a glob: not for each snapshot)
        if upgraded := take_upgrade_note(self.app.ctx):  # the old version can't open it now
            self.app.notify(sentence(upgraded))
        note = lacking_line(snap, left_out)
        if note and not self.embedding_shown:
            self.app.notify(note)

    def search(self, text: str) -> None:
        """The snapshot's tracks matching ``text`` (folded once for all its searches), through
        :attr:`search_results` with a note ending the list (:func:`search_note`), or None for
        rows when no answer comes (the search failed, or its library was left); asked again of
        each new snapshot (the list kept a forgotten folder's tracks, not a rescan's new ones)."""
        self.search_text = text
        if not text:
            self.search_results.emit("", [], "")
            return
        snap, ctx = self.snapshot, self.app.ctx

        def show(rows) -> None:
            if not self.shows(ctx):  # typed in the library shown before: ids of that one
                self.search_results.emit(text, None, "")  # (no answer here)
                return
            note = search_note(text, len(rows), SEARCH_SHOWN)  # (rows alike: told apart)
            self.search_results.emit(text, labelled(rows[:SEARCH_SHOWN]), note)

        # a failed search answers None: an Enter waiting for it is forgotten (its line says why)
        self.app.run("search", search_tracks, ctx, text, limit=SEARCH_SHOWN + 1, key="search",
                     tracks=snap.tracks if snap else None).on_result(show).on_failed(
            lambda _message, _details: self.search_results.emit(text, None, ""))

    # -- adding music ---------------------------------------------------------------------------
    def scan(self, paths: Sequence[str], playlists: Sequence[str] = (), note: str = "", *,
             refuse_unreadable: bool = True) -> Task:
        """Scan folders/files and playlists; then embed what is new; then show everything.
        Adding music while the demo is shown switches to the user's own library first.
        ``note``: what a drop left out, repeated in the summary (else it is gone in 0.1 s)."""
        app = self.app
        label = "Scanning" if paths or not playlists else "Importing playlists"
        if (paths or playlists) and app.demo.can_go_home:  # the demo is shown
            if not app.set_context(app.home_ctx):  # another window has it: nothing scanned
                return app.refused(label)
            app.notify("Switched from the demo to your own library")
            self.reload()  # shown while it scans: "Opening the library…" stayed till it ended
        ctx = app.ctx
        task = app.run(label, pipeline.scan, ctx, list(paths), list(playlists), long=label,
                       refuse_unreadable=refuse_unreadable)
        self.scans.follow(task, label, ctx, paths, playlists)  # its cancel, its failure's name
        return task.on_result(lambda report: self._scanned(report, note, ctx))

    def _scanned(self, report: "ScanReport", note: str, ctx: "AppContext") -> None:
        problems = report.errors or any(p.warns for p in report.playlists) or note
        text = describe_scan(report) + (f"; {note[0].lower()}{note[1:]}" if note else "")
        # "2 new" read as the one shown's: named first, not after a list of problems
        text = text.replace("Scan finished", "Scan finished" + self.elsewhere(ctx), 1)
        # the line names the first problem of each kind; its tooltip lists them all
        self.app.notify(text, "warning" if problems else "info", details=scan_details(report))
        self.reload(then=self.for_library(ctx, lambda: (  # a retagged track's title, vector
            self.app.selection.refresh_neighbours(), self._continue_after("scan"))))

    def _continue_after(self, stage: str) -> None:
        """The pipeline's next step for the library shown."""
        if self.snapshot is not None and pipeline.next_stage(
                stage, self.snapshot, last=WINDOW_PIPELINE_LAST) == "embed":
            self.embed_soon(self.embed_model, self._embed_after_scan)

    def _embed_after_scan(self) -> None:
        self._continue_after("scan")

    def embed_soon(self, model: str | None, again: Callable[[], None]) -> Task | None:
        """:meth:`embed` now; or, while a run goes, ``again`` (which decides anew, on a fresh
        snapshot) once that run has ended well. Two runs at once (a scan's and the folder
        watch's) took turns at the library's lock, and the status line's Cancel stopped one:
        the other then embedded every new track all the same. A run cancelled (or failed)
        drops what waited on it: the tracks stay to embed (Compute embeddings), and only a
        later change (a scan, the watch's next batch) starts a run by itself."""
        running = self._embedding if self.embedding else None
        if running is None:
            return self.embed(model)
        if running is not self._followed:
            self._followed, self._follow_ups = running, []
            running.on_finished(lambda t=running: self._follow_up(t))
        if again not in self._follow_ups:
            self._follow_ups.append(again)
        return None

    def _follow_up(self, task: Task) -> None:
        if task is not self._followed:
            return
        waiting, self._followed, self._follow_ups = self._follow_ups, None, []
        if task.state == "succeeded" and waiting and not cancel_asked(task):
            # decided on the read :meth:`_embedded` started (its result came first): a second
            # read of its own cost 1–7 s on a big library, and superseded that one; the read
            # of another library opened before it came must not decide
            self._after_snapshot.extend(self.for_library(self.app.ctx, fn) for fn in waiting)

    def embed(self, model: str | None = None) -> Task:
        """Audio vectors for the tracks lacking them (``model``: a family; None: the library's
        audio model, else the best available)."""
        task = self.app.run("Computing embeddings", pipeline.embed, self.app.ctx, model,
                            long="Computing embeddings")
        ctx = self.app.ctx
        task.on_result(lambda report, t=task: self._embedded(report, cancel_asked(t), ctx))
        task.on_cancelled(self._embed_cancelled)
        task.on_failed(lambda _msg, _details: self.reload())  # the map's note follows
        task.on_progress(self._embed_progress)
        task.on_finished(self._embed_finished)
        self._embedding, self._run_ctx = task, ctx
        self._run = EmbedRun()
        self.app.map.embedding_started()
        self.audio_changed.emit()
        return task

    def _embed_progress(self, batch: "list[Progress]") -> None:
        """The run's model and count, for the summary (:func:`audio_summary`)."""
        reports = [p for p in batch if p.stage.startswith("embed ")]
        if not reports or self._run is None:
            return
        p = reports[-1]
        self._run = EmbedRun(p.stage.removeprefix("embed "), int(p.total or 0),
                                  int(p.extra.get("embedded", 0)))
        self.audio_changed.emit()

    def _embed_finished(self) -> None:
        if self._run is not None:
            self._run = replace(self._run, going=False)
        self.audio_changed.emit()

    @property
    def embed_run(self) -> EmbedRun | None:
        """The window's embedding run while it goes, if it embeds the library shown (None:
        none; or one of the library shown before, which goes on there: it drove this one's
        summary, "5 of 6 embedded, computing…" of tracks it never touched)."""
        return self._run if self._run_ctx is not None and self.shows(self._run_ctx) else None

    @property
    def embedding(self) -> bool:
        """Audio embeddings are being computed (the window's own run, on whichever library:
        one run at a time)."""
        return self._busy(self._embedding)

    def embeds(self, ctx: "AppContext") -> bool:
        """:attr:`embedding`, of the library at ``ctx``, shown or not."""
        return self.embedding and self._run_ctx is not None and (
            self._run_ctx.data_dir == ctx.data_dir)

    @property
    def embedding_shown(self) -> bool:
        """:attr:`embedding`, for the library shown."""
        return self.embedding and self.embed_run is not None

    def _embedded(self, report: "EmbedReport", too_late: bool = False,
                  ctx: "AppContext | None" = None) -> None:
        """Tell what was embedded (``too_late``: Cancel came after its last batch had
        started), naming the library when it is no longer the one shown; re-read the library,
        and the selected track's neighbours (the new tracks are in both lists now: audio, and
        graph through the saved model)."""
        self.app.notify(describe_embed(report, too_late=too_late) + self.elsewhere(ctx),
                        "warning" if report.failed else "info")
        graph = getattr(report, "graph", None)
        moved = report.embedded or (graph is not None and graph.embedded)
        self.reload(then=self.app.selection.refresh_neighbours if moved else None)

    def _embed_cancelled(self) -> None:
        self.app.notify("Embedding cancelled: finished tracks are kept; Analyse ▸ Compute "
                        "embeddings does the rest")
        self.reload()

    # -- removing a folder ---------------------------------------------------------------------
    def folders(self) -> list[tuple[str, int]]:
        """The library's music folders as shown, each with how many tracks lie under it
        (counted when the snapshot was read, off the window's thread)."""
        return self.snapshot.folders if self.snapshot is not None else []

    def forget(self, folder: str) -> Task:
        """Remove ``folder`` (one of :meth:`folders`) and its tracks from the library; then
        show the library without them. No file is touched."""
        task = self.app.run("Removing a music folder", forget_folder, self.app.ctx, folder,
                            long="Removing a music folder")
        return task.on_result(lambda report, ctx=self.app.ctx: self._forgotten(report, ctx))

    def _forgotten(self, report: "ForgetReport", ctx: "AppContext") -> None:
        """Said; of a library no longer shown, naming it (the one shown lost nothing)."""
        if self.shows(ctx):
            self.app.notify(sentence(report.summary()))
            self.reload(then=self.app.selection.refresh_neighbours)  # lists lose its tracks
        else:
            self.app.notify(sentence(report.summary()).removesuffix(".") + self.elsewhere(ctx))

    def add_dropped(self, paths: Sequence[str], links: Sequence[str] = ()) -> bool:
        """Add what was dropped on the window (:func:`~musicsage.controllers.drops.add_dropped`:
        what is left out — ``links`` too — and when a drop is refused); False if nothing was
        added."""
        return drops.add_dropped(self, paths, links)


def cancel_asked(task: Task) -> bool:
    """Whether Cancel was pressed for ``task`` (its cancel token, :class:`Task`)."""
    return task.token.cancelled
