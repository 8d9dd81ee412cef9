"""Does the GUI thread stay responsive while the heavy work runs? (target: no stall > 100 ms)

    .venv/bin/python bench/gui_responsiveness.py [--tracks 80] [--seconds 8] [--model musicnn]

Builds a library of generated audio through the real use cases, opens the real MainWindow
(offscreen) and drives it as a user would: scan (Add folder), embedding with the chosen audio
model, the map (UMAP, numba compile on a cold cache), then Retrain (when the graph area
provides train_graph). A StallProbe — a 10 ms QTimer on the GUI thread — records the worst
delay beyond its interval during each phase. Prints a table; writes
bench/results/gui_responsiveness.json.

    .venv/bin/python bench/gui_responsiveness.py --library DATA_DIR

instead opens an existing library (say 28k tracks imported from spotify_songs: ``datasets.py``
then ``musicsage import``; the window writes its map and caches into it as usual) and measures
what a user does on a big one: start-up until the map is drawn, typing a search letter by
letter, two track clicks, opening the largest playlist, filtering the playlist list, queueing
1,000 tracks, and closing the window while Retrain runs. Writes
bench/results/gui_responsiveness_library.json.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_music(root: Path, n: int, seconds: float) -> tuple[Path, Path]:
    import numpy as np
    import soundfile as sf

    music, pls = root / "music", root / "playlists"
    music.mkdir(parents=True)
    pls.mkdir()
    rng = np.random.default_rng(0)
    sr = 22050
    paths = []
    for i in range(n):
        style = i % 5
        t = np.arange(int(seconds * sr)) / sr
        f0 = 110 * 2 ** (style / 2) * (1 + 0.02 * (i // 5))
        beat = (np.sin(2 * np.pi * (1.5 + style) * t) > 0.7).astype(np.float32)
        y = 0.3 * np.sin(2 * np.pi * f0 * t) + 0.2 * beat * rng.standard_normal(len(t))
        p = music / f"Artist {style}" / f"{i:03d}.flac"
        p.parent.mkdir(exist_ok=True)
        with sf.SoundFile(str(p), "w", sr, 1, format="FLAC") as f:
            f.title, f.artist, f.album = f"Track {i}", f"Artist {style}", f"Album {style}"
            f.write(y.astype(np.float32))
        paths.append(p)
    for j in range(max(4, n // 5)):
        members = rng.choice(n, size=min(n, 8), replace=False)
        (pls / f"Playlist {j}.m3u8").write_text(
            "#EXTM3U\n" + "\n".join(str(paths[m]) for m in members) + "\n", encoding="utf-8")
    return music, pls


def _stalls(probe) -> dict:
    """What a phase's probe saw: the worst stall, the worst gaps, how many over 200 ms."""
    gaps = probe.gaps_ms
    return {"max_stall_ms": round(probe.max_stall_ms, 1),
            "worst_gaps_ms": [round(g, 1) for g in sorted(gaps)[-3:]],
            "stalls_over_200ms": sum(1 for g in gaps if g - probe.interval_ms > 200)}


