"""``python main.py [--data-dir D] [--demo] [--select QUERY] [--screenshot PNG]``, also what
``musicsage`` with no command runs (:func:`launch`).

Start-up is kept short (window visible in well under 2 s, see ``bench/gui_startup.py``): only
Qt, pyqtgraph, the controllers and the light use-case modules are imported here; torch, dgl
and umap are only ever imported by the child processes that embed, train, lay out the map and
compute tags.

``--screenshot PNG`` loads the library (and builds the demo with ``--demo``), optionally
selects the first track matching QUERY (resolved like ``musicsage similar QUERY``), waits for
the map and both neighbour lists, renders the window to PNG and exits — for docs and checks.
A library that cannot be opened (damaged, or of a newer schema) is settled too: the PNG shows
the page that says so, and the run exits 1 with the reason, as a script checking it needs.

One window per library (:mod:`musicsage.gui.single_instance`): launched again on a library
whose window is open, it brings that window forward (selecting ``--select QUERY`` there) and
exits 0. ``--screenshot`` runs are exempt: they render their own window and leave.

SIGTERM (a logout, ``kill PID``) and Ctrl-C close the window as its close button does (the
session saved, tasks stopped), then the run exits 143 or 130 as a command does; a second one
ends it at once (:mod:`musicsage.gui.stop_signals`). One that comes before the window is
there ends the start-up at once, in one line, with the same status.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from musicsage import __version__
from musicsage.desktop import APP_ID  # light: no Qt, no third-party module
from musicsage.gui.screenshot_file import save_image_atomically, screenshot_problem

if TYPE_CHECKING:
    from musicsage.context import AppContext

log = logging.getLogger(__name__)

STARTUP_PROBE_ENV = "MUSICSAGE_STARTUP_PROBE"

MAX_SIDE = 16_777_215
"""Qt's largest widget side (QWIDGETSIZE_MAX): a longer one overflows ``resize``."""


def window_size(text: str) -> str:
    """``--size``'s type: ``WxH`` (two whole numbers of pixels) or ``auto``, refused by
    argparse in one line otherwise — "--size foo" ended in a ValueError traceback once the
    window was built."""
    value = text.strip().lower()
    if value == "auto":
        return value
    w, sep, h = value.partition("x")
    if not (sep and w.isdecimal() and h.isdecimal()
            and 0 < int(w) <= MAX_SIDE and 0 < int(h) <= MAX_SIDE):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a window size: give WxH in pixels (e.g. 1400x860) or auto")
    return f"{int(w)}x{int(h)}"


def parse_args(argv: Sequence[str] | None, prog: str = "main.py") -> argparse.Namespace:
    """The window's options; ``prog`` is the front door as typed (``main.py``, ``musicsage``),
    which the usage and error lines name: ``musicsage --size 12`` said ``main.py: error``.
    From ``musicsage`` the usage names its commands too: ``musicsage --jsn`` may be either."""
    p = argparse.ArgumentParser(prog=prog, description="The musicsage desktop window.")
    p.add_argument("--data-dir", metavar="DIR", default=None,
                   help="library location (default: the per-user data dir)")
    p.add_argument("--demo", action="store_true",
                   help="open the demo library (built in the background the first time)")
    p.add_argument("--select", metavar="QUERY", default=None,
                   help="select the first track matching QUERY "
                        "(id, path, title/artist text or file name)")
    p.add_argument("--screenshot", metavar="PNG", default=None,
                   help="render the window to PNG once loaded, then exit")
    p.add_argument("--screenshot-timeout", type=float, default=900.0, help=argparse.SUPPRESS)
    p.add_argument("--size", type=window_size, default=None, metavar="WxH",
                   help="window size, e.g. 1400x860; 'auto': from the screen, as a first "
                        "launch (screenshots default to 1400x860)")
    p.add_argument("--version", action="version", version=f"musicsage {__version__}")
    if prog != "main.py":
        window = p.format_usage().removeprefix("usage: ").rstrip()
        p.usage = f"{window}\n       {prog} COMMAND … ({prog} --help lists them)"
    return p.parse_args(argv)


def launch(argv: Sequence[str], prog: str = "main.py") -> int:
    """Open the window from a front door (``main.py``, ``musicsage`` with no command: ``prog``,
    the name its usage and error lines give): first check, without importing Qt, that a window
    can open here — if not, one line says what is missing and that the command line works
    (:mod:`musicsage.display`). The arguments (``--version`` too: no display, no Qt) are checked
    before that (argparse's line, exit 2): a mistyped ``--size foo`` is the first thing to fix,
    and without a display it was hidden behind the display's line. Ctrl-C and SIGTERM end the
    start-up at once, in one line (exit 130, 143), until the window is there to close
    (:func:`run_until_closed`): before Qt is imported by
    :func:`~musicsage.startup.stopped_at_start` (a ``KeyboardInterrupt`` raised in PySide's
    import hooks left a traceback, or Qt half set up), then by :mod:`~.stop_signals`."""
    from musicsage.startup import install, restore

    install()  # already there from a front door (musicsage.startup): kept as it is
    try:
        return _launch(list(argv), prog)
    finally:
        restore()


