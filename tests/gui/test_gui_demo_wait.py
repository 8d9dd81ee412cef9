"""Two windows opening the demo of one library: the second says it waits, stays responsive,
then builds on what the first left."""

from __future__ import annotations

import fcntl
import os

from PySide6.QtCore import Qt

from musicsage.demo.guards import DEMO_LOCK_SUFFIX
from musicsage.library.lock import WAIT_WORDS
from musicsage.usecases.demo import demo_status

SMALLEST = {"n_tracks": 8, "seconds": 1.0, "audio_model": "spectral", "until": "generate"}


def test_a_window_waits_for_another_build_of_the_demo(qtbot, make_window, ctx):
    holder = os.open(f"{ctx.db_path}{DEMO_LOCK_SUFFIX}", os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another window (or a terminal) builds the demo
    try:
        w = make_window(ctx, demo_ctx=lambda: ctx, demo_options=SMALLEST)
        qtbot.mouseClick(w.welcome.demo_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: WAIT_WORDS in w.welcome.stage.text(), timeout=60_000)
        assert w.welcome.stage.text().startswith("Another demo build of this library is running")
        assert w.app.demo.task is not None and demo_status(ctx).state == "absent"
        shot = os.environ.get("DEMO_WAIT_PNG")
        if shot:
            w.grab().save(shot)
    finally:
        os.close(holder)  # the other build ends
    qtbot.waitUntil(lambda: w.app.demo.task is None, timeout=120_000)
    assert demo_status(ctx).stages_done == ["generate"]
