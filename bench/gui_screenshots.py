"""Render the README screenshots: welcome view, map + both neighbour lists, training dock,
suggestions for a playlist, the radio queue, a "why" tooltip, and new music placed by the
saved graph model without retraining.

    .venv/bin/python bench/gui_screenshots.py [--demo-dir DIR] [--select QUERY] [--out resources/screenshots]

Needs a built demo library (``main.py --demo`` or ``musicsage demo`` builds it; default: the
one ``main.py --demo`` uses). The first two images go through ``main.py --screenshot`` itself;
the training dock is captured after a real Retrain on a *copy* of the demo library (the demo's
own model is left alone); the suggestions, queue and "why" images come from a window on the
demo that only reads it (nothing is added to a playlist); the new-music image comes from
another copy (some tracks held back from a retrain, then embedded again). A tooltip is a window of its own, so
the "why" image paints the tooltip onto the window's image where it shows. Runs offscreen.
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


def wait_until(app, cond, *, timeout: float) -> None:
    """Run the event loop until ``cond()`` (TimeoutError after ``timeout`` seconds)."""
    t0 = time.monotonic()
    while not cond():
        app.processEvents()
        time.sleep(0.01)
        if time.monotonic() - t0 > timeout:
            raise TimeoutError


def training_dock(demo_dir: Path, png: Path, steps: int, settings_dir: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from musicsage.context import AppContext
    from musicsage.gui.main_window import MainWindow
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

        def wait(cond):
            wait_until(app, cond, timeout=1800)

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


def quiet_window(ctx, settings: Path, size: tuple[int, int], *, timeout: float):
    """A shown window on ``ctx`` that plays nothing and saves no settings, once the library
    is loaded: (window, ``wait(cond)``, ``idle()``)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from musicsage.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    w = MainWindow(ctx, settings=QSettings(str(settings), QSettings.Format.IniFormat),
                   stream_factory=SilentStream, show_dialogs=False)
    w.persist_settings = False
    w.resize(*size)
    w.show()

    def wait(cond):
        wait_until(app, cond, timeout=timeout)
        for _ in range(20):
            app.processEvents()

    def idle() -> bool:
        return w.app.library.snapshot is not None and not w.workers.busy

    wait(idle)
    return w, wait, idle


def new_music_shot(demo_dir: Path, png: Path, settings_dir: Path, *, steps: int = 200,
                   new: int = 3) -> None:
    """new_music.png: tracks the graph model never saw, with graph neighbours at once.

    On a *copy* of the demo: ``new`` members of its largest playlist lose their audio vectors,
    the graph model is retrained without them (``steps``), then ``embed`` analyses them again —
    as it would new music — and the saved model embeds them without retraining. The window
    selects one: its graph neighbours, the map, and the training dock (its evaluation table
    and the line saying how many tracks the model placed without having seen them)."""
    from musicsage.context import AppContext
    from musicsage.library.db import connect, transaction
    from musicsage.library.queries import delete_embeddings
    from musicsage.usecases.embedding import current_audio_model_id, embed_library
    from musicsage.usecases.library import list_playlists, playlist_track_ids
    from musicsage.audio.threads import torch_threads as _torch_threads
    from musicsage.usecases.training import train_graph

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "demo"
        shutil.copytree(demo_dir, copy)
        ctx = AppContext.create(copy)
        family = (current_audio_model_id(ctx) or "musicnn").split("-")[0]
        with _torch_threads(1):  # vectors of an older audio front end are redone first
            embed_library(ctx, family)
        biggest = max(list_playlists(ctx), key=lambda p: len(playlist_track_ids(ctx, p.id)))
        held = playlist_track_ids(ctx, biggest.id)[:new]
        conn = connect(ctx)
        with transaction(conn):
            for track_id in held:
                delete_embeddings(conn, track_id)
        with _torch_threads(1):
            train_graph(ctx, max_steps=steps)
            report = embed_library(ctx, family)
        print(f"new music: {report.embedded} tracks analysed, graph: {report.graph.as_dict()}")
        w, wait, idle = quiet_window(ctx, settings_dir / "new.ini", (1400, 980), timeout=900)
        w.show_training_dock()
        w.app.selection.select(held[0], play=False, center=True)
        wait(lambda: w.app.selection.result is not None and idle())
        w.grab().save(str(png))
        print(f"screenshot saved to {png}")
        w.close()


class SilentStream:
    """An output stream that plays nothing (the player bar shows what is playing)."""

    def __init__(self, *_args) -> None:
        pass

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


