"""First launch: the welcome view opens the demo library, built in the background."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui_support import settle
from musicsage.usecases.demo import demo_status

# 1-s tracks, the shortest a demo makes (rendering 72 of 3 s took a quarter of the test): it
# checks the window's way through the build, not the music. Training keeps 30 steps, time
# in which the audio map is on screen before the build ends.
SMALL_DEMO = {"n_tracks": 72, "seconds": 1.0, "audio_model": "spectral", "train_steps": 30}


def test_open_demo_library_from_the_welcome_view(qtbot, make_window, ctx):
    w = make_window(ctx, demo_ctx=lambda: ctx, demo_options=SMALL_DEMO)
    assert w.stack.currentWidget() is w.welcome
    stages = []
    qtbot.mouseClick(w.welcome.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not w.app.demo.is_reading)  # the read before the switch: a worker's
    job = w.app.demo.task
    assert job is not None
    job.progressed.connect(lambda p: stages.append(p.stage))
    assert w.welcome.busy_box.isVisibleTo(w.welcome)
    # while the graph model trains, the audio map is already on screen
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.main_page and len(w.map.track_ids) == 72,
                    timeout=300_000)
    assert w.app.demo.task is not None, "the map should show before the demo build ends"
    qtbot.waitUntil(lambda: w.app.demo.task is None, timeout=300_000)
    settle(qtbot, w, timeout=300_000)
    assert {"generate", "scan", "embed"} <= set(stages)
    assert "Demo library ready" in w.app.notifications[-1][1]
    assert w.app.library.snapshot.graph_model is not None
    assert w.training.panel.losses, "the demo's training was shown live in the dock"
    assert w.app.map.space == "graph" and len(w.map.track_ids) == 72
    assert demo_status(ctx).state == "ready"
    assert len(w.app.library.snapshot.playlists) > 0
