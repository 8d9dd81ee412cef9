"""A sound device that stops answering just as a track ends: the stop at the end (which plays
out what is queued) never returns.

It was waited for while holding the engine's hold on its streams, for ever: every later track,
and Play after reconnecting the device, failed with "the sound device does not answer", whose
advice ("reconnect it …, then press Play") could not work until the app restarted.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
import soundfile as sf

from musicsage.playback import PlaybackEngine, claims, output

RATE = 8000


@pytest.fixture(autouse=True)
def _quick(monkeypatch):
    from musicsage.playback import engine

    monkeypatch.setattr(engine, "WATCH_SECONDS", 0.01)
    monkeypatch.setattr(claims, "END_STOP_SECONDS", 0.2)
    monkeypatch.setattr(output, "_rescan", False)


def wait_for(cond, timeout: float = 60.0) -> None:
    t0 = time.monotonic()
    while not cond():
        assert time.monotonic() - t0 < timeout, "timed out"
        time.sleep(0.002)


class Card:
    """A stream whose stop() waits on ``released`` while ``hung`` (the device plays nothing
    more out); abort() never waits."""

    hung = False
    released = threading.Event()

    def __init__(self, samplerate, channels, callback) -> None:
        self.channels, self.callback = channels, callback
        self.active = self.closed = False

    def start(self) -> None:
        self.active = True

    def stop(self) -> None:
        if Card.hung:
            Card.released.wait(30)
        self.active = False

    def abort(self) -> None:
        self.active = False

    def close(self) -> None:
        self.closed = True

    def pull(self, frames: int = 4096) -> np.ndarray:
        out = np.zeros((frames, self.channels), np.float32)
        self.callback(out, frames, None, None)
        return out


def test_the_next_track_plays_after_a_stop_that_hung_at_a_tracks_end(tmp_path):
    short, song = tmp_path / "short.wav", tmp_path / "song #2.flac"
    sf.write(short, np.full(1000, 0.1, np.float32), RATE)
    sf.write(song, np.full(RATE * 2, 0.2, np.float32), RATE)
    made: list[Card] = []

    def factory(samplerate, channels, callback):
        made.append(Card(samplerate, channels, callback))
        return made[-1]

    eng = PlaybackEngine(stream_factory=factory)
    Card.hung, Card.released = True, threading.Event()
    try:
        eng.load(short, autoplay=True)
        wait_for(lambda: eng.state != "loading" and made[0].active)
        made[0].pull()  # the whole track: it ends, and its stop waits on the device
        wait_for(lambda: eng.state == "error")
        assert eng.error_kind == "device" and "end was not played out" in eng.error
        Card.hung = False  # the device answers again (reconnected)
        eng.load(song, autoplay=True)
        wait_for(lambda: len(made) == 2 and (made[1].active or eng.state == "error"))
        assert (eng.state, eng.error) == ("playing", "")
        assert made[1].pull(100).max() == pytest.approx(0.2, abs=1e-3)
        assert not made[0].closed  # its stop() still waits: nothing touches it meanwhile
        Card.released.set()
        wait_for(lambda: made[0].closed and output._abandoned == 0)
    finally:
        Card.released.set()
        eng.close()
