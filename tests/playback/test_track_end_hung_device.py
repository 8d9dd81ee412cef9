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
from playback_support import HungCard, HungOutput

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


WHOLE_TRACK = 4096
"""Frames one pull takes: a whole short track."""


def test_the_next_track_plays_after_a_stop_that_hung_at_a_tracks_end(tmp_path):
    short, song = tmp_path / "short.wav", tmp_path / "song #2.flac"
    sf.write(short, np.full(1000, 0.1, np.float32), RATE)
    sf.write(song, np.full(RATE * 2, 0.2, np.float32), RATE)
    out = HungOutput(hangs=("stop",))  # the first stream's stop() waits on the device
    made = out.cards
    eng = PlaybackEngine(stream_factory=out)
    try:
        eng.load(short, autoplay=True)
        wait_for(lambda: eng.state != "loading" and made[0].active and eng.decoding_complete)
        made[0].pull(WHOLE_TRACK)  # the track ends, and its stop waits on the device
        wait_for(lambda: eng.state == "error")
        assert eng.error_kind == "device" and "end was not played out" in eng.error
        eng.load(song, autoplay=True)  # the device answers again (reconnected)
        wait_for(lambda: len(made) == 2 and (made[1].active or eng.state == "error"))
        assert (eng.state, eng.error) == ("playing", "")
        assert made[1].pull(100).max() == pytest.approx(0.2, abs=1e-3)
        assert not made[0].closed  # its stop() still waits: nothing touches it meanwhile
        out.release.set()
        wait_for(lambda: made[0].closed and output._abandoned == 0)
    finally:
        out.release.set()
        eng.close()


class WatchedCard(HungCard):
    """A :class:`~playback_support.HungCard` that records an abort() or close() that came
    while its stop() was still waiting on the device (what a re-scan or PortAudio itself must
    never see)."""

    def __init__(self, samplerate, channels, callback, **hung) -> None:
        super().__init__(samplerate, channels, callback, **hung)
        self.in_stop = False
        self.touched_in_stop: list[str] = []

    def stop(self) -> None:
        self.in_stop = True
        try:
            super().stop()
        finally:
            self.in_stop = False

    def abort(self) -> None:
        if self.in_stop:
            self.touched_in_stop.append("abort")
        super().abort()

    def close(self) -> None:
        if self.in_stop:
            self.touched_in_stop.append("close")
        super().close()


def test_a_queue_loading_the_next_track_leaves_a_hung_end_stop_alone(tmp_path, monkeypatch):
    """The queue loads the next track as soon as the state is "ended", while the stop at the
    end still waits on the device: the stream is not aborted or closed under that stop, it
    counts as abandoned until the stop returns, and the next track plays."""
    monkeypatch.setattr(claims, "END_STOP_SECONDS", 5.0)  # the load comes inside the wait
    monkeypatch.setattr(claims, "CONTROL_WAIT_SECONDS", 120.0)
    short, song = tmp_path / "short.wav", tmp_path / "song.flac"
    sf.write(short, np.full(1000, 0.1, np.float32), RATE)
    sf.write(song, np.full(RATE * 2, 0.2, np.float32), RATE)
    out = HungOutput(card=WatchedCard, hangs=("stop",))
    made = out.cards
    eng = PlaybackEngine(stream_factory=out)
    before = output._abandoned
    try:
        eng.load(short, autoplay=True)
        wait_for(lambda: eng.state != "loading" and made[0].active and eng.decoding_complete)
        made[0].pull(WHOLE_TRACK)
        wait_for(lambda: eng.state == "ended" and made[0].in_stop)
        eng.load(song, autoplay=True)  # what gui/explore_wiring does on "ended"
        wait_for(lambda: len(made) == 2 and (made[1].active or eng.state == "error"))
        wait_for(lambda: not any(t.name == "musicsage-output-close"
                                 for t in threading.enumerate()))
        assert (eng.state, eng.error) == ("playing", "")
        assert made[0].touched_in_stop == [] and not made[0].closed
        assert output._abandoned == before + 1  # no re-scan frees it under its stop()
        out.release.set()
        wait_for(lambda: made[0].closed and output._abandoned == before)
        assert made[0].touched_in_stop == []
    finally:
        out.release.set()
        eng.close()
