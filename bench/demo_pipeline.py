"""The demo's first launch, stage by stage: wall-clock and CPU seconds on this machine.

Run: ``.venv/bin/python bench/demo_pipeline.py [--tracks N] [--seconds S] [--audio-model M]
[--train-steps K] [--keep DIR]`` — builds the demo into a fresh data dir (what
``main.py --demo`` does on a first launch), one stage at a time (``build_demo(until=stage)``),
timing each with the wall clock and the process's CPU time (all threads), then calls
``build_demo`` once more to time the reuse of a finished demo. Writes
``bench/results/demo_pipeline.json``.

CPU seconds matter on a shared 2-core machine, where the wall clock depends on the other
processes: on an idle 2-core machine a stage takes between CPU/2 (perfectly parallel) and CPU
(serial) seconds.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tracks", type=int, default=None)
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument("--audio-model", default=None, help="default: the app's default model")
    ap.add_argument("--train-steps", type=int, default=None)
    ap.add_argument("--keep", default=None, metavar="DIR", help="build here and keep it")
    args = ap.parse_args(argv)

    import torch

    torch.set_num_threads(2)
    from musicsage.context import AppContext
    from musicsage.demo.state import STAGES
    from musicsage.usecases.demo import build_demo

    data_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="demo-bench-"))
    ctx = AppContext.create(data_dir)
    rows, details = [], {}
    total_wall = total_cpu = 0.0
    for stage in STAGES:
        w0, c0 = time.perf_counter(), cpu_seconds()
        rep = build_demo(ctx, n_tracks=args.tracks, seconds=args.seconds, until=stage,
                                  audio_model=args.audio_model, train_steps=args.train_steps)
        wall, cpu = time.perf_counter() - w0, cpu_seconds() - c0
        total_wall += wall
        total_cpu += cpu
        info = rep.stages.get(stage) or {"skipped": rep.skipped.get(stage, "?")}
        details[stage] = info
        rows.append({"stage": stage, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2)})
    w0 = time.perf_counter()
    again = build_demo(ctx, n_tracks=args.tracks, seconds=args.seconds,
                                audio_model=args.audio_model, train_steps=args.train_steps)
    reuse = time.perf_counter() - w0

    print(f"demo: {rep.n_tracks} tracks x ~{rep.seconds_per_track:g} s, {rep.n_playlists} playlists "
          f"-> {data_dir}")
    print(f"{'stage':<10}{'wall s':>9}{'CPU s':>9}  details")
    for row in rows:
        info = details[row["stage"]]
        shown = ", ".join(f"{k}={v}" for k, v in info.items()
                          if k not in ("seconds", "model_version", "reason", "metrics")
                          and not isinstance(v, (dict, list)))
        print(f"{row['stage']:<10}{row['wall_s']:>9.1f}{row['cpu_s']:>9.1f}  {shown}")
    print(f"{'total':<10}{total_wall:>9.1f}{total_cpu:>9.1f}")
    print(f"{'reuse':<10}{reuse:>9.2f}{'':>9}  reused={again.reused} complete={again.complete}")

    out = REPO / "bench" / "results" / "demo_pipeline.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "tracks": rep.n_tracks, "seconds_per_track": rep.seconds_per_track,
        "playlists": rep.n_playlists, "stages": rows, "details": details,
        "total_wall_s": round(total_wall, 2), "total_cpu_s": round(total_cpu, 2),
        "reuse_s": round(reuse, 3), "complete": again.complete,
    }, indent=1, default=str))
    print(f"wrote {out}")
    if not args.keep:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