def big_library_phases(data_dir: str | Path, train_steps: int) -> int:
    """The ``--library`` run: a user's actions on an existing (big) library, each with the
    GUI thread's worst stall while it and what it started ran. A path without a library, or
    one without tracks, is refused in one line first (the map phase waited 900 s for a map
    of nothing, then tracebacked)."""
    from bench_files import open_existing_library, write_json
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from musicsage.gui.main_window import MainWindow
    from musicsage.gui.workers import StallProbe

    ctx = open_existing_library(data_dir, option="--library", need_tracks=True)
    app = QApplication.instance() or QApplication([])
    probe, phases = StallProbe(), {}

    def spin(seconds: float = 0.0, until=lambda: True, timeout: float = 900) -> None:
        t0 = time.monotonic()
        while time.monotonic() - t0 < seconds or not until():
            app.processEvents()
            time.sleep(0.002)
            if time.monotonic() - t0 > timeout:
                raise TimeoutError("phase did not finish")

    def phase(name: str, act, until=lambda: True, then: float = 1.0) -> None:
        probe.start()
        t0 = time.monotonic()
        act()
        spin(until=until)
        seconds = time.monotonic() - t0
        spin(then)  # what the action started on the GUI thread afterwards
        probe.stop()
        phases[name] = {"seconds": round(seconds, 2), **_stalls(probe)}

    def typed(box, text: str) -> None:
        for ch in text:  # letter by letter, as fast as a quick typist
            QTest.keyClicks(box, ch)
            spin(0.12)

    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat)
        holder: list = []

        def open_window() -> None:
            w = MainWindow(ctx, settings=settings, probe_audio=False, show_dialogs=False,
                           train_options={"max_steps": train_steps})
            w.resize(1300, 800)
            w.show()
            holder.append(w)

        phase("start-up until the map is drawn", open_window,
              lambda: len(holder[0].map.track_ids) > 0 and not holder[0].workers.busy)
        w = holder[0]
        snap = w.app.library.snapshot
        ids = [t.id for t in snap.tracks]
        sizes = snap.playlist_sizes()
        largest = max(sizes, key=sizes.get) if sizes else None
        phase("typing a search, letter by letter", lambda: typed(w.library.search, "love song"),
              lambda: not w.workers.busy)
        for n, tid in enumerate((ids[len(ids) // 3], ids[2 * len(ids) // 3]), 1):
            phase(f"track click {n} (neighbours)", lambda t=tid: w.app.selection.select(
                t, play=False), lambda: not w.workers.busy)
        if largest is not None:
            phase(f"opening the largest playlist ({sizes[largest]} tracks)",
                  lambda: w.library.choose_playlist(largest), lambda: not w.workers.busy)
        phase(f"filtering {len(sizes)} playlists", lambda: typed(w.library.playlist_filter, "rock"))
        phase("queueing 1,000 tracks", lambda: w.app.queue.play_list(ids[:1000], "bench"),
              lambda: not w.workers.busy)
        w.app.training.start()
        spin(20)  # the loss curve drawing
        phase("closing the window while Retrain runs", w.close)
    results = {"library": str(data_dir), "tracks": len(ids), "playlists": len(sizes),
               "loadavg_1min": os.getloadavg()[0], "phases": phases}
    print(f"GUI-thread stalls on {data_dir} ({len(ids)} tracks; load average "
          f"{results['loadavg_1min']:.1f})")
    for name, r in phases.items():
        print(f"  {name:44s} {r['seconds']:7.2f} s  max stall {r['max_stall_ms']:7.1f} ms  "
              f">200 ms: {r['stalls_over_200ms']}")
    write_json(ROOT / "bench" / "results" / "gui_responsiveness_library.json", results)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tracks", type=int, default=80, help="(training needs more than 64)")
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--model", default="musicnn", help="audio model for the embedding phase")
    ap.add_argument("--train-steps", type=int, default=300)
    ap.add_argument("--library", help="an existing library's data dir: the big-library phases")
    args = ap.parse_args()
    if args.library is not None:  # "" too: refused, not the generated-library run
        return big_library_phases(args.library, args.train_steps)

    from bench_files import write_json
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from musicsage.context import AppContext
    from musicsage.gui.main_window import MainWindow
    from musicsage.gui.workers import StallProbe
    from musicsage.usecases.library import list_tracks

    app = QApplication.instance() or QApplication([])
    results: dict = {"tracks": args.tracks, "seconds_per_track": args.seconds, "model": args.model,
                     "loadavg_1min": os.getloadavg()[0], "phases": {}}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        music, pls = make_music(tmp / "src", args.tracks, args.seconds)
        ctx = AppContext.create(tmp / "data")
        w = MainWindow(ctx, settings=QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat),
                       probe_audio=False, show_dialogs=False,
                       train_options={"max_steps": args.train_steps})
        w.app.library.embed_model = args.model
        w.resize(1300, 800)
        w.show()
        probe = StallProbe()

        def wait_idle(timeout: float = 1800) -> float:
            t0 = time.monotonic()
            while True:
                app.processEvents()
                time.sleep(0.002)
                if not w.workers.busy and time.monotonic() - t0 > 0.2:
                    return time.monotonic() - t0
                if time.monotonic() - t0 > timeout:
                    raise TimeoutError("phase did not finish")

        def phase(name: str, start) -> None:
            probe.start()
            t0 = time.monotonic()
            start()
            wait_idle()
            probe.stop()
            gaps = probe.gaps_ms
            results["phases"][name] = {
                "seconds": round(time.monotonic() - t0, 2), "ticks": len(gaps),
                "max_stall_ms": round(probe.max_stall_ms, 1),
                "p99_gap_ms": round(sorted(gaps)[int(0.99 * (len(gaps) - 1))], 1) if gaps else None,
                "median_gap_ms": round(statistics.median(gaps), 1) if gaps else None,
                "stalls_over_100ms": sum(1 for g in gaps if g - probe.interval_ms > 100)}

        wait_idle()
        # Baseline: the same probe with nothing running (what the machine's load alone costs)
        phase("idle (baseline)", lambda: time.sleep(0) or None)
        t_end = time.monotonic() + 10
        probe.start()
        while time.monotonic() < t_end:
            app.processEvents()
            time.sleep(0.002)
        probe.stop()
        gaps = probe.gaps_ms
        results["phases"]["idle (baseline)"] = {
            "seconds": 10.0, "ticks": len(gaps), "max_stall_ms": round(probe.max_stall_ms, 1),
            "p99_gap_ms": round(sorted(gaps)[int(0.99 * (len(gaps) - 1))], 1),
            "median_gap_ms": round(statistics.median(gaps), 1),
            "stalls_over_100ms": sum(1 for g in gaps if g - probe.interval_ms > 100)}
        from musicsage.gui.heap import freeze_heap

        freeze_heap()  # what main.py does at start-up
        # scan + embed + map run as one chain after "Add music folder"
        phase("scan+embed+map (Add folder)", lambda: w.app.library.scan([str(music)], [str(pls)]))
        def click_tracks() -> None:
            ids = [t.id for t in list_tracks(ctx)[:5]]
            for i, tid in enumerate(ids):  # a click every 300 ms: neighbours + MusiCNN tags
                QTimer.singleShot(300 * i, lambda t=tid: w.app.selection.select(t, play=False))

        phase("5 track clicks (neighbours+tags)", click_tracks)
        phase("retrain (+map refresh)", w.app.training.start)
        results["train_outcome"] = w.training.panel.status.text()
        results["tags_shown"] = w.library.detail_labels["tags"].text()
        results["heavy_modules_in_gui_process"] = [m for m in ("torch", "dgl", "umap", "numba")
                                                   if m in sys.modules]
        errors = [t for lvl, t in w.app.notifications if lvl == "error"]
        results["errors"] = errors
        w.close()

    print(f"GUI-thread stalls (10 ms timer; load average {results['loadavg_1min']:.1f}), "
          f"{args.tracks} tracks x {args.seconds:.0f} s, model {args.model}")
    print(f"  {'phase':32s} {'s':>7s} {'ticks':>7s} {'median':>7s} {'p99':>7s} {'max stall':>10s} {'>100ms':>7s}")
    for name, r in results["phases"].items():
        print(f"  {name:32s} {r['seconds']:7.1f} {r['ticks']:7d} {r['median_gap_ms']:7.1f} "
              f"{r['p99_gap_ms']:7.1f} {r['max_stall_ms']:10.1f} {r['stalls_over_100ms']:7d}")
    print(f"  heavy modules imported by the GUI process: {results['heavy_modules_in_gui_process'] or 'none'}"
          f"; last tags shown: {results['tags_shown']!r}")
    if results["errors"]:
        print("  errors:", *results["errors"], sep="\n    ")
    write_json(ROOT / "bench" / "results" / "gui_responsiveness.json", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
