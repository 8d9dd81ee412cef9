"""Time from launching ``python main.py`` to the window being shown (target ≤ 2 s).

    .venv/bin/python bench/gui_startup.py [--repeats 5]

Each run starts a fresh interpreter with MUSICSAGE_STARTUP_PROBE=1: the app prints the wall
clock once its first event-loop turn after ``show()`` has run (the window is mapped and
painted) and exits. Measured for an empty library (welcome view) and a scanned, embedded one
(main view; the map itself is then computed by a worker after the window is up). Also
reports whether torch/dgl/umap were imported before the window appeared (they must not be).
Runs offscreen unless QT_QPA_PLATFORM is set. Writes bench/results/gui_startup.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_library(root: Path) -> Path:
    """A small scanned + embedded library, made through the real use cases."""
    import numpy as np
    import soundfile as sf

    sys.path.insert(0, str(ROOT))
    from musicsage.context import AppContext
    from musicsage.usecases.embedding import embed_library
    from musicsage.usecases.library import scan_library

    music = root / "music"
    music.mkdir(parents=True)
    sr = 16000
    for i in range(12):
        t = np.arange(sr) / sr
        sf.write(str(music / f"{i:02d}.flac"), (0.3 * np.sin(2 * np.pi * (110 + 40 * i) * t)).astype("float32"), sr)
    ctx = AppContext.create(root / "data")
    scan_library(ctx, [str(music)])
    embed_library(ctx, "spectral")
    return ctx.data_dir


def launch(data_dir: Path, settings_home: Path) -> tuple[float, str, dict]:
    env = dict(os.environ, MUSICSAGE_STARTUP_PROBE="1", XDG_CONFIG_HOME=str(settings_home))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    t0 = time.time()
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir)],
                         env=env, capture_output=True, text=True, timeout=120)
    for line in out.stdout.splitlines():
        if line.startswith("window-shown"):
            _tag, shown, heavy, *marks = line.split()
            m = {k: float(v) for k, v in (x.split("=") for x in marks)}
            phases = {"interpreter_s": m["main"] - t0, "imports_s": m["imports"] - m["main"],
                      "build_window_s": m["built"] - m["imports"], "show_s": m["shown"] - m["built"]}
            return float(shown) - t0, heavy.split("=", 1)[1], phases
    raise RuntimeError(f"no probe line; stderr:\n{out.stderr[-2000:]}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    res: dict = {"repeats": args.repeats, "loadavg_1min": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        empty = tmp / "empty"
        empty.mkdir()
        full = make_library(tmp / "lib")
        for name, d in (("empty_library", empty), ("embedded_library", full)):
            launch(d, tmp / "config")  # warm the OS file cache once
            times, heavy, phases = [], set(), []
            for _ in range(args.repeats):
                t, h, ph = launch(d, tmp / "config")
                times.append(t)
                heavy.add(h)
                phases.append(ph)
            res[name] = {"median_s": statistics.median(times), "max_s": max(times),
                         "runs_s": [round(t, 3) for t in times], "heavy_imported": sorted(heavy),
                         "phases_median_s": {k: round(statistics.median(p[k] for p in phases), 3)
                                             for k in phases[0]}}
    print(f"window visible after launch (median of {args.repeats}, target <= 2 s; "
          f"load average {res['loadavg_1min']:.1f} on {os.cpu_count()} cores)")
    for name in ("empty_library", "embedded_library"):
        r = res[name]
        print(f"  {name:18s} median {r['median_s']:.2f} s  max {r['max_s']:.2f} s  "
              f"heavy modules before show: {','.join(r['heavy_imported'])}")
        print("    phases (median): " + ", ".join(f"{k} {v:.2f}" for k, v in r["phases_median_s"].items()))
    out = ROOT / "bench" / "results" / "gui_startup.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
