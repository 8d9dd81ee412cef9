"""A Retrain goes on while another library is shown (File ▸ Open demo library): the status line
names the library it trains, with its Cancel, and its end is said as that library's — the
dock no longer says "Training finished: the new model is in use" of a library without one."""

from __future__ import annotations

import os

from gui_support import settle
from music_support import make_music
from PySide6.QtCore import Qt


def test_a_retrain_of_the_library_left_is_named_and_ends_there(qtbot, make_window, library,
                                                               slow_runs, tmp_path):
    from musicsage.context import AppContext
    from musicsage.usecases.library import scan_library

    other = AppContext.create(tmp_path / "other-data")
    music, _, _ = make_music(tmp_path / "other", n_tracks=3, seconds=1.0, seed=7)
    scan_library(other, [str(music)], [])
    w = make_window(library)
    line, panel = w.status_line, w.training.panel
    w.app.training.start()
    w.training.hide()  # the status line draws the run's bar and Cancel then
    w.app.set_context(other)
    w.app.library.reload()
    qtbot.waitUntil(lambda: w.app.library.snapshot is not None, timeout=60_000)
    qtbot.waitUntil(line.cancel.isVisible)
    assert line.task.text() == "Training (your library, not the one shown)…"
    if os.environ.get("SWITCH3_PNG"):
        w.grab().save(os.path.join(os.environ["SWITCH3_PNG"], "running.png"))

    with qtbot.waitSignal(w.training_finished, timeout=30_000) as done:
        qtbot.mouseClick(line.cancel, Qt.MouseButton.LeftButton)
    settle(qtbot, w)
    assert done.args == ["cancelled"]
    said = f"Training cancelled (library {library.data_dir}, not the one shown)"
    assert panel.status.text().startswith(said)
    assert w.statusBar().currentMessage().startswith(said)
    assert w.app.ctx == other and w.app.library.snapshot.stats.tracks.total == 3
    if os.environ.get("SWITCH3_PNG"):
        w.training.show()
        settle(qtbot, w)
        w.grab().save(os.path.join(os.environ["SWITCH3_PNG"], "ended.png"))
