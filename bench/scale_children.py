"""The parts of ``bench/library_scale.py`` that run in their own process (so that the parent
reads each one's CPU time and peak memory with ``wait4``). Each prints one JSON line.

    scale_children.py bound  DATA_DIR [--seconds 20]   the analysis compute bound
    scale_children.py paired DATA_DIR [--tracks 200]   embed job vs bound, alternated
    scale_children.py window DATA_DIR [--frames 40]    first window, pan frames, click
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import threading
import time
from pathlib import Path

STARTED = time.perf_counter()
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _sys() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_stime


# --- the compute bound of the default analysis policy ------------------------------------------


def patches_per_track(ctx) -> tuple[float, int]:
    """Mean MusiCNN patches per present track under the default policy (from the stored
    durations, with the embedder's own span and patch arithmetic), and the track count."""
    from musicsage.audio.musicnn import features
    from musicsage.audio.musicnn.embedding import FramePolicy, excerpt_spans
    from musicsage.library.db import connect

    policy = FramePolicy.of()
    durations = [r[0] for r in connect(ctx).execute(
        "SELECT duration FROM tracks WHERE status = 'present'")]
    total = 0
    for d in durations:
        for _, length in excerpt_spans(d, max_seconds=policy.max_seconds,
                                       excerpt_seconds=policy.excerpt_seconds):
            frames = 1 + int(length * features.SAMPLE_RATE) // features.HOP
            total += len(features.patch_starts(frames, hop_frames=policy.hop_frames))
    return total / max(1, len(durations)), len(durations)


def network_alone(module, seconds: float) -> tuple[int, float, float]:
    """The network alone for ``seconds``, laid out as the embed job lays it out on the CPU
    (one single-threaded lane per core, passes of ``CPU_CHUNK`` patches): (patches, wall s,
    CPU s)."""
    import numpy as np

    from musicsage.audio import threads
    from musicsage.audio.musicnn.embedding import CPU_CHUNK
    from musicsage.audio.musicnn.network import run_network

    budget = threads.budget_for("cpu")
    patches = np.random.default_rng(0).uniform(0, 4, (CPU_CHUNK, 187, 96)).astype(np.float32)
    counts = [0] * budget.lanes
    with threads.applied(budget):
        run_network(module, patches, chunk=CPU_CHUNK)  # warm-up
        stop = time.perf_counter() + seconds

        def lane(i: int) -> None:
            while time.perf_counter() < stop:
                run_network(module, patches, chunk=CPU_CHUNK)
                counts[i] += CPU_CHUNK

        t, cpu = time.perf_counter(), _cpu()
        workers = [threading.Thread(target=lane, args=(i,)) for i in range(budget.lanes)]
        for th in workers:
            th.start()
        for th in workers:
            th.join()
        return sum(counts), time.perf_counter() - t, _cpu() - cpu


def bound(data_dir: str, seconds: float) -> dict:
    """The network alone, laid out as the embed job lays it out (one single-threaded lane per
    core, passes of ``CPU_CHUNK`` patches): patches per second and CPU per patch; and fp32
    matmul GFLOP/s with torch using every core."""
    import torch

    from musicsage.audio import threads
    from musicsage.audio.musicnn.network import load_network
    from musicsage.context import AppContext

    ctx = AppContext.create(data_dir)
    per_track, n_tracks = patches_per_track(ctx)
    n, wall, cpu = network_alone(load_network(ctx).module, seconds)
    budget = threads.budget_for("cpu")
    torch.set_num_threads(threads.cpu_cores())
    a, b = torch.randn(2048, 2048), torch.randn(2048, 2048)
    a @ b
    t, reps = time.perf_counter(), 0
    while time.perf_counter() - t < min(5.0, seconds / 2):
        a @ b
        reps += 1
    gflops = 2 * 2048 ** 3 * reps / (time.perf_counter() - t) / 1e9
    from musicnn_throughput import network_gflop_per_patch

    gflop_per_patch = network_gflop_per_patch()
    return {"lanes": budget.lanes, "patches_per_s": n / wall, "cpu_ms_per_patch": 1000 * cpu / n,
            "patches_per_track": per_track, "tracks": n_tracks,
            "bound_s_per_track": per_track / (n / wall),
            "bound_cpu_s_per_track": per_track * cpu / n,
            "matmul_gflops": gflops, "network_gflop_per_patch": gflop_per_patch,
            "network_share_of_matmul_rate": gflop_per_patch * n / wall / gflops,
            "loadavg": os.getloadavg()}


def paired(data_dir: str, tracks: int, chunk: int) -> dict:
    """The embed job and the network alone, alternated in one process on the same lanes.

    On a shared machine the load changes from minute to minute; measured back to back, in
    chunks of ``chunk`` tracks each followed by a burst of the network alone lasting as
    long, both sides of each ratio see the same load. Runs on a copy of the library DB in
    which the first ``tracks`` tracks lost their vectors.
    """
    import shutil
    import statistics

    from musicsage.audio.embed_job import run_embed_job
    from musicsage.audio.embedder import get_embedder
    from musicsage.context import AppContext
    from musicsage.library.db import connect

    source = Path(data_dir)
    copy = source.with_name(source.name + "-paired")
    if copy.exists():
        shutil.rmtree(copy)
    copy.mkdir()
    conn = connect(AppContext.create(source))
    conn.execute(f"VACUUM INTO '{copy / 'library.sqlite3'}'")
    ctx = AppContext.create(copy)
    c = connect(ctx)
    ids = [r[0] for r in c.execute("SELECT id FROM tracks WHERE status = 'present' ORDER BY id"
                                   " LIMIT ?", (tracks,))]
    c.executemany("DELETE FROM audio_embeddings WHERE track_id = ?", [(i,) for i in ids])
    c.commit()
    per_track, _ = patches_per_track(ctx)
    embedder = get_embedder("musicnn", ctx, device="cpu")
    module = embedder.network.module

    def network_for(seconds: float) -> tuple[float, float]:
        n, wall, cpu = network_alone(module, seconds)
        return n / wall, cpu / n

    network_for(2.0)  # warm-up
    pairs = []
    while True:
        t, cpu, sys_s = time.perf_counter(), _cpu(), _sys()
        rep = run_embed_job(ctx, embedder, limit=chunk)
        wall, cpu, sys_s = time.perf_counter() - t, _cpu() - cpu, _sys() - sys_s
        if rep.embedded == 0:
            break
        rate, cpu_per_patch = network_for(wall)
        pairs.append({"tracks": rep.embedded, "embed_s_per_track": wall / rep.embedded,
                      "embed_cpu_s_per_track": cpu / rep.embedded,
                      "embed_sys_share": sys_s / max(1e-9, cpu),
                      "bound_s_per_track": per_track / rate,
                      "bound_cpu_s_per_track": per_track * cpu_per_patch,
                      "loadavg": os.getloadavg()[0]})
    ratios = [p["embed_s_per_track"] / p["bound_s_per_track"] for p in pairs]
    cpu_ratios = [p["embed_cpu_s_per_track"] / p["bound_cpu_s_per_track"] for p in pairs]
    shutil.rmtree(copy)
    return {"tracks": sum(p["tracks"] for p in pairs), "chunk": chunk,
            "ratio_median": round(statistics.median(ratios), 3),
            "ratio_all": [round(r, 3) for r in ratios],
            "cpu_ratio_median": round(statistics.median(cpu_ratios), 3),
            "embed_sys_share": round(sum(p["embed_sys_share"] * p["embed_cpu_s_per_track"]
                                         * p["tracks"] for p in pairs)
                                     / max(1e-9, sum(p["embed_cpu_s_per_track"] * p["tracks"]
                                                     for p in pairs)), 3),
            "embed_s_per_track_median": round(statistics.median(
                p["embed_s_per_track"] for p in pairs), 4),
            "bound_s_per_track_median": round(statistics.median(
                p["bound_s_per_track"] for p in pairs), 4),
            "pairs": pairs}


# --- the window: first map, pan frames, a click --------------------------------------------------


def window(data_dir: str, frames: int, timeout_s: float) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from musicsage.context import AppContext
    from musicsage.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    settings_file = Path(data_dir) / "bench-window-settings.ini"
    settings_file.unlink(missing_ok=True)
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    ctx = AppContext.create(data_dir)
    t_build = time.perf_counter()
    win = MainWindow(ctx, settings=settings, show_dialogs=False, probe_audio=False)
    win.persist_settings = False
    win.resize(1400, 860)
    win.show()
    marks: dict[str, float] = {"window_shown_s": time.perf_counter() - STARTED}
    deadline = time.monotonic() + timeout_s

    def settled() -> bool:  # the folder watch (a lane of its own) lasts the session
        return not [j for j in win.workers.jobs
                    if j.lane in ("light", "heavy") and j.name != "audio output"]

    def wait_for(done, what: str) -> None:
        while not done():
            if time.monotonic() > deadline:
                raise SystemExit(f"window: gave up waiting for {what}")
            app.processEvents()
            time.sleep(0.005)

    wait_for(lambda: len(win.map.xy) > 0 and settled(), "the map")
    marks["map_shown_s"] = time.perf_counter() - STARTED
    marks["build_to_map_s"] = time.perf_counter() - t_build
    n_points = len(win.map.xy)
    app.processEvents()

    def timed_frames(change) -> list[float]:
        out = []
        for i in range(frames):
            change(i)
            t = time.perf_counter()
            win.map.plot.viewport().repaint()
            out.append(1000 * (time.perf_counter() - t))
        return out

    view = win.map.view
    (x0, x1), _ = view.viewRange()
    step = (x1 - x0) * 0.03
    win.map.fit()
    app.processEvents()
    pan = timed_frames(lambda i: view.translateBy(x=step if (i // 10) % 2 == 0 else -step))
    zoom = timed_frames(lambda i: view.scaleBy((0.8, 0.8) if (i // 5) % 2 == 0 else (1.25, 1.25)))
    win.map.fit()
    app.processEvents()

    # A click: select a track, wait for both neighbour lists.
    got: list[object] = []
    win.neighbours_loaded.connect(got.append)
    track_id = int(win.map.track_ids[len(win.map.track_ids) // 2])
    t = time.perf_counter()
    win.app.selection.select(track_id, play=False, center=True)
    wait_for(lambda: bool(got), "the neighbours")
    click_ms = 1000 * (time.perf_counter() - t)
    got.clear()
    second = int(win.map.track_ids[len(win.map.track_ids) // 3])
    t = time.perf_counter()
    win.app.selection.select(second, play=False, center=True)
    wait_for(lambda: bool(got), "the neighbours")
    click2_ms = 1000 * (time.perf_counter() - t)
    query_ms = neighbour_query_ms(ctx, second)
    shot = Path(data_dir) / "bench-window.png"
    win.grab().save(str(shot))
    win.close()
    app.processEvents()
    return {"points": n_points, **{k: round(v, 3) for k, v in marks.items()},
            "pan_frame_ms": _summary(pan), "zoom_frame_ms": _summary(zoom),
            "first_click_to_neighbours_ms": round(click_ms, 1),
            "click_to_neighbours_ms": round(click2_ms, 1),
            "neighbour_query_ms": query_ms, "screenshot": str(shot),
            "loadavg": os.getloadavg()}


def neighbour_query_ms(ctx, track_id: int) -> dict:
    """``similar_tracks`` with the spaces loaded (what a click costs once the window is up)."""
    from musicsage.usecases.search import similar_tracks
    from musicsage.usecases.spaces import SearchSpaces

    spaces = SearchSpaces(ctx)
    similar_tracks(ctx, track_id, k=10, space="both", spaces=spaces)
    times = []
    for _ in range(20):
        t = time.perf_counter()
        similar_tracks(ctx, track_id, k=10, space="both", spaces=spaces)
        times.append(1000 * (time.perf_counter() - t))
    return _summary(times)


def _summary(ms: list[float]) -> dict:
    ordered = sorted(ms)
    return {"median": round(statistics.median(ms), 2),
            "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
            "max": round(max(ms), 2), "n": len(ms)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["bound", "paired", "window"])
    ap.add_argument("data_dir")
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--frames", type=int, default=40)
    ap.add_argument("--timeout", type=float, default=1800.0)
    ap.add_argument("--tracks", type=int, default=200)
    ap.add_argument("--chunk", type=int, default=25)
    args = ap.parse_args()
    if args.what == "bound":
        out = bound(args.data_dir, args.seconds)
    elif args.what == "paired":
        out = paired(args.data_dir, args.tracks, args.chunk)
    else:
        out = window(args.data_dir, args.frames, args.timeout)
    print("RESULT " + json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
