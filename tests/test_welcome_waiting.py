"""A window that opens the demo while another build of it runs: the welcome card (and the
status line) say it waits, without the "(1/6)" of a stage none of its own has started."""

from __future__ import annotations

import fcntl
import gc
import os
import sys

import pytest
from PySide6.QtCore import QSettings, Qt

from musicsage.demo.guards import DEMO_LOCK_SUFFIX
from musicsage.library.lock import WAIT_WORDS
from musicsage.progress import Progress

SMALLEST = {"n_tracks": 8, "seconds": 1.0, "audio_model": "spectral", "until": "generate"}


@pytest.fixture(autouse=True)
def _restore_interpreter_tuning():
    """The window tunes process-wide knobs: put them back for the tests after this one."""
    interval, thresholds = sys.getswitchinterval(), gc.get_threshold()
    yield
    sys.setswitchinterval(interval)
    gc.set_threshold(*thresholds)
    gc.unfreeze()


def test_the_card_waits_for_another_build_without_claiming_a_stage(qtbot, ctx, tmp_path):
    from musicsage.gui.main_window import MainWindow

    holder = os.open(f"{ctx.db_path}{DEMO_LOCK_SUFFIX}", os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another window (or a terminal) builds the demo
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(ctx, settings=settings, show_dialogs=False, probe_audio=False,
                   demo_ctx=lambda: ctx, demo_options=SMALLEST)
    qtbot.addWidget(w)
    w.resize(1300, 800)
    w.show()
    try:
        qtbot.waitUntil(lambda: w.app.library.snapshot is not None, timeout=60_000)
        qtbot.mouseClick(w.welcome.demo_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: WAIT_WORDS in w.welcome.stage.text(), timeout=60_000)
        qtbot.waitUntil(lambda: "demo build" in w.status_line.task.text(), timeout=10_000)
        for line in (w.welcome.stage.text(), w.status_line.task.text()):
            assert line.startswith("Another demo build of this library is running"), line
            assert "/6)" not in line and "Composing" not in line, line
        w.grab().save(str(tmp_path / "waiting.png"))
    finally:
        os.close(holder)  # the other build ends: this one goes on
    qtbot.waitUntil(lambda: w.app.demo.task is None, timeout=120_000)
    w.close()


def test_a_stage_of_the_build_keeps_its_number():
    from musicsage.controllers.demo import unstaged

    extra = {"demo_label": "Listening to the tracks", "demo_index": 2, "demo_stages": 6}
    p = Progress("embed", 3, 8, "Listening to the tracks (3/6): 03 Song.flac", extra)
    assert unstaged(p) is p
