"""Once the window shows another library (File ▸ Open demo library, or back), the library it
left is let go: its worker threads' connections to it closed, so its -wal and -shm go, as they
go when the window closes. They stayed open until the window closed: an idle thread that had
read the library left kept it open for nothing. A scan of the library left, running at the
switch, goes on there and lets go of it when it ends; what it says names that library."""

from __future__ import annotations

import os
import threading
import time

from gui_support import settle
from music_support import make_music


def open_under(folder) -> list[str]:
    """This process's open files inside ``folder``."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(folder) + os.sep):
            found.append(os.path.basename(target))
    return sorted(found)


def test_the_library_left_is_let_go_once_its_scan_ended(qtbot, make_window, library,
                                                       tmp_path, monkeypatch):
    from musicsage.context import AppContext
    from musicsage.library.db import close_thread_connections
    from musicsage.usecases import pipeline
    from musicsage.usecases.execution import Mode, runs
    from musicsage.usecases.library import list_tracks, scan_library

    other = AppContext.create(tmp_path / "other-data")
    music, _, _ = make_music(tmp_path / "other", n_tracks=3, seconds=1.0, seed=7)
    scan_library(other, [str(music)], [])
    before = len(list_tracks(library))
    close_thread_connections()  # the test's own, from building both: only the window's count
    new, _, _ = make_music(tmp_path / "new", n_tracks=2, seconds=1.0, seed=9)
    go, real_scan = threading.Event(), pipeline.scan

    @runs(Mode.THREAD)
    def held_scan(*args, progress=None, cancel=None, **options):
        go.wait(60)
        return real_scan(*args, progress=progress, cancel=cancel, **options)

    monkeypatch.setattr(pipeline, "scan", held_scan)
    w = make_window(library)
    assert open_under(library.data_dir), "the library shown is open"
    w.app.library.scan([str(new)])
    assert w.app.set_context(other)
    w.app.library.reload()
    qtbot.waitUntil(lambda: w.app.library.snapshot is not None, timeout=60_000)
    go.set()
    settle(qtbot, w)

    assert len(w.app.library.snapshot.tracks) == 3, "the library shown gained nothing"
    assert len(list_tracks(library)) == before + 2, "the scan went on in the library left"
    close_thread_connections()  # (list_tracks opened one here)
    said = f"Scan finished (library {library.data_dir}, not the one shown): 2 new"
    assert ("info", said) in w.app.notifications
    deadline = time.monotonic() + 10
    while open_under(library.data_dir) and time.monotonic() < deadline:
        qtbot.wait(50)
    assert open_under(library.data_dir) == []
    left = sorted(os.listdir(library.data_dir))
    assert "library.sqlite3-wal" not in left and "library.sqlite3-shm" not in left
    assert open_under(other.data_dir), "the library shown is still read"
