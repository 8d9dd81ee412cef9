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
from musicsage.demo.state import read_state

# 400 steps: the build is still training when the window has drawn its first step
TRAINING_DEMO = {"n_tracks": 24, "seconds": 1.0, "audio_model": "spectral", "train_steps": 400,
                 "workers": 1}
STOPPED = "The demo build stopped: "
"""How the status line's error begins: the build's failure follows, then the way on."""


def failure_line(w) -> tuple[str, str]:
    """The status line's one error for the failed build (one cause, one line and one dialog:
    the task's own "Building the demo library: …" line is not said besides)."""
    errors = [n for n in w.app.notifications if n[0] == "error"]
    assert len(errors) == 1, errors
    return errors[0]


def reason_of(line: str) -> str:
    """What stopped the build, as the line says it (without the failure's own "try again":
    the line's way on is how to try again)."""
    assert line.startswith(STOPPED) and "try again" not in line, line
    return line.removeprefix(STOPPED).split(". ")[0]


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
    kind, line = failure_line(w)
    assert kind == "error" and line.startswith(STOPPED + "the background process "), line
    assert steps_shown, "the dock showed the training before the build was killed"
    assert not panel.cancel_button.isVisibleTo(panel), "Cancel on a training that has ended"
    assert panel.status.text().startswith("Training failed: " + reason_of(line))


def test_a_build_killed_before_its_map_says_on_the_card_how_opening_goes_on(
        qtbot, make_window, ctx, tmp_path):
    demo = AppContext.create(tmp_path / "demo")
    w = make_window(ctx, demo_ctx=lambda: demo, demo_options=TRAINING_DEMO)
    w.app.demo.progress.connect(lambda _p: kill_the_build())
    qtbot.mouseClick(w.welcome.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.app.demo.task is None, timeout=300_000)
    settle(qtbot, w, timeout=120_000)
    kind, line = failure_line(w)
    assert kind == "error" and line.startswith(STOPPED + "the background process "), line
    assert w.stack.currentWidget() is w.welcome
    card = w.welcome
    assert card.stopped.isVisibleTo(card), "the card says what became of the build"
    # killed at its first report: before it recorded its state (opening starts it again),
    # or in its first stage (opening resumes it)
    said, stopped = card.stopped.text(), f"{STOPPED}{reason_of(line)}."
    assert said in (f"{stopped} Open demo library starts it again.",
                    f"{stopped} Open demo library resumes it."), said
    assert ("resumes it" in said) == (read_state(demo.data_dir) is not None), \
        "a resume promised only for a build that recorded what it resumes"
    assert card.demo_button.isEnabled()
    qtbot.mouseClick(card.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not w.app.demo.is_reading)  # the read before the switch: a worker's
    assert not card.stopped.isVisibleTo(card), "a build resumed: its words go"
    w.app.tasks.cancel()
    qtbot.waitUntil(lambda: w.app.demo.task is None, timeout=300_000)