def _launch(argv: list[str], prog: str) -> int:
    """:func:`launch`, Ctrl-C and SIGTERM ending the start-up at once."""
    from musicsage.display import CLI_HINT, SCREENSHOT_HINT, display_problem

    screenshot = parse_args(argv, prog).screenshot
    needs_display = not any(a in ("-h", "--help") or a.startswith("--screenshot") for a in argv)
    problem = display_problem() if needs_display or screenshot else None
    if problem and screenshot and not os.environ.get("QT_QPA_PLATFORM"):  # Qt aborted it on
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a DISPLAY nothing answers (:99)
        problem = None
    if problem and screenshot and "unset" not in problem:  # the QT_QPA_PLATFORM the user set
        problem = problem.replace(CLI_HINT, f"{SCREENSHOT_HINT}, {CLI_HINT}")
    if problem:
        print(f"musicsage: {problem}", file=sys.stderr)
        return 1
    from musicsage.gui.stop_signals import StopSignals, remember_stderr

    if needs_display:  # a window (not --help): Qt's libraries are there
        remember_stderr()  # before any thread: the closing line of a SIGTERM must not be lost
    stops = StopSignals()  # until there is a window to close, a signal ends the start-up
    stops.install()
    try:  # kept until main returns: the library is released after the window closed
        code = main(argv, stops)
    finally:
        stops.uninstall()
    return code if stops.exit_code is None else stops.exit_code


def main(argv: Sequence[str] | None = None, stops=None) -> int:
    marks = {"main": time.time()}
    args = parse_args(list(sys.argv[1:] if argv is None else argv))
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.screenshot is not None and (problem := screenshot_problem(args.screenshot)):
        print(f"musicsage: --screenshot {problem}", file=sys.stderr)
        return 1
    if args.screenshot and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName("musicsage")
    app.setApplicationName("musicsage")
    app.setDesktopFileName(APP_ID)  # Wayland's app_id: the menu entry's icon, not "python3"
    settings = QSettings("musicsage", "musicsage")
    ctx = _open_library(args)
    if ctx is None:
        return 1
    instance = None
    if not (args.screenshot or os.environ.get(STARTUP_PROBE_ENV)):
        instance = _claim_library(ctx, list(sys.argv[1:] if argv is None else argv),
                                  on_screen=False if _scripted(args) else None)
        if isinstance(instance, int):
            return instance

    from musicsage.gui.heap import freeze_heap
    from musicsage.gui.main_window import MainWindow  # noqa: F401 - imported before the freeze

    freeze_heap()  # Qt, pyqtgraph, numpy, the window: keep them out of later full collections
    marks["imports"] = time.time()
    window = _build_window(args, ctx, settings, app, stops)
    marks["built"] = time.time()
    if instance is not None:
        _hold_libraries(instance, window)
    window.show()
    if os.environ.get(STARTUP_PROBE_ENV):
        QTimer.singleShot(0, lambda: _report_startup(window, marks))
    if args.demo:  # build, or resume an interrupted build; a finished demo opens at once
        QTimer.singleShot(0, window.app.demo.open)
    driver = None
    if args.select or args.screenshot:
        driver = Autopilot(window, query=args.select, screenshot=args.screenshot,
                           timeout_s=args.screenshot_timeout)
        driver.start()
    code = run_until_closed(app, window, stops)
    if instance is not None:
        instance.release()
    if driver is not None and driver.error:
        print(f"musicsage: {driver.error}", file=sys.stderr)
        return 1
    return code


def _open_library(args: argparse.Namespace) -> "AppContext | None":
    """The library's context, or None once the reason it cannot be opened was said: on stderr
    and, where it is not seen there, in a box (started from a menu, stderr goes nowhere
    seen); never a box for ``--screenshot``, ``--select`` or the start-up probe: runs a
    script waits on, which waited on a box nobody clicks where they exited 1."""
    from musicsage.context import AppContext
    from musicsage.errors import MusicsageError
    from musicsage.gui.opening_page import say_cannot_start
    from musicsage.usecases.demo import demo_data_dir  # --demo's, with no --data-dir

    try:
        return AppContext.create(args.data_dir if args.data_dir is not None
                                 else (demo_data_dir() if args.demo else None))
    except (OSError, MusicsageError) as e:
        say_cannot_start(f"musicsage: cannot open the library: {e}",
                         on_screen=False if _scripted(args) else None)
        return None


