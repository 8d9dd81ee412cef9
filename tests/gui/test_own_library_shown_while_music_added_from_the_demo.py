"""Adding music while the demo is shown switches to the user's own library and scans into it.
The window then said "Opening the library…", every library action off, for the whole scan
(minutes for a big folder): the own library was read only once the scan ended. It is now read
at once, and shown while the scan goes on."""

from __future__ import annotations

import threading

from gui_support import settle
from music_support import make_music


def test_the_own_library_is_shown_while_music_added_from_the_demo_is_scanned(
        qtbot, make_window, library, tmp_path, monkeypatch):
    from musicsage.context import AppContext
    from musicsage.usecases import pipeline
    from musicsage.usecases.execution import Mode, runs
    from musicsage.usecases.library import scan_library

    demo = AppContext.create(tmp_path / "demo-data")
    music, _, _ = make_music(tmp_path / "demo-music", n_tracks=3, seconds=1.0, seed=7)
    scan_library(demo, [str(music)], [])
    new, _, _ = make_music(tmp_path / "new", n_tracks=2, seconds=1.0, seed=9)
    go, real_scan = threading.Event(), pipeline.scan

    @runs(Mode.THREAD)
    def held_scan(*args, progress=None, cancel=None, **options):
        go.wait(60)
        return real_scan(*args, progress=progress, cancel=cancel, **options)

    monkeypatch.setattr(pipeline, "scan", held_scan)
    w = make_window(demo, home_ctx=library)
    try:
        assert w.app.demo.can_go_home
        w.app.library.scan([str(new)])
        assert w.app.ctx == library
        qtbot.waitUntil(lambda: w.app.library.snapshot is not None, timeout=30_000)
        assert w.app.page == "library" and len(w.app.library.snapshot.tracks) == 12
        assert w.stack.currentWidget() is not w.opening
    finally:
        go.set()
    settle(qtbot, w)
    qtbot.waitUntil(lambda: len(w.app.library.snapshot.tracks) == 14, timeout=30_000)
