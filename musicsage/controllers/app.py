"""The window's state as a whole: which library is shown, notifications, long tasks.

:class:`AppController` holds the :class:`~musicsage.context.AppContext` of the library on
screen and, with it, that library's :class:`~musicsage.usecases.spaces.SearchSpaces` (so a
click reuses the loaded index); switching library (the demo, the user's own) replaces both.
It owns one controller per area of the window; they reach each other through it.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from musicsage.context import AppContext
from musicsage.controllers.demo import BUILD_TASK as DEMO_TASK
from musicsage.controllers.demo import DemoController
from musicsage.controllers.library import LibraryController
from musicsage.controllers.map import MapController
from musicsage.controllers.map_tools import MapToolsController
from musicsage.controllers.models import ModelsController
from musicsage.controllers.playlist_tracks import PlaylistTracksController
from musicsage.controllers.queue import QueueController
from musicsage.controllers.queue_memory import QueueMemory
from musicsage.controllers.selection import SelectionController
from musicsage.controllers.suggestions import SuggestionsController
from musicsage.controllers.tasks import Event, InlineTask, LongTasks, Runner, Task
from musicsage.controllers.training import TrainingController
from musicsage.controllers.watch import TASK_NAME as WATCH_TASK
from musicsage.controllers.watch import WatchController
from musicsage.controllers.wording import window_note
from musicsage.text import counted
from musicsage.usecases.search import write_m3u
from musicsage.usecases.spaces import SearchSpaces, warm_search_spaces

WARM_TASK = "warm search"
QUIET_FAILURES = ("map", "tags", "map search", "library changes", WATCH_TASK, WARM_TASK,
                  DEMO_TASK)
"""Tasks whose failures are shown where they belong (the map's message, the track's tags
line, the folder watch's warning) rather than as an error notification, or said by their
controller with the way on (the demo build: how to resume it)."""


class AppController:
    """Everything the window shows and does, without the window.

    ``runner`` runs the use cases; ``home_ctx`` is the user's own library (adding music while
    the demo is shown goes there, never into the demo; File ▸ Back to my library shows it
    again: :meth:`DemoController.go_home`); ``demo_ctx`` makes the demo's context
    (default: its own data dir); ``demo_options``/``train_options`` are keywords for
    ``build_demo``/``train_graph`` (tests use smaller ones).
    """

    def __init__(self, ctx: AppContext, runner: Runner, *, home_ctx: AppContext | None = None,
                 demo_ctx: Callable[[], AppContext] | None = None,
                 demo_options: dict | None = None, train_options: dict | None = None) -> None:
        self.ctx = ctx
        self.spaces = SearchSpaces(ctx)
        self.home_ctx = home_ctx if home_ctx is not None else ctx
        self.runner = runner
        self.notifications: list[tuple[str, str]] = []
        self.notified = Event()  # level, text, details
        self.context_changed = Event()  # AppContext: another library is now shown
        self.claim_library: Callable[[AppContext], str | None] = lambda _ctx: None
        """Asked before another library is shown: None when this window may show it (and
        now holds it: one window per library, :mod:`musicsage.gui.single_instance`), else
        the line saying why not — another window has it."""
        self.variety = False
        self.variety_changed = Event()  # bool: the "One per artist" switch
        self.tasks = LongTasks()
        self._long: dict[int, tuple[Task, str, AppContext]] = {}
        """id(task) → a long task going on, its own name and its library (:meth:`run`)."""
        self.library = LibraryController(self)
        self.library_problem: str | None = None
        """Why the library shown could not be read (None: read, or being read): the window
        keeps what acts on it off, saying so, until a read succeeds or another is shown."""
        self.library.load_failed.connect(self._library_unreadable)
        self.library.loaded.connect(lambda _snap: self._library_unreadable(None))
        self.map = MapController(self)
        self.selection = SelectionController(self)
        self.suggestions = SuggestionsController(self)
        self.playlist_tracks = PlaylistTracksController(self)
        self.queue = QueueController(self)
        self.map_tools = MapToolsController(self)
        self.selection.play.connect(lambda track_id, *_rest: self.queue.notice_play(track_id))
        self.training = TrainingController(self, train_options)
        self.tasks.cancelling.connect(self.training.cancel_asked)  # any Cancel: the dock's too
        self.demo = DemoController(self, demo_ctx, demo_options)
        self.watch = WatchController(self)
        self.models = ModelsController(self)
        self.library.loaded.connect(lambda _snap: self.watch.sync())
        self.library.loaded.connect(lambda _snap: self.warm_search())
        self.library.loaded.connect(self.selection.library_loaded)
        self.library.loaded.connect(self.queue.library_loaded)
        self.queue_memory = QueueMemory(self)  # after it: restored once the library is read

    def close(self) -> None:
        """Let go of the library shown: the window calls it as it closes, once its threads
        stopped, so that its last connection closes and SQLite removes the -wal and -shm
        files beside the library (:meth:`SearchSpaces.close`). The queue is kept first (it is
        at each change; this is for a change nothing wrote)."""
        self.queue_memory.save()
        self.spaces.close()

    def _library_unreadable(self, message: str | None) -> None:
        """Record why the library shown could not be read (None: it was read)."""
        self.library_problem = message

    @property
    def library_damaged(self) -> bool:
        """:attr:`library_problem` is damage (broken pages, not a database: the read's own line
        says so, :func:`~musicsage.library.db_problems.is_damaged_line`), not a lock or a
        newer musicsage's library: only then is moving the file aside the way out. Read from
        the failed read's line, so a click never opens the database again to find out."""
        from musicsage.library.db_problems import is_damaged_line

        return self.library_problem is not None and is_damaged_line(self.library_problem)

    @property
    def page(self) -> str:
        """The window's page: "opening" until the library has been read — meanwhile the
        welcome page ("Add your music folder…") showed for seconds over a library of 28,000
        tracks —, "welcome" for a library with no track, else "library". (A library that
        cannot be read gets the welcome page saying so: :attr:`LibraryController.load_failed`.)"""
        snap = self.library.snapshot
        if snap is None:
            return "opening"
        return "welcome" if snap.empty else "library"

    def set_variety(self, on: bool) -> None:
        """The "One per artist" switch: neighbour and suggestion lists both follow it."""
        self.variety = bool(on)
        self.variety_changed.emit(self.variety)
        self.selection.set_variety(on)
        self.suggestions.set_variety(on)

    def warm_search(self) -> Task:
        """Read the search spaces in the background once a library is loaded, so the first
        click answers at once instead of reading every vector (tens of seconds at 100,000
        tracks); a click meanwhile waits for this read instead of doing its own."""
        return self.run(WARM_TASK, warm_search_spaces, self.spaces, key=WARM_TASK)

    def run(self, name: str, fn: Callable[..., Any], /, *args: Any, key: str | None = None,
            long: str | None = None, panels: tuple[str, ...] = (), **kwargs: Any) -> Task:
        """Run a use case through the runner; ``long`` (a label) shows it on the status line,
        ``panels`` name the views that draw its progress themselves (:meth:`LongTasks.track`)."""
        task = self.runner.run(name, fn, *args, key=key, **kwargs)
        if long is not None:
            self.tasks.track(task, long, panels)
            if name not in QUIET_FAILURES:  # (those say their failure where it belongs)
                self._long[id(task)] = (task, name, self.ctx)  # started on the library shown
                task.on_finished(lambda: self._long.pop(id(task), None))
        return task

    def _name_libraries_left(self) -> None:
        """Another library is shown: each long task's name — what its failure's line starts
        with, "Training: …" — names its library while it is not the one shown (a failed
        Retrain of the library left read as the shown one's); the runner says a failure
        before the task's own callbacks hear of it, so only its name can carry this."""
        for task, name, ctx in self._long.values():
            task.name = name + self.library.elsewhere(ctx)

    @staticmethod
    def refused(name: str) -> Task:
        """A task that never runs nor calls back: what an action refused (its line said why)
        returns, so that what its caller connects to it waits for nothing."""
        task = InlineTask(name, "refused", lambda **_kw: None)
        task.state = "cancelled"
        return task

    def save_playlist(self, path: str, rows: list[dict], name: str, *,
                      not_in_library: int = 0) -> Task:
        """Write ``rows`` (track dicts: path, title, artist, duration) as an M3U8 playlist at
        ``path`` in the background; the status line says how many were saved, and how many
        were left out for want of an audio file (a list of none with one is refused, in the
        words the command line uses). ``path`` comes from the window's save dialog, which
        asked before naming a file that exists: another playlist there is replaced (never a
        file of another kind, nor the library's own). ``not_in_library``: how many tracks of
        the list were left out before, no longer in the library (said beside those without a
        file)."""
        task = self.run("save playlist", write_m3u, path, rows, name=name, ctx=self.ctx,
                        overwrite=True)
        return task.on_result(lambda written: self.notify(
            saved_line(written, path, rows, not_in_library=not_in_library)))

    def save_tracks(self, path: str, track_ids: Sequence[int], name: str) -> Task | None:
        """:meth:`save_playlist` for library track ids, in the given order (None: no library,
        or none of them in it). Ids no longer in the library are left out, and the line says
        how many, as playing a playlist does: the queue's tracks of a forgotten folder were
        dropped without a word, and a list of only those was saved as an empty playlist."""
        snap = self.library.snapshot
        if not track_ids or snap is None:
            return None
        found = [t for t in (snap.by_id.get(tid) for tid in track_ids) if t is not None]
        if not found:
            self.notify("Nothing saved: the list's " + (
                "only track is" if len(track_ids) == 1 else
                f"{counted(len(track_ids), 'track')} are") + " no longer in the library; "
                "nothing was written", "warning")
            return None
        rows = [{"path": t.path, "title": t.title, "artist": t.artist, "duration": t.duration}
                for t in found]
        return self.save_playlist(path, rows, name, not_in_library=len(track_ids) - len(found))

    def notify(self, text: str, level: str = "info", details: str = "") -> None:
        """The one place messages go (``level``: info | warning | error)."""
        self.notifications.append((level, text))
        self.notified.emit(level, text, details)

    def task_failed(self, name: str, message: str, details: str) -> None:
        """The runner's error channel: a failed task becomes an error notification."""
        if name not in QUIET_FAILURES:  # "retrain it (press Retrain)", in the window
            self.notify(f"{name}: {window_note(message)}", "error", details)

    def may_show(self, ctx: AppContext) -> bool:
        """Whether another library can be shown here; when not (another window has it),
        the window says why in one line and keeps the library it shows."""
        refused = self.claim_library(ctx)
        if refused:
            self.notify(refused, "warning")
        return not refused

    def set_context(self, ctx: AppContext) -> bool:
        """Show another library (the demo, the user's own); False when it may not be shown
        here (:meth:`may_show`: another window has it, as the window says) and the library
        shown stays. Every switch asks: one that did not (adding music from the demo) put
        two windows on one library."""
        if not self.may_show(ctx):
            return False
        old, self.ctx = self.ctx, ctx
        self.library.context_switched(old)
        self._name_libraries_left()
        left, self.spaces = self.spaces, SearchSpaces(ctx)
        left.close()  # the library left is let go (its -wal and -shm go with its last user)
        self.runner.let_go()  # … and so are the worker threads' connections to it
        self.selection.clear()
        self.suggestions.clear()
        self.playlist_tracks.clear()
        self.queue_memory.let_go()  # kept as it was: the queue emptied is not that library's
        self.queue.clear()
        self.map_tools.clear_region()
        self.map.clear()
        self.library.snapshot = None
        self._library_unreadable(None)  # the new library is being read: no problem, no damage
        self.context_changed.emit(ctx)
        return True


