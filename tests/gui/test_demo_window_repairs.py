"""The window on a demo whose library database was moved aside (its own advice for a damaged
one) builds it again; a demo whose music folder cannot be read is one error line, no
traceback."""

from __future__ import annotations

import errno
from pathlib import Path

from PySide6.QtCore import Qt

from gui_support import settle
from musicsage.demo import guards
from musicsage.demo.state import read_state
from musicsage.library.db import close_thread_connections
from musicsage.usecases.demo import build_demo, demo_status

TINY = dict(seconds=1.0, audio_model="spectral", train_steps=20, workers=1)


def test_a_demo_whose_database_was_moved_aside_is_built_again(qtbot, make_window, ctx,
                                                               tmp_path):
    build_demo(ctx, n_tracks=8, **TINY)
    close_thread_connections()
    for name in ("library.sqlite3", "library.sqlite3-wal", "library.sqlite3-shm"):
        if (ctx.data_dir / name).exists():
            (ctx.data_dir / name).rename(tmp_path / name)
    w = make_window(ctx, demo_ctx=lambda: ctx, demo_options=TINY)
    qtbot.mouseClick(w.welcome.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not w.app.demo.is_reading)  # the read before the switch: a worker's
    assert w.app.demo.task is not None, w.app.notifications  # not "already shown"
    qtbot.waitUntil(lambda: w.app.demo.task is None, timeout=300_000)
    settle(qtbot, w, timeout=300_000)
    w.grab().save(str(tmp_path / "rebuilt.png"))
    assert "Demo library ready" in w.app.notifications[-1][1]
    assert w.stack.currentWidget() is w.main_page and len(w.map.track_ids) == 8
    assert demo_status(ctx).state == "ready"


def test_an_unreadable_demo_music_folder_is_one_error_line(qtbot, make_window, ctx,
                                                            monkeypatch, tmp_path):
    build_demo(ctx, n_tracks=8, **TINY)
    music = Path(read_state(ctx.data_dir).music_dir)
    w = make_window(ctx, demo_ctx=lambda: ctx, demo_options=TINY)
    # as a user who cannot read it (chmod a-r): no manifest to read, no listing
    monkeypatch.setattr(guards, "read_manifest", lambda _m: None)
    real = Path.iterdir

    def iterdir(self):
        if self == music:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    w.app.demo.open()  # File ▸ Open demo library
    qtbot.waitUntil(lambda: not w.app.demo.is_reading)  # the read before the switch: a worker's
    assert w.app.demo.task is None and not w.app.demo.building
    assert w.app.notifications[-1] == (
        "error", f"Cannot open the demo library: cannot read the demo's music folder {music} "
                 "(Permission denied): make it readable, then try again")
    w.grab().save(str(tmp_path / "unreadable.png"))