def _scripted(args: argparse.Namespace) -> bool:
    """Whether a script runs the window (``--screenshot``, ``--select``, the start-up probe of
    ``bench/gui_startup.py``): nobody is there to click a box."""
    return bool(args.screenshot or args.select or os.environ.get(STARTUP_PROBE_ENV))


def run_until_closed(app, window, stops=None) -> int:
    """Run the event loop; SIGTERM and Ctrl-C close the window as its close button does
    (session saved, tasks stopped) and end it with 128 + the signal, 143 or 130, as on the
    command line (:mod:`musicsage.gui.stop_signals`). ``stops``: the signals' handler
    :func:`launch` installed, kept until the library is released (put back here, a Ctrl-C
    then said "stopped before the window opened"); otherwise one is installed here."""
    from musicsage.gui.stop_signals import StopSignals

    own = stops is None
    if own:
        stops = StopSignals()
        stops.install()
    stops.closes(_closer(app, window))
    try:
        code = app.exec()
    finally:
        stops.closed()
        if own:
            stops.uninstall()
    return code if stops.exit_code is None else stops.exit_code


def _closer(app, window):
    """What a signal does once the window is built: what its close button does."""
    def close() -> None:
        app.closeAllWindows()  # a dialog too: its own loop ends as if it was cancelled
        if window.isVisible():
            window.close()
        app.quit()
    return close


def _claim_library(ctx, argv: list[str], *, on_screen: bool | None = None):
    """This process's claims on libraries (a :class:`LibraryClaims`, following the library
    the window shows), or the exit code when another window holds this one: that window was
    asked to come forward (0), or did not answer (1); or its filesystem cannot lock (1).
    ``on_screen``: False for a scripted run (``--select``), which waited on a refusal's box."""
    from musicsage.gui.single_instance import claim_library

    return claim_library(ctx.data_dir, argv, on_screen=on_screen)


def _hold_libraries(instance, window) -> None:
    """The claims follow the library the window shows (the demo); a launch on any of them
    brings the window forward; all are given up when it goes."""
    instance.attach(window.app)
    instance.activated.connect(lambda other_argv: _come_forward(window, other_argv))
    window.destroyed.connect(instance.release)