def saved_line(written: Any, path: str, rows: Any, *, not_in_library: int = 0) -> str:
    """The window's line for a list saved: "Saved Glass Engine and its 10 neighbours to …"
    for a track and its neighbours (the file's first entry is the track itself: "saved 11
    tracks" of a top-10 list read as one too many), else "Saved 12 tracks to …", in the
    sentence case of the window's other lines. The command line keeps its own "wrote …".
    ``not_in_library`` tracks left out are counted in the parenthesis of those without an
    audio file, before the backup note, in its form: "(1 no longer in the library left out)"."""
    import dataclasses

    from musicsage.search.types import SimilarResult
    from musicsage.text import printable

    if isinstance(rows, SimilarResult) and not written.left_out and written.tracks > 1:
        title = printable(rows.query.get("title") or f"#{rows.query.get('track_id')}")
        others = counted(written.tracks - 1, "neighbour")
        return f"Saved {title} and its {others} to {printable(path)}{written.backup_note}"
    if not not_in_library:
        return written.line(path, "Saved")
    whys = [f"{written.left_out:,} without an audio file"] if written.left_out else []
    whys.append(f"{not_in_library:,} no longer in the library")
    plain = dataclasses.replace(written, left_out=0, backup=None).line(path, "Saved")
    return f"{plain} ({', '.join(whys)} left out){written.backup_note}"
