"""How long the window freezes when a long list is queued, and when the queue then changes.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/queue_bench.py LIB \
        [--sizes 5000,all] [--reps 3]

Opens the real MainWindow (offscreen) on the library LIB, every track counted as playable (a
dataset library has no audio files), shows the Queue tab, and for each size times what a user
does with a long queue: "Play in order" of that many tracks (the queue gets them all and the
first one plays), one row moved down (↓), and Next (the queue advances one track). A 50 ms
QTimer ticks on the GUI thread; an action's cost is the longest gap between its ticks, from the
action until 0.3 s after it (its repaint included): the time the window was frozen. Median of
``--reps``. Prints a table; writes bench/results/queue_bench.json.

The audit's library: 28,356 tracks (a dataset dir imported, with its map), on a 2-core machine
shared with other work (load 1-2). Worst gap, ms, median of 3; 50 ms is the floor (the timer's
own interval: nothing froze):

    size    action            before (a QListWidget,    after (a model: rows made on
                              every row rebuilt)         screen, only changes told)
    5000    play in order          148                        52
    5000    move a row down        109                        52
    5000    next track             106                        52
    28356   play in order          959                       104
    28356   move a row down        690                        51
    28356   next track             733                        51

Targets: "Play in order" of 28k under 200 ms, a move under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench_files import open_existing_library, write_json  # noqa: E402


class GapProbe:
    """A 50 ms timer on the GUI thread: the longest gap between its ticks is the longest time
    the window could not react."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(50)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.worst = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def start(self) -> None:
        self.last, self.worst = time.perf_counter(), 0.0
        self.timer.start()

    def stop(self) -> float:
        """The worst gap in ms (the time since the last tick counts too)."""
        self._tick()
        self.timer.stop()
        return self.worst * 1000


def pump(app: QApplication, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.002)


def open_window(app: QApplication, ctx, settings_path: Path):
    """The main window on the library ``ctx``, shown at 1400x900, its map loaded (the map's
    background work would otherwise land in the gaps measured)."""
    from musicsage.gui.heap import freeze_heap
    from musicsage.gui.main_window import MainWindow
    from musicsage.library import browse

    browse.TrackInfo.has_file = property(lambda self: True)  # a dataset: no audio files
    freeze_heap()  # what main.py does at start-up
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    settings.clear()
    w = MainWindow(ctx, settings=settings, probe_audio=False,
                   show_dialogs=False)
    w.persist_settings = False
    w.app.watch.enabled = False
    w.resize(1400, 900)
    w.show()
    start = time.perf_counter()
    while not len(w.map.track_ids) and time.perf_counter() - start < 300:
        pump(app, 0.05)
    pump(app, 1.0)
    return w


def time_actions(app: QApplication, w, ids: list[int], reps: int) -> dict[str, list[float]]:
    """Worst gaps (ms) of play in order / move a row / next track, ``reps`` times each."""
    from musicsage.gui.explore_wiring import show_tab

    probe = GapProbe()
    gaps: dict[str, list[float]] = {"play in order": [], "move a row down": [],
                                    "next track": []}

    def measure(name: str, action) -> None:
        probe.start()
        action()
        pump(app, 0.3)
        gaps[name].append(round(probe.stop(), 1))

    def move_down() -> None:
        w.queue.list.setCurrentRow(5)
        w.queue.down_button.click()

    for rep in range(reps):
        w.app.queue.clear()
        show_tab(w, "queue")
        pump(app, 0.3)
        order = ids[rep:] + ids[:rep]  # a new list each time, as a new region would be
        measure("play in order", lambda: w.app.queue.play_list(order, "Region"))
        assert w.queue.list.count() == len(ids)
        measure("move a row down", move_down)
        measure("next track", w.app.queue.next)
    return gaps


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("library", metavar="LIB", help="a library dir (or its library.sqlite3)")
    ap.add_argument("--sizes", default="5000,all", help="queue lengths; 'all': every track")
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args(argv)

    ctx = open_existing_library(args.library, option="LIB", need_tracks=True)
    app = QApplication.instance() or QApplication(["queue_bench"])
    out = ROOT / "bench" / "results" / "queue_bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    w = open_window(app, ctx, out.with_suffix(".ini"))
    every = [int(t.id) for t in w.app.library.snapshot.tracks]
    results = {"library_tracks": len(every), "load": os.getloadavg(), "sizes": {}}
    print(f"{'size':>6}  {'action':18s} {'worst gap, ms (median)':>24}  each")
    for size in args.sizes.split(","):
        n = len(every) if size == "all" else min(int(size), len(every))
        gaps = time_actions(app, w, every[:n], args.reps)
        results["sizes"][n] = {name: {"median_ms": statistics.median(g), "each_ms": g}
                               for name, g in gaps.items()}
        for name, g in gaps.items():
            print(f"{n:>6}  {name:18s} {statistics.median(g):>24.1f}  {g}", flush=True)
    w.app.queue.clear()
    w.close()
    write_json(out, results)
    out.with_suffix(".ini").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
