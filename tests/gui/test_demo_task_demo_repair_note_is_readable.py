"""What a repair of the demo found and did ("1 file of the demo's music in … is missing:
rendering it again and scanning; graph model 1 stays current") is read on the status line,
as the command line prints it as a note. The window said it as an info line and said "Demo
library ready" at once after it: the note was replaced before it could be read, and the user
never learned that a file they deleted came back."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt

from musicsage.demo.library import MANIFEST
from musicsage.demo.state import read_state
from musicsage.library.db import close_thread_connections
from musicsage.usecases.demo import build_demo

TINY = dict(seconds=1.0, audio_model="spectral", train_steps=20, workers=1)


def test_the_note_of_a_repaired_demo_stays_on_the_status_line(qtbot, make_window, ctx):
    build_demo(ctx, n_tracks=8, **TINY)
    close_thread_connections()
    music = Path(read_state(ctx.data_dir).music_dir)
    first = json.loads((music / MANIFEST).read_text(encoding="utf-8"))["files"][0]
    music.joinpath(*first.split("/")).unlink()  # the user deleted a demo track
    w = make_window(ctx, demo_ctx=lambda: ctx, demo_options=TINY)
    qtbot.mouseClick(w.welcome.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not w.app.demo.is_reading)  # the read before the switch: a worker's
    assert w.app.demo.task is not None, w.app.notifications
    qtbot.waitUntil(lambda: w.app.demo.task is None, timeout=300_000)

    notes = [text for _level, text in w.app.notifications if "is missing" in text]
    assert notes, w.app.notifications
    assert "is missing" in w.statusBar().currentMessage(), "the note is on the line, readable"
    ready = "Demo library ready: click a point to hear it and its neighbours"
    qtbot.waitUntil(lambda: w.statusBar().currentMessage() == ready, timeout=15_000)
