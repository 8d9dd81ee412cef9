"""Render the README screenshots (welcome view, map + both neighbour lists, training dock).

    .venv/bin/python bench/gui_screenshots.py [--demo-dir DIR] [--select QUERY] [--out resources/screenshots]

Needs a built demo library (``main.py --demo`` or ``musicsage demo`` builds it; default: the
one ``main.py --demo`` uses). The first two images go through ``main.py --screenshot`` itself;
the training dock is captured after a real Retrain on a *copy* of the demo library (the demo's
own model is left alone). Runs offscreen.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main_py(*args: str, env: dict) -> None:
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), *args], env=env,
                         capture_output=True, text=True, timeout=900)
    if out.returncode != 0:
        raise SystemExit(f"main.py {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    print(out.stdout.strip())


def training_dock(demo_dir: Path, png: Path, steps: int, settings_dir: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from musicsage.context import AppContext
    from musicsage.gui.main_window import MainWindow
    from musicsage.usecases.demo import demo_data_dir, demo_status
    from musicsage.usecases.library import list_tracks

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "demo"
        shutil.copytree(demo_dir, copy)
        ctx = AppContext.create(copy)
        app = QApplication.instance() or QApplication([])
        w = MainWindow(ctx, settings=QSettings(str(settings_dir / "dock.ini"), QSettings.Format.IniFormat),
                       probe_audio=True, show_dialogs=False,
                       train_options={"max_steps": steps})
        w.resize(1400, 980)
        w.show()

        def wait(cond, timeout=1800):
            t0 = time.monotonic()
            while not cond():
                app.processEvents()
                time.sleep(0.01)
                if time.monotonic() - t0 > timeout:
                    raise TimeoutError
        wait(lambda: w.app.library.snapshot is not None and not w.workers.busy)
        first = list_tracks(ctx)[0].id
        w.app.selection.select(first, play=False)
        wait(lambda: not w.workers.busy)
        finished = []
        w.training_finished.connect(finished.append)
        w.app.training.start()
        wait(lambda: bool(finished))
        wait(lambda: not w.workers.busy)
        app.processEvents()
        w.grab().save(str(png))
        print(f"screenshot saved to {png} ({finished[0]})")
        w.close()


def main() -> int:
    from musicsage.usecases.demo import demo_data_dir, demo_status
    from musicsage.usecases.library import list_tracks

    ap = argparse.ArgumentParser()
    ap.add_argument("--demo-dir", default=str(demo_data_dir()))
    ap.add_argument("--select", default=None, help="track to select (default: the first track)")
    ap.add_argument("--out", default=str(ROOT / "resources" / "screenshots"))
    ap.add_argument("--steps", type=int, default=1000, help="training steps for the dock shot")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    demo = Path(args.demo_dir)
    if demo_status(__import__("musicsage.context").context.AppContext.create(demo)).state != "ready":
        raise SystemExit(f"no finished demo library in {demo}: run main.py --demo first")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, XDG_CONFIG_HOME=str(Path(tmp) / "config"))
        empty = Path(tmp) / "empty"
        main_py("--data-dir", str(empty), "--screenshot", str(out / "welcome.png"), env=env)
        select = args.select
        if select is None:
            from musicsage.context import AppContext

            select = str(list_tracks(AppContext.create(demo))[0].id)
        main_py("--data-dir", str(demo), "--select", select, "--screenshot", str(out / "map.png"), env=env)
        training_dock(demo, out / "training.png", args.steps, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
