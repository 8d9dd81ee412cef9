"""A sound device that refuses Play's start or Pause's stop: the output is let go of before
the action returns, and the action does not wait for its own close.

The report: the failed start or stop let the stream go while it held the engine's ``_control``,
and the close of that stream, on a thread of its own, needs ``_control`` too: Play (or the
decode thread's autoplay) waited the whole ``ANSWER_SECONDS`` on a close that could not begin
until the wait was over. Here that wait is made long: an action that returns with the stream
already closed did not wait on itself.
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
def _long_answer(monkeypatch):
    """A user's action waits up to 30 s for the device, not 0.25 s: waiting on itself shows
    as a stream not yet closed when the action returns. No re-scan is left over."""
    from musicsage.playback import engine

    monkeypatch.setattr(claims, "ANSWER_SECONDS", 30.0)
    monkeypatch.setattr(engine, "WATCH_SECONDS", 0.01)
    monkeypatch.setattr(output, "_rescan", False)


def wait_for(cond, timeout: float = 30.0) -> None:
    t0 = time.monotonic()
    while not cond():
        assert time.monotonic() - t0 < timeout, "timed out"
        time.sleep(0.002)


class RefusingDevice:
    """A stream whose start() (``refuse="start"``) or stop() and abort() (``refuse="stop"``)
    raise once ``refusing`` is set, as PortAudio's do when the device went away."""

    def __init__(self, refuse: str) -> None:
        self.refuse, self.refusing = refuse, False
        self.active = self.closed = False
        self.close_threads: list[threading.Thread] = []

    def _fail(self, step: str) -> None:
        if self.refusing and self.refuse == step:
            raise RuntimeError("Device unavailable [PaErrorCode -9985]")

    def start(self) -> None:
        self._fail("start")
        self.active = True

    def stop(self) -> None:
        self.active = False
        self._fail("stop")

    abort = stop

    def close(self) -> None:
        self.active, self.closed = False, True
        self.close_threads.append(threading.current_thread())


@pytest.mark.parametrize("refuse", ["start", "stop"])
def test_a_refused_start_or_stop_closes_the_stream_before_the_action_returns(tmp_path,
                                                                            refuse):
    sf.write(str(tmp_path / "a.flac"), np.zeros(RATE * 5, np.float32), RATE)
    made: list[RefusingDevice] = []

    def factory(rate, channels, callback):
        made.append(RefusingDevice(refuse))
        return made[-1]

    eng = PlaybackEngine(stream_factory=factory)
    eng.load(tmp_path / "a.flac", autoplay=refuse == "stop")
    wanted = "playing" if refuse == "stop" else "stopped"
    wait_for(lambda: eng.state == wanted and made and eng.decoding_complete)
    card = made[0]
    card.refusing = True
    eng.pause() if refuse == "stop" else eng.play()
    assert (eng.state, eng.error_kind) == ("error", "device")
    assert card.closed, "the action waited on the close of its own stream"
    assert card.close_threads[0].name == "musicsage-output-close"
    eng.close()
    wait_for(lambda: output._abandoned == 0)
