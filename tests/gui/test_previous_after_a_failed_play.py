"""Previous late in a track restarts it; after the sound device was lost and a Play failed
(no output open), the restart was ignored: the track stayed at 0:20, and Play once the device
was back started it there, not from its start."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from gui_support import wait_for

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "playback"))
from playback_support import Output, quick_worker  # noqa: E402, F401 - a fixture

RATE = 8000
pytestmark = pytest.mark.usefixtures("quick_worker")


def test_previous_after_a_failed_play_restarts_the_track(qtbot, tmp_path):
    from musicsage.gui.player import PlayerBar

    path = tmp_path / "song.wav"
    noise = 0.1 * np.random.default_rng(1).standard_normal(60 * RATE)
    sf.write(str(path), noise.astype(np.float32), RATE)
    output = Output()
    bar = PlayerBar(stream_factory=output)
    qtbot.addWidget(bar)
    try:
        bar.play_track(1, str(path), "Song", "Artist")
        wait_for(lambda: bar.engine.state == "playing" and output.cards[0].active)
        bar.seek_seconds(20.0)
        output.missing, output.cards[0].active = True, False  # the device went away
        wait_for(lambda: bar.engine.state == "error")
        loads = bar.engine.generation
        bar.engine.play()  # still missing: fails again, no output open
        wait_for(lambda: bar.engine.generation > loads and bar.engine.state == "error")
        assert bar.engine.position_seconds == pytest.approx(20.0)
        bar.restart()  # Previous late in the queue's track
        assert bar.engine.position_seconds == 0.0
        output.missing = False
        bar.engine.play()
        wait_for(lambda: bar.engine.state == "playing" and output.cards[-1].active)
        assert bar.engine.position_seconds == pytest.approx(0.0, abs=0.1), "from its start"
    finally:
        bar.shutdown()
