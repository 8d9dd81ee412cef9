"""A demo build that fails while its graph model trains (its process killed: out of memory,
a full disk) ends the training the dock shows: the dock stood at its last step, its bar and
Cancel on, as if the model were still training."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal

from PySide6.QtCore import Qt

from gui_support import settle
from musicsage.context import AppContext

# 400 steps: the build is still training when the window has drawn its first step
TRAINING_DEMO = {"n_tracks": 24, "seconds": 1.0, "audio_model": "spectral", "train_steps": 400,
                 "workers": 1}


def kill_the_build() -> None:
    """Kill the demo build's process, as the kernel's out-of-memory killer does."""
    for child in mp.active_children():
        if child.name == "musicsage-build_demo":
            os.kill(child.pid, signal.SIGKILL)


def test_a_build_killed_while_training_ends_the_docks_training(qtbot, make_window, ctx,
                                                                 tmp_path):
    demo = AppContext.create(tmp_path / "demo")
    w = make_window(ctx, demo_ctx=lambda: demo, demo_options=TRAINING_DEMO)
    steps_shown = []
    w.app.training.progress.connect(lambda batch: (steps_shown.extend(batch), kill_the_build()))
    qtbot.mouseClick(w.welcome.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.app.demo.task is None, timeout=300_000)
    settle(qtbot, w, timeout=120_000)
    panel = w.training.panel
    assert w.app.notifications[-1][0] == "error", w.app.notifications
    assert "stopped unexpectedly" in w.app.notifications[-1][1]
    assert steps_shown, "the dock showed the training before the build was killed"
    assert not panel.cancel_button.isVisibleTo(panel), "Cancel on a training that has ended"
    assert panel.status.text().startswith("Training failed: the background process stopped")
