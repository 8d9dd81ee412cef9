"""A demo build that stops after its scan (its process killed: out of memory, a full disk)
leaves the window on the half-built demo library, not on the welcome card whose words say
how the build goes on: the status line said only "…: try again, or close other programs"
over a map that asked for Compute embeddings. Its last line says what the card says — the
finished stages are kept — and where to resume the build from there: File ▸ Open demo
library, which does."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal

from gui_support import settle
from musicsage.context import AppContext
from musicsage.usecases.demo import demo_status

SMALL_DEMO = {"n_tracks": 12, "seconds": 1.0, "audio_model": "spectral", "train_steps": 20,
              "workers": 1}


def kill_the_build() -> None:
    """Kill the demo build's process, as the kernel's out-of-memory killer does."""
    for child in mp.active_children():
        if child.name == "musicsage-build_demo":
            os.kill(child.pid, signal.SIGKILL)


def test_a_build_killed_after_its_scan_says_how_to_resume_it(qtbot, make_window, ctx,
                                                               tmp_path):
    demo = AppContext.create(tmp_path / "demo")
    w = make_window(ctx, demo_ctx=lambda: demo, demo_options=SMALL_DEMO)
    killing = [True]
    w.app.demo.progress.connect(
        lambda p: p.stage == "embed" and killing[0] and kill_the_build())
    w.actions_.demo.trigger()
    qtbot.waitUntil(lambda: w.app.demo.task is None, timeout=300_000)
    settle(qtbot, w, timeout=120_000)
    assert demo_status(demo).stages_done == ["generate", "scan"]
    assert w.stack.currentWidget() is not w.welcome, "the half-built library is shown"
    kind, line = w.app.notifications[-1]
    assert kind == "error"
    assert line.startswith("The demo build stopped: the background process "), line
    assert line.endswith(". Its finished stages are kept: File ▸ Open demo library resumes it.")

    killing[0] = False
    w.actions_.demo.trigger()  # what the line sends the user to
    qtbot.waitUntil(lambda: w.app.demo.task is None, timeout=300_000)
    settle(qtbot, w, timeout=120_000)
    assert demo_status(demo).state == "ready"
    assert w.app.notifications[-1][1].startswith("Demo library ready")
