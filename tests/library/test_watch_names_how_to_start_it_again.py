"""A folder past the inotify limit is never watched later (watchdog does not try it again):
the line says how to start the watch again in the caller's own words. The window said
"restart musicsage", where turning its setting off and on does it; the words were set by
each caller inside its ``on_ready``, a step every new caller could forget."""

from __future__ import annotations

import threading
import time

import pytest
from library_audio import write_audio
from watch_support import refuse_watches_of

from musicsage.progress import CancelToken
from musicsage.usecases.library import scan_library
from musicsage.usecases.watch import watch_for_window

TIMEOUT = 60.0


@pytest.fixture
def refuse_full(monkeypatch):
    """The kernel refuses a watch for any folder named "Full…" (as past max_user_watches)."""
    refuse_watches_of(monkeypatch, b"/Full")


def test_the_window_says_to_turn_its_watch_setting_off_and_on(ctx, tmp_path, refuse_full):
    music = tmp_path / "music"
    write_audio(music / "seed.wav", seconds=0.2, freq=200.0)
    scan_library(ctx, [str(music)])
    said, cancel = [], CancelToken()

    def progress(p) -> None:
        if p.stage == "watch" and p.extra.get("event") in ("ready", "folders"):
            said.append(list(p.extra["not_watched"]))

    thread = threading.Thread(target=lambda: watch_for_window(
        ctx, progress=progress, cancel=cancel), daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and not said:
            time.sleep(0.1)
        (music / "Full").mkdir()
        while time.monotonic() < deadline and not said[-1]:
            time.sleep(0.1)
    finally:
        cancel.cancel()
        thread.join(TIMEOUT)
    [(folder, why)] = said[-1]
    assert folder == str(music / "Full")
    assert why.endswith('then turn "Watch folders for changes" off and on')


def test_the_words_are_those_of_the_menu_item():
    import musicsage.gui.window_actions as actions
    from musicsage.usecases.watch import WINDOW_RESTART_ADVICE

    source = open(actions.__file__, encoding="utf-8").read()
    assert '"Watch folders for changes"' in WINDOW_RESTART_ADVICE
    assert 'QAction("Watch folders for changes"' in source