def _come_forward(window, argv: list[str]) -> None:
    """Another launch asked for this library: show the window (and its ``--select``)."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
    try:
        query = parse_args(argv).select
    except SystemExit:  # arguments this window cannot read: just come forward
        query = None
    if query:
        job = window.workers.run("resolve", first_match, window.app.ctx, query)
        job.succeeded.connect(lambda tid: window.app.selection.select(int(tid), center=True))
        job.failed.connect(lambda msg, _d: window.app.notify(f"--select {query!r}: {msg}",
                                                             "warning"))


def _build_window(args: argparse.Namespace, ctx, settings, app=None, stops=None):
    """The window; a signal from now on (``stops``, :func:`launch`'s) closes it as its close
    button does, even unshown: it said "stopped before the window opened", the session lost."""
    from musicsage.context import AppContext
    from musicsage.gui.main_window import MainWindow
    from musicsage.gui.theme_follow import use_contrast_style
    from musicsage.gui.window_size import capped_size, first_window_rect
    from musicsage.usecases.demo import demo_data_dir

    use_contrast_style()  # before any widget is made: a new style restyles each
    # "Open demo library" never writes into a user's library: the demo has its own data dir,
    # except with an explicit ``--data-dir D --demo``.
    demo_ctx = ((lambda: ctx) if (args.data_dir and args.demo)
                else (lambda: AppContext.create(demo_data_dir())))
    home_ctx = ctx if not args.demo else AppContext.create(args.data_dir)
    # A screenshot has a known size, leaves the user's saved layout alone (nor restores their
    # last tab and track) and watches nothing.
    window = MainWindow(ctx, settings=settings, demo_ctx=demo_ctx, home_ctx=home_ctx,
                        show_dialogs=not args.screenshot, persist_settings=not args.screenshot)
    if args.screenshot:
        window.app.watch.enabled = False
    size = args.size or ("1400x860" if args.screenshot else None)
    if size == "auto":
        window.setGeometry(first_window_rect(window.screen().availableGeometry()))
    elif size:
        w, h = (int(v) for v in size.split("x"))  # checked by window_size
        room, ratio = window.screen().availableVirtualSize(), window.screen().devicePixelRatio()
        if (w, h) != (fit := capped_size(w, h, bool(args.screenshot), room, ratio)):
            scaled = f" (its image {ratio:g} times that: the screen's scale)" if (
                args.screenshot and ratio != 1) else ""  # the image is the size times the scale
            print(f"musicsage: --size {size} is larger than "
                  f"{'a screenshot may be' if args.screenshot else 'the screens'}: "
                  f"{fit[0]}x{fit[1]} used{scaled}", file=sys.stderr)
            w, h = fit
        window.resize(w, h)
    if stops is not None:
        stops.closes(_closer(app, window))
    return window


def _report_startup(window, marks: dict) -> None:
    """``MUSICSAGE_STARTUP_PROBE``: print when the window showed and which heavy modules
    were imported by then, then quit (``bench/gui_startup.py`` reads it)."""
    from PySide6.QtWidgets import QApplication

    heavy = [m for m in ("torch", "dgl", "umap", "numba", "hnswlib") if m in sys.modules]
    marks["shown"] = time.time()
    print(f"window-shown {marks['shown']:.6f} heavy={','.join(heavy) or '-'} "
          + " ".join(f"{k}={v:.6f}" for k, v in marks.items()), flush=True)
    window.close()
    QApplication.instance().quit()


class Autopilot:
    """Waits for the window to settle, selects QUERY, optionally saves a screenshot and quits."""

    def __init__(self, window, *, query: str | None, screenshot: str | None, timeout_s: float) -> None:
        from PySide6.QtCore import QTimer

        self.window = window
        self.query = query
        self.screenshot = screenshot
        self.deadline = time.monotonic() + timeout_s
        self.stage = "loading"
        self.error = ""
        self._snapshots = 0
        self._neighbours = False
        self._unreadable = ""
        """Why the library cannot be opened, once the window shows the page saying so: no
        snapshot ever comes then, and waiting for one only ended in "gave up waiting"."""
        window.snapshot_loaded.connect(self._count_snapshot)
        window.app.library.load_failed.connect(self._cannot_open)
        window.neighbours_loaded.connect(lambda _r: setattr(self, "_neighbours", True))
        self.timer = QTimer(window)
        self.timer.setInterval(200)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.timer.start()

    def _count_snapshot(self) -> None:
        self._snapshots += 1

    def _cannot_open(self, message: str) -> None:
        self._unreadable = message or "unknown error"

    def _settled(self) -> bool:
        w = self.window
        from musicsage.processes import HEAVY, LIGHT

        # the folder watch (a lane of its own, for the whole session) never "settles"
        shown = self._snapshots > 0 or bool(self._unreadable)
        return shown and not [j for j in w.workers.jobs if j.name != "audio output"
                              and j.lane in (LIGHT, HEAVY)]

    @property
    def _snapshot(self):
        return self.window.app.library.snapshot

    def _tick(self) -> None:
        if time.monotonic() > self.deadline:
            self._fail(f"gave up waiting ({self.stage})")
            return
        if not self._settled():
            return
        if self.stage == "loading":
            if self._unreadable and self._snapshots == 0:
                # the page saying why is what there is to see; no track to select
                self.error = f"cannot open the library: {self._unreadable}"
                self._finish()
            elif self.query and self._snapshot is not None:  # empty: "the library is empty"
                self.stage = "resolving"
                self._resolve()
            else:
                self._finish()
        elif self.stage == "selecting" and self._neighbours:
            self._finish()

    def _resolve(self) -> None:
        job = self.window.workers.run("resolve", first_match, self.window.app.ctx, self.query)
        job.succeeded.connect(self._select)
        job.failed.connect(lambda msg, _d: self._fail(f"--select {self.query!r}: {msg}"))

    def _select(self, track_id: int) -> None:
        self.stage = "selecting"
        self.window.app.selection.select(int(track_id), play=False, center=True)

    def _finish(self) -> None:
        from PySide6.QtWidgets import QApplication

        self.timer.stop()
        if self.screenshot:
            QApplication.processEvents()
            out = Path(self.screenshot)
            image = self.window.grab()  # the PNG's pixels: the window's size times its scale
            if not save_image_atomically(image, out):
                self.error = f"could not write {out}"
            else:
                size = image.size()  # (a device-independent size said 1366x768 at scale 2)
                with suppress(OSError):  # stdout no longer read (| head -1): ends all the same
                    print(f"screenshot saved to {out} ({size.width()}x{size.height()})", flush=True)
            self.window.close()
            QApplication.instance().exit(1 if self.error else 0)

    def _fail(self, message: str) -> None:
        from PySide6.QtWidgets import QApplication

        self.timer.stop()
        self.error = message
        if self.screenshot:
            self.window.close()
            QApplication.instance().exit(1)


def first_match(ctx, query: str) -> int:
    """The track ``--select QUERY`` means: the one QUERY names, else the first of several. A
    read, as ``similar``: a file outside the library selects its identical copy in it."""
    from musicsage.search.query import AmbiguousQuery
    from musicsage.usecases.search import resolve_query

    try:
        return resolve_query(ctx, query, copies=True)
    except AmbiguousQuery as e:
        return e.candidates[0].track_id
