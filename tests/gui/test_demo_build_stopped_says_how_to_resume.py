"""A demo build that stops after its scan (its process killed: out of memory, a full disk)
leaves the window on the half-built demo library, not on the welcome card whose words say
how the build goes on: the status line said only "…: try again, or close other programs"
over a map that asked for Compute embeddings. Its line says what the card says — the
finished stages are kept — and where to resume the build from there: File ▸ Open demo
library, which does. It is the failure's one line, and its one error dialog: the task's own
"Building the demo library: …" came too, a second dialog of one cause, and the way on gave
two pieces of advice ("…; try again, or close other programs. Its finished stages are
kept: …")."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal

from PySide6.QtWidgets import QMessageBox

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


def error_dialogs(w) -> list[str]:
    """The texts of the error dialogs the window shows."""
    return [box.text() for box in w.findChildren(QMessageBox) if box.isVisible()]


def test_a_build_killed_after_its_scan_says_how_to_resume_it(qtbot, make_window, ctx,
                                                               tmp_path):
    demo = AppContext.create(tmp_path / "demo")
    w = make_window(ctx, demo_ctx=lambda: demo, demo_options=SMALL_DEMO)
    w.show_dialogs = True  # as the real window does
    killing = [True]
    # killed once the scan is recorded (the next stage has begun); under load the kill may
    # come a stage later: the build has stopped after its scan all the same
    w.app.demo.progress.connect(
        lambda p: p.stage == "embed" and killing[0] and kill_the_build())
    before = len(w.app.notifications)
    w.actions_.demo.trigger()
    qtbot.waitUntil(lambda: not w.app.demo.is_reading, timeout=60_000)
    qtbot.waitUntil(lambda: w.app.demo.task is None, timeout=300_000)
    settle(qtbot, w, timeout=120_000)
    status = demo_status(demo)
    assert status.stages_done[:2] == ["generate", "scan"] and status.state == "partial", \
        status.stages_done
    assert w.stack.currentWidget() is not w.welcome, "the half-built library is shown"
    errors = [n for n in w.app.notifications[before:] if n[0] == "error"]
    assert len(errors) == 1, errors
    _kind, line = errors[0]
    assert line.startswith("The demo build stopped: the background process "), line
    assert line.endswith(". Its finished stages are kept: File ▸ Open demo library resumes it.")
    assert "try again" not in line, "one piece of advice: how to resume"
    qtbot.wait(500)
    assert error_dialogs(w) == [line], "one dialog for one cause"

    for box in w.findChildren(QMessageBox):
        box.close()
    killing[0] = False
    w.actions_.demo.trigger()  # what the line sends the user to
    qtbot.waitUntil(lambda: not w.app.demo.is_reading, timeout=60_000)
    qtbot.waitUntil(lambda: w.app.demo.task is None, timeout=300_000)
    settle(qtbot, w, timeout=120_000)
    assert demo_status(demo).state == "ready"
    assert w.app.notifications[-1][1].startswith("Demo library ready")
