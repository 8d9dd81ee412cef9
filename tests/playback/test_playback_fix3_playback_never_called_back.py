"""A device that accepts start() but never calls the stream back (a suspended sink, a
Bluetooth transport gone: nothing is pulled) left the player "playing" at 0:00 in silence for
ever: the stall watch waits for a first pull, and the wait shown while start() lags ended
once start() returned. The bar now says it waits for the sound device there too."""

from __future__ import annotations

import numpy as np
import soundfile as sf
from playback_support import Output, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.playback import PlaybackEngine, claims

RATE = 8000


def test_a_started_stream_never_pulled_is_a_wait_for_the_device(tmp_path, monkeypatch,
                                                               quick_worker):
    monkeypatch.setattr(claims, "STALL_SECONDS", 0.3)
    path = tmp_path / "a.wav"
    sf.write(str(path), np.zeros(10 * RATE, np.float32), RATE)
    out = Output()  # its cards start, and are pulled only by hand
    eng = PlaybackEngine(stream_factory=out)
    try:
        eng.load(path, autoplay=True)
        wait_for(lambda: eng.state == "playing" and out.cards and out.cards[0].active)
        wait_for(lambda: eng.device_waiting, 5)  # it stayed False: "playing" at 0:00
        out.cards[0].pull()  # the device pulls sound: playing
        assert not eng.device_waiting
    finally:
        eng.close()