def explore_shots(demo_dir: Path, out: Path, settings_dir: Path, select: str, *,
                  tags: bool = True) -> None:
    """suggestions.png, radio.png and why.png from one window on the demo library."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication, QToolTip

    from musicsage.context import AppContext
    from musicsage.gui.app import first_match

    ctx = AppContext.create(demo_dir)
    if tags:  # what `musicsage tags --library` does: "why" can then name shared tags
        from musicsage.usecases.tags import tag_library

        print(f"tagging the demo's tracks (kept in its cache): {tag_library(ctx).as_dict()}")
    w, wait, idle = quiet_window(ctx, settings_dir / "explore.ini", (1400, 860), timeout=600)
    # 1. suggestions for a playlist, two of them chosen
    names = [w.library.playlists.item(i).text() for i in range(w.library.playlists.count())]
    row = next((i for i, n in enumerate(names) if n.startswith("Late Night Drive")), 0)
    w.library.playlists.setCurrentRow(row)
    wait(lambda: w.app.suggestions.result is not None and idle())
    chosen = w.suggestions.graph_list
    chosen.setCurrentItem(chosen.topLevelItem(2))  # its "why" shows under the lists
    for r in (0, 2):
        chosen.topLevelItem(r).setSelected(True)
    wait(idle)
    w.grab().save(str(out / "suggestions.png"))
    print(f"screenshot saved to {out / 'suggestions.png'}")
    # 2. the radio queue after "Play similar"
    w.library.playlists.clearSelection()
    track = first_match(ctx, select)
    w.app.selection.select(track, play=False, center=True)
    wait(lambda: w.app.selection.result is not None and idle())
    w.neighbours.play_similar_button.click()
    wait(lambda: len(w.app.queue.tracks) > 1 and idle())
    w.app.queue.next()
    wait(idle)
    w.grab().save(str(out / "radio.png"))
    print(f"screenshot saved to {out / 'radio.png'}")
    # 3. why: the tooltip of a graph neighbour that audio alone ranks low
    w.right.setCurrentIndex(0)
    wait(idle)
    lst = w.neighbours.graph_list
    rows = w.app.selection.result.graph
    pick = max(range(len(rows)), key=lambda i: (rows[i]["why"]["ranks"].get("audio") or 0)
               + 50 * len(rows[i]["why"]["playlists"]))
    item = lst.topLevelItem(pick)
    lst.setCurrentItem(item)
    rect = lst.visualItemRect(item)
    QToolTip.showText(lst.viewport().mapToGlobal(rect.center()), item.toolTip(1), lst.viewport())
    wait(lambda: True)
    image = w.grab()
    tips = [t for t in QApplication.topLevelWidgets() if t.inherits("QTipLabel") and t.isVisible()]
    if tips:  # where the tooltip shows on a real screen: under the row, inside the window
        tip = tips[0].grab()
        below = lst.viewport().mapTo(w, rect.bottomLeft()) + QPoint(40, 14)
        x = min(below.x(), w.width() - tip.width() - 8)
        painter = QPainter(image)
        painter.drawPixmap(QPoint(x, below.y()), tip)
        painter.end()
    image.save(str(out / "why.png"))
    print(f"screenshot saved to {out / 'why.png'} (tooltip {'painted' if tips else 'missing'})")
    w.close()


def require_finished_demo(demo: str | os.PathLike, demo_status):
    """The context of the finished demo at ``demo`` (its folder or its library.sqlite3),
    refused in one line, before anything is written, when there is none: ``AppContext.create``
    on a mistyped path made an empty library there. A path that is a file, or a damaged
    database, is refused with that reason (it was reported as no demo at all, and a new demo
    there would not help). The caller uses the context's ``data_dir``: the database's own path,
    passed on as a data dir, was refused with a traceback after ``--out`` was made."""
    from bench_files import given_path, open_existing_library
    from musicsage.context import DB_FILENAME

    demo = given_path(demo, option="--demo-dir")
    no_demo = (f"no finished demo library in {demo}: build one with "
               "`musicsage --data-dir DIR demo` and pass --demo-dir DIR")
    database = demo if demo.name == DB_FILENAME else demo / DB_FILENAME
    if not demo.is_file() and not (database.exists() or database.is_symlink()):
        raise SystemExit(no_demo)
    ctx = open_existing_library(demo, option="--demo-dir", need_tracks=False)
    if demo_status(ctx).state != "ready":
        raise SystemExit(no_demo)
    return ctx


def main(argv: list[str] | None = None) -> int:
    from musicsage.usecases.demo import demo_data_dir, demo_status
    from musicsage.usecases.library import list_tracks

    ap = argparse.ArgumentParser()
    ap.add_argument("--demo-dir", default=str(demo_data_dir()))
    ap.add_argument("--select", default=None, help="track to select (default: the first track)")
    ap.add_argument("--out", default=str(ROOT / "resources" / "screenshots"))
    ap.add_argument("--steps", type=int, default=1000, help="training steps for the dock shot")
    ap.add_argument("--only", default=None,
                    help="comma list of: main, explore, training, newmusic")
    ap.add_argument("--no-tags", action="store_true",
                    help="do not tag the demo's tracks first (the why tooltip then has no tags)")
    args = ap.parse_args(argv)
    ctx = require_finished_demo(args.demo_dir, demo_status)
    demo = ctx.data_dir  # the folder, also when --demo-dir named its library.sqlite3
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    only = (set(args.only.split(",")) if args.only
            else {"main", "explore", "training", "newmusic"})
    select = args.select
    if select is None:
        select = str(list_tracks(ctx)[0].id)
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, XDG_CONFIG_HOME=str(Path(tmp) / "config"))
        if "main" in only:
            empty = Path(tmp) / "empty"
            main_py("--data-dir", str(empty), "--screenshot", str(out / "welcome.png"),
                    "--size", "1400x860", env=env)
            main_py("--data-dir", str(demo), "--select", select, "--screenshot",
                    str(out / "map.png"), "--size", "1400x860", env=env)
        if "explore" in only:
            explore_shots(demo, out, Path(tmp), select, tags=not args.no_tags)
        if "training" in only:
            training_dock(demo, out / "training.png", args.steps, Path(tmp))
        if "newmusic" in only:
            new_music_shot(demo, out / "new_music.png", Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
