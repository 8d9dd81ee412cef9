"""A window that closes lets go of its library: SQLite removes the ``-wal`` and ``-shm``
files beside it when the last connection closes, and the window's change-stamp connection
(read-only, opened by the search spaces) stayed open until the process ended — so every
window left them behind, and a user told to go back to an older musicsage "with no
``library.sqlite3-wal`` left" had to run a command first. Switching library let go of none
of the library it left either (its search spaces were dropped, not closed)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from gui_support import settle

from musicsage.library.db import close_thread_connections


def left_beside(ctx) -> list[str]:
    """The -wal (unless empty) and -shm files beside the library."""
    wal, shm = Path(f"{ctx.db_path}-wal"), Path(f"{ctx.db_path}-shm")
    return ([wal.name] if wal.exists() and wal.stat().st_size else []) + \
        ([shm.name] if shm.exists() else [])


def open_window(qtbot, tmp_path, ctx):
    from PySide6.QtCore import QSettings

    from musicsage.gui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings=settings, show_dialogs=False, probe_audio=False)
    qtbot.addWidget(window)
    window.resize(1300, 800)
    window.show()
    settle(qtbot, window)
    return window


def select_a_track(qtbot, window) -> None:
    """What makes the window read the library on its threads: neighbour lists, the map."""
    track_id = sorted(window.app.library.snapshot.by_id)[3]
    with qtbot.waitSignal(window.neighbours_loaded, timeout=60_000):
        window.app.selection.select(track_id, play=False)
    settle(qtbot, window)


def test_a_closed_window_leaves_no_wal_nor_shm(qtbot, tmp_path, mapped_library):
    ctx = mapped_library
    close_thread_connections()  # the fixture's own connections (this thread's), not the window's
    window = open_window(qtbot, tmp_path, ctx)
    select_a_track(qtbot, window)
    assert window.neighbours.graph_list.track_ids() or window.neighbours.audio_list.track_ids()
    window.close()
    assert left_beside(ctx) == []
    with sqlite3.connect(ctx.db_path) as conn:  # the library opens whole
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM tracks").fetchone()[0] == 12
    close_thread_connections()


def test_a_window_that_showed_two_libraries_leaves_neither_a_wal(qtbot, tmp_path, mapped_library):
    from musicsage.context import AppContext

    ctx = mapped_library
    close_thread_connections()
    window = open_window(qtbot, tmp_path, ctx)
    select_a_track(qtbot, window)
    other = AppContext.create(tmp_path / "other")
    assert window.app.set_context(other)  # as File ▸ Open demo library does
    window.app.library.reload()
    settle(qtbot, window)
    window.close()
    assert left_beside(ctx) == [] and left_beside(other) == []


def test_a_screenshot_run_leaves_no_wal_nor_shm(tmp_path, mapped_library):
    """``main.py --select … --screenshot`` (docs, checks): the window closes itself."""
    import os
    import subprocess
    import sys

    ctx = mapped_library
    close_thread_connections()
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    png = tmp_path / "window.png"
    out = subprocess.run([sys.executable, str(root / "main.py"), "--data-dir", str(ctx.data_dir),
                          "--select", "1", "--screenshot", str(png), "--screenshot-timeout", "120"],
                         env=env, cwd=root, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert png.is_file()
    assert left_beside(ctx) == []
