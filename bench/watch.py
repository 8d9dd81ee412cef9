"""The folder watch: reaction time (file event -> library updated) and CPU cost at rest.

    .venv/bin/python bench/watch.py [--files 300] [--rounds 5] [--idle 60] [--quiet 1.0]
                                    [--folders 2000]

A library of N generated 0.3 s WAV files in 30 folders (plus ``--folders`` empty ones, to see
what many watched folders cost) is scanned and embedded (spectral), then watched
(``musicsage.usecases.watch.watch_library`` in a thread, as the window runs it) while this script:

1. **Reaction**: ``--rounds`` times each of create / modify / move / delete one file, one at a
   time, timing from just before the file operation to the moment a second connection sees the
   DB updated (polling every 5 ms), and for create/modify also until the new vector is stored.
   The debounce (``--quiet``, default the watch's 1.0 s) is most of it by design.
2. **Backfill**: the content hashes of all tracks are dropped first, as for a library scanned
   before they existed; the time until the idle watch has recorded them all.
3. **At rest**: process CPU time (user+sys, ``resource.getrusage``: all threads, the observer
   and the watch loop included) over ``--idle`` seconds with nothing happening, and the same
   with no watch running as the baseline; voluntary context switches show how often it wakes.
4. **Hash cost in the scan**: the first scan of the same files with and without recording the
   content hashes (alternating, median of 3), since every scan now records them: on the WAVs
   above, and on ``--mixed`` files of the 7 formats bench/scan.py writes (0.5 s each: small
   files, so the 2 × 64 KiB read is a large share of each — an upper bound for real music).

Files are in the page cache (just written). Prints a table; writes bench/results/watch.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from musicsage.usecases.embedding import embed_library  # noqa: E402
from musicsage.usecases.library import scan_library  # noqa: E402
from musicsage.context import AppContext  # noqa: E402
from musicsage.library import paths as P  # noqa: E402
from musicsage.library.db import open_connection  # noqa: E402
from musicsage.progress import CancelToken  # noqa: E402
from musicsage.usecases.watch import watch_library  # noqa: E402

SR = 22050


def write_wav(path: Path, freq: float, seconds: float = 0.3) -> None:
    import soundfile as sf

    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(seconds * SR)) / SR
    sf.write(str(path), (0.2 * np.sin(2 * np.pi * freq * t)).astype(np.float32), SR, subtype="PCM_16")


def generate(music: Path, n: int, empty_folders: int) -> list[Path]:
    files = [music / f"folder{i % 30:02d}" / f"track{i:05d}.wav" for i in range(n)]
    for i, f in enumerate(files):
        write_wav(f, 110.0 + 3.0 * i)
    for i in range(empty_folders):
        (music / "many" / f"{i // 100:03d}" / f"{i:05d}").mkdir(parents=True, exist_ok=True)
    return files


def cpu_seconds() -> tuple[float, int]:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime, r.ru_nvcsw


def wait_for(predicate, timeout: float = 60.0, step: float = 0.005) -> float:
    t0 = time.perf_counter()
    while not predicate():
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError("the watch did not react within 60 s")
        time.sleep(step)
    return time.perf_counter()


class Probe:
    """A second connection that looks at the DB the watch writes."""

    def __init__(self, db_path: Path):
        self.conn = open_connection(db_path)

    def row(self, path: Path):
        return self.conn.execute("SELECT id, status, size, mtime_ns FROM tracks WHERE path = ?",
                                 (P.from_fs(str(path)),)).fetchone()

    def present(self, path: Path, size: int | None = None) -> bool:
        r = self.row(path)
        return r is not None and r["status"] == "present" and (size is None or r["size"] == size)

    def embedded(self, path: Path) -> bool:
        r = self.row(path)
        return r is not None and self.conn.execute(
            "SELECT 1 FROM audio_embeddings WHERE track_id = ?", (r["id"],)).fetchone() is not None

    def missing(self, path: Path) -> bool:
        r = self.row(path)
        return r is not None and r["status"] == "missing"


def reaction_rounds(music: Path, files: list[Path], probe: Probe, rounds: int, quiet: float) -> dict:
    out: dict[str, list[float]] = {k: [] for k in ("create", "create+embed", "modify",
                                                   "modify+embed", "move", "delete")}
    for r in range(rounds):
        new = music / "incoming" / f"new{r}.wav"
        t0 = time.perf_counter()
        write_wav(new, 2000.0 + r)
        out["create"].append(wait_for(lambda: probe.present(new)) - t0)
        out["create+embed"].append(wait_for(lambda: probe.embedded(new)) - t0)
        time.sleep(2 * quiet)
        target = files[r]
        t0 = time.perf_counter()
        write_wav(target, 3000.0 + r, seconds=0.4)
        size = target.stat().st_size
        out["modify"].append(wait_for(lambda: probe.present(target, size)) - t0)
        out["modify+embed"].append(wait_for(lambda: probe.embedded(target)) - t0)
        time.sleep(2 * quiet)
        moved_from, moved_to = files[rounds + r], music / "moved" / f"moved{r}.wav"
        moved_to.parent.mkdir(exist_ok=True)
        t0 = time.perf_counter()
        os.rename(moved_from, moved_to)
        out["move"].append(wait_for(lambda: probe.present(moved_to)) - t0)
        time.sleep(2 * quiet)
        gone = files[2 * rounds + r]
        t0 = time.perf_counter()
        gone.unlink()
        out["delete"].append(wait_for(lambda: probe.missing(gone)) - t0)
        time.sleep(2 * quiet)
    return {k: {"median_s": round(statistics.median(v), 3), "max_s": round(max(v), 3), "n": len(v)}
            for k, v in out.items()}


def idle_cpu(seconds: float) -> dict:
    c0, s0 = cpu_seconds()
    t0 = time.perf_counter()
    time.sleep(seconds)
    c1, s1 = cpu_seconds()
    wall = time.perf_counter() - t0
    return {"seconds": round(wall, 1), "cpu_s": round(c1 - c0, 4),
            "cpu_percent_of_a_core": round(100 * (c1 - c0) / wall, 4),
            "wakeups_per_s": round((s1 - s0) / wall, 2)}


def hash_cost(files_dir: Path, work: Path) -> dict:
    """First-scan seconds with and without recording content hashes (alternating, median)."""
    from musicsage.library import moves
    from musicsage.library.scan import resolve_roots, scan_roots

    timings: dict[str, list[float]] = {"with_hashes": [], "without_hashes": []}
    original = moves.MoveFinder.note
    for i in range(3):
        for mode in ("with_hashes", "without_hashes"):
            moves.MoveFinder.note = original if mode == "with_hashes" else (lambda self, f: None)
            db = work / f"scan-{mode}-{i}.db"
            conn = open_connection(db)
            t0 = time.perf_counter()
            scan_roots(conn, resolve_roots([files_dir]))
            timings[mode].append(time.perf_counter() - t0)
            conn.close()
    moves.MoveFinder.note = original
    w, wo = statistics.median(timings["with_hashes"]), statistics.median(timings["without_hashes"])
    return {"with_hashes_s": round(w, 3), "without_hashes_s": round(wo, 3),
            "overhead_percent": round(100 * (w - wo) / wo, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--idle", type=float, default=60.0)
    ap.add_argument("--quiet", type=float, default=1.0)
    ap.add_argument("--folders", type=int, default=2000, help="extra empty folders to watch")
    ap.add_argument("--mixed", type=int, default=700, help="files of mixed formats (hash cost)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="musicsage-bench-watch-"))
    try:
        result = run(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = ROOT / "bench" / "results" / "watch.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    print(f"wrote {out}")
    return 0


def run(work: Path, args) -> dict:
    music = work / "music"
    files = generate(music, args.files, args.folders)
    result = {"files": args.files, "extra_folders": args.folders, "quiet_s": args.quiet,
              "load_before": os.getloadavg()}
    result["scan_hash_cost"] = hash_cost(music, work)
    if args.mixed:
        sys.path.insert(0, str(ROOT / "bench"))
        from scan import generate as generate_mixed  # bench/scan.py

        generate_mixed(work / "mixed", args.mixed)
        result["scan_hash_cost_mixed_formats"] = hash_cost(work / "mixed", work)
    ctx = AppContext.create(work / "data")
    scan_library(ctx, [str(music)])
    embed_library(ctx, "spectral")
    probe = Probe(ctx.db_path)
    probe.conn.execute("DELETE FROM track_hashes")  # as if scanned before hashes existed
    time.sleep(5)  # let the embed job's threads wind down before the baseline
    result["idle_without_watch"] = idle_cpu(min(args.idle, 30.0))
    cancel, ready, reports = CancelToken(), threading.Event(), []
    started = time.perf_counter()
    thread = threading.Thread(target=watch_library, args=(ctx,), kwargs=dict(
        on_batch=reports.append, on_ready=lambda w: ready.set(), cancel=cancel, quiet=args.quiet))
    thread.start()
    ready.wait(120)
    result["start_s"] = round(time.perf_counter() - started, 3)
    n_tracks = probe.conn.execute("SELECT COUNT(*) FROM tracks").fetchone()[0]
    t0 = time.perf_counter()
    wait_for(lambda: probe.conn.execute("SELECT COUNT(*) FROM track_hashes").fetchone()[0]
             >= n_tracks, timeout=600)
    result["backfill"] = {"tracks": n_tracks, "seconds": round(time.perf_counter() - t0, 3)}
    try:
        result["reaction"] = reaction_rounds(music, files, probe, args.rounds, args.quiet)
        time.sleep(2 * args.quiet)
        result["idle_with_watch"] = idle_cpu(args.idle)
    finally:
        cancel.cancel()
        thread.join(30)
    result["batches"] = len(reports)
    result["apply_seconds_median"] = round(statistics.median(r.seconds for r in reports), 4)
    result["load_after"] = os.getloadavg()
    return result


if __name__ == "__main__":
    raise SystemExit(main())
