"""Next pressed while the sound device takes a few seconds to start (a Bluetooth headset
waking up: ``START_SECONDS`` allows 10 s). The next track's start waited for that start only
``CONTROL_WAIT_SECONDS`` (3 s), then said "cannot start the audio output (the sound device does
not answer)" and a queue stopped, though the device answered a second later. It now waits the
slow start out and plays."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
import soundfile as sf
from playback_support import Card, Output, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.playback import PlaybackEngine, claims

RATE = 8000
WAKE_SECONDS = 4.0  # a working device, slower than the old 3 s wait, well within START_SECONDS


class SlowToStart(Card):
    """A card whose first start() takes ``WAKE_SECONDS``."""

    def start(self) -> None:
        time.sleep(WAKE_SECONDS)
        super().start()


class FirstIsSlow(Output):
    def __call__(self, samplerate, channels, callback) -> Card:
        kind = SlowToStart if not self.cards else Card
        self.cards.append(kind(samplerate, channels, callback))
        return self.cards[-1]


@pytest.mark.usefixtures("quick_worker")
def test_next_during_a_slow_start_plays_once_the_device_answers(tmp_path):
    assert WAKE_SECONDS < claims.START_SECONDS  # a slow start, not a hung one
    first, second = tmp_path / "a.wav", tmp_path / "b.wav"
    sf.write(str(first), np.zeros(5 * RATE, np.float32), RATE)
    ref = np.linspace(-0.5, 0.5, 5 * RATE, dtype=np.float32)
    sf.write(str(second), ref, RATE, subtype="FLOAT")
    output = FirstIsSlow()
    eng = PlaybackEngine(stream_factory=output)
    try:
        eng.load(first, autoplay=True)
        wait_for(lambda: eng.state == "playing")  # its start() is under way
        time.sleep(0.3)
        eng.load(second, autoplay=True)  # Next
        wait_for(lambda: eng.state == "error" or (
            len(output.cards) == 2 and output.cards[1].active), 3 * WAKE_SECONDS)
        assert eng.state == "playing", str(eng.error)  # was "the sound device does not answer"
        np.testing.assert_allclose(output.cards[1].pull(RATE)[:, 0], ref[:RATE], atol=1e-6)
    finally:
        eng.close()
    wait_for(lambda: all(card.closed for card in output.cards), 10)
