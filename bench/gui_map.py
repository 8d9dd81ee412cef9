"""Map fluidity at library scale: build, colour, repaint after pan/zoom, hover pick, select.

    .venv/bin/python bench/gui_map.py [--points 30000] [--repeats 15]

Runs offscreen (QT_QPA_PLATFORM=offscreen unless set). A frame is timed as
``plot.grab()`` after a view change, which renders the whole scene into a pixmap the way a
repaint does. Prints medians and writes bench/results/gui_map.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402


def clustered_points(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 6, (40, 2))
    which = rng.integers(0, 40, n)
    xy = centres[which] + rng.normal(0, 0.8, (n, 2))
    return xy.astype(np.float32), which % 15


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=30_000)
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()

    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QApplication

    from musicsage.controllers.colouring import categorical
    from musicsage.gui.map_view import Colouring, MapView

    app = QApplication.instance() or QApplication([])
    view = MapView()
    view.resize(1100, 800)
    view.show()
    app.processEvents()

    xy, cats = clustered_points(args.points)
    ids = np.arange(1, args.points + 1)
    titles = [f"Track {i} — Artist {i % 997}" for i in ids]
    codes, names = categorical([f"artist {c}" for c in cats])

    res: dict[str, float] = {"points": args.points}
    t0 = time.perf_counter()
    view.set_points(ids, xy, titles, Colouring(codes, names))
    app.processEvents()
    res["set_points_ms"] = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    view.plot.grab()
    res["first_frame_ms"] = (time.perf_counter() - t0) * 1000

    def frames(change) -> list[float]:
        out = []
        for i in range(args.repeats):
            change(i)
            app.processEvents()
            t = time.perf_counter()
            view.plot.grab()
            out.append((time.perf_counter() - t) * 1000)
        return out

    pan = frames(lambda i: view.view.translateBy(x=0.5 if i % 2 else -0.5))
    zoom = frames(lambda i: view.view.scaleBy((0.8, 0.8) if i % 2 else (1.25, 1.25)))
    res["pan_frame_ms_median"] = statistics.median(pan)
    res["zoom_frame_ms_median"] = statistics.median(zoom)
    res["zoom_frame_ms_max"] = max(zoom)

    rng = np.random.default_rng(1)
    picks = []
    for _ in range(200):
        x, y = rng.normal(0, 6, 2)
        t = time.perf_counter()
        view._pick(view.view.mapViewToScene(QPointF(float(x), float(y))))
        picks.append((time.perf_counter() - t) * 1000)
    res["hover_pick_ms_median"] = statistics.median(picks)

    sel = []
    for i in range(args.repeats):
        t = time.perf_counter()
        view.set_selection(int(ids[i * 7]), ids[i * 7 + 1:i * 7 + 11], ids[i * 7 + 5:i * 7 + 15])
        app.processEvents()
        view.plot.grab()
        sel.append((time.perf_counter() - t) * 1000)
    res["select_and_frame_ms_median"] = statistics.median(sel)

    recolour = []
    for i in range(3):
        c2, n2 = categorical([f"album {(c * 7 + i) % 30}" for c in cats])
        t = time.perf_counter()
        view.set_colouring(Colouring(c2, n2))
        app.processEvents()
        recolour.append((time.perf_counter() - t) * 1000)
    res["recolour_ms_median"] = statistics.median(recolour)

    print(f"map bench, {args.points} points, offscreen (medians of {args.repeats})")
    for k, v in res.items():
        print(f"  {k:28s} {v:10.2f}")
    out = Path(__file__).resolve().parent / "results" / "gui_map.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(res, indent=2))
    view.grab().save(str(out.with_suffix(".png")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
