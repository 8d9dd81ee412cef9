"""Pause pressed while a track still loads (a slow disk, a network share): the engine will not
start it, yet the button kept showing Pause — the press looked like it did nothing, and a
second press (on "Pause") started it again. The button shows what a press does next."""

from __future__ import annotations

import threading

import numpy as np
import soundfile as sf
from playback_support import Output, wait_for

from musicsage.playback import PlaybackEngine, default_decoder

RATE = 8000


def test_pause_while_loading_turns_the_button_to_play(qtbot, tmp_path):
    from musicsage.gui.player import PlayerBar

    opened = threading.Event()

    def slow_disk(path: str, start: int = 0):
        assert opened.wait(10)
        return default_decoder(path, start)

    output = Output()
    bar = PlayerBar(stream_factory=output)
    qtbot.addWidget(bar)
    bar.engine = PlaybackEngine(stream_factory=output, decoder=slow_disk)
    sf.write(str(tmp_path / "a.wav"), np.zeros(5 * RATE, np.float32), RATE)
    try:
        bar.play_track(1, str(tmp_path / "a.wav"), "A")
        assert bar.play_button.accessibleName() == "Pause", "it is going to play"
        bar.play_button.click()  # Pause, while it loads
        assert bar.engine.state == "loading"
        assert bar.play_button.accessibleName() == "Play", "it will not play now"
        bar.play_button.click()  # Play again
        assert bar.play_button.accessibleName() == "Pause"
        opened.set()
        wait_for(lambda: bar.engine.state == "playing")
        bar._poll()
        assert bar.play_button.accessibleName() == "Pause"
    finally:
        opened.set()
        bar.shutdown()
