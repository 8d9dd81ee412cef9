"""The demo build with the training dock closed: the status line draws the build's bar, and
a count standing at its end while the stage goes on uncounted (the graph model's map: its
neighbours all found, then UMAP) is drawn busy there, as on the welcome card — not as a full
bar that looks hung."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer

from gui_support import settle

SMALL_DEMO = {"n_tracks": 72, "seconds": 1.0, "audio_model": "spectral", "train_steps": 30}


def test_the_status_line_bar_never_stands_full_while_the_build_goes_on(qtbot, make_window, ctx):
    w = make_window(ctx, demo_ctx=lambda: ctx, demo_options=SMALL_DEMO)
    bar, drawn = w.status_line.progress, []

    def sample() -> None:
        if w.training.isVisible():
            w.training.close()  # the user closed the dock: the status line draws the bar
        if w.app.demo.task is not None and bar.isVisible():
            drawn.append((w.status_line.task.text(), bar.value(), bar.maximum()))

    timer = QTimer()
    timer.timeout.connect(sample)
    timer.start(10)
    qtbot.mouseClick(w.welcome.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not w.app.demo.is_reading)  # the read before the switch: a worker's
    qtbot.waitUntil(lambda: w.app.demo.task is None, timeout=300_000)
    timer.stop()
    settle(qtbot, w, timeout=300_000)
    assert "Demo library ready" in w.app.notifications[-1][1]
    assert any(text.startswith("Drawing the graph model's map (6/6)") for text, *_ in drawn), \
        "the status line drew the last stage's bar"
    full = {(text, value, top) for text, value, top in drawn if top > 0 and value >= top}
    assert not full, "a full bar while the build goes on"
