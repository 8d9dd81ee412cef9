"""A sound device that hung, after 751c3f0's longer waits (a slow start waited out).

- Next, or Stop then Play, on a device whose start() never returns: the new start waited out
  the hung one's 10 s, then gave its own start() 10 s more: "playing" at 0:00 for 20 s, silent,
  before the error. A start now has one deadline, its wait for the other call counted.
- A start given up while another call still holds the device ("does not answer") did not say
  to restart if the device is not found, as the other hung lines do.
- After a Pause that hung, each track change of a queue waited the whole 2 s re-scan wait
  again when the stream of the track that ended was still playing out its end.
- After a hang (a Pause's abort, or a stall's), Play on a device reconnected meanwhile failed to
  open with "connect a sound device …": no re-scan can run while the hung stream is open, so
  the device is not found until the app restarts, and that line never said so.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
import soundfile as sf
from playback_support import (HungOutput, PortStream, install_port,
                              quick_worker, wait_for)  # noqa: F401 - a fixture

from musicsage.controllers.queue_output import output_failed_text
from musicsage.playback import PlaybackEngine, claims, output

RATE = 8000
HINT = "(if it is not found, restart musicsage), then press Play"


@pytest.fixture
def hung_output(tmp_path):
    paths = tmp_path / "a.wav", tmp_path / "b.wav"
    for path in paths:
        sf.write(str(path), np.zeros(10 * RATE, np.float32), RATE)
    out = HungOutput(first_only=False, hangs=("start", "abort"))  # it no longer answers
    before = output._abandoned
    eng = PlaybackEngine(stream_factory=out)
    yield eng, out, paths
    out.release.set()
    eng.close()
    wait_for(lambda: output._abandoned <= before, 10)  # no stream left open for other tests


@pytest.mark.usefixtures("quick_worker")
@pytest.mark.parametrize("action", ["next", "stop_play"])
def test_a_hung_start_after_next_is_told_within_one_start_limit(hung_output, monkeypatch,
                                                                action):
    monkeypatch.setattr(claims, "START_SECONDS", 3.0)
    monkeypatch.setattr(claims, "CONTROL_WAIT_SECONDS", 3.0)
    eng, out, (first, second) = hung_output
    eng.load(first, autoplay=True)  # its start() hangs
    wait_for(lambda: eng.state == "playing")
    time.sleep(0.3)
    asked = time.monotonic()  # from the Next or Play the user waits on
    if action == "next":
        eng.load(second, autoplay=True)
    else:
        eng.stop()
        eng.play()
    wait_for(lambda: eng.state == "error", 20)
    took = time.monotonic() - asked
    assert eng.error_kind == "device" and str(eng.error).endswith(HINT), str(eng.error)
    # it took both limits, one after the other (6 s here, 20 s with the real ones); now the
    # first's 3 s less the 0.3 s before Next, then its last 0.5 s start(): 3.2 s
    assert took < claims.START_SECONDS + 0.8, took


@pytest.mark.usefixtures("quick_worker")
def test_a_start_given_up_behind_a_hung_call_says_to_restart(hung_output, monkeypatch):
    monkeypatch.setattr(claims, "START_SECONDS", 30.0)  # the first start holds the device
    monkeypatch.setattr(claims, "CONTROL_WAIT_SECONDS", 0.3)
    eng, out, (first, second) = hung_output
    eng.load(first, autoplay=True)
    wait_for(lambda: eng.state == "playing")
    eng.load(second, autoplay=True)  # Next: its start waits for the first one's
    wait_for(lambda: eng.state == "error", 10)
    assert str(eng.error) == ("cannot start the audio output (the sound device does not "
                              "answer): reconnect it or switch the sound output " + HINT)


class PumpedStream(PortStream):
    """A :class:`~playback_support.PortStream` pulled by a thread of its own at 4 times real
    time once started, until ``silent``; its stop() plays out ``DRAIN`` s."""

    DRAIN = 0.5
    latency = 0.0

    def __init__(self, samplerate, channels, dtype, callback) -> None:
        super().__init__(samplerate, channels, dtype, callback)
        self.silent = False

    def start(self) -> None:
        self.active = True
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        while self.active and not self.silent:
            self.callback(np.zeros((512, self.channels), np.float32), 512, None, None)
            time.sleep(0.016)

    def stop(self) -> None:
        time.sleep(self.DRAIN)
        self.active = False


@pytest.fixture
def port(monkeypatch):
    before = output._abandoned
    yield install_port(monkeypatch, PumpedStream)
    PumpedStream.release.set()
    wait_for(lambda: output._abandoned <= before, 10)  # no stream left open for other tests


def _active(n: int) -> bool:
    return len(PumpedStream.made) > n and PumpedStream.made[-1].active


@pytest.mark.usefixtures("quick_worker")
def test_a_queue_after_a_hung_pause_waits_only_for_the_end_played_out(tmp_path, port):
    long, short = tmp_path / "long.wav", tmp_path / "short.wav"
    sf.write(str(long), np.zeros(30 * RATE, np.float32), RATE)
    sf.write(str(short), np.zeros(RATE, np.float32), RATE)  # 0.25 s at 4 times real time
    eng = PlaybackEngine(stream_factory=output.sounddevice_stream)
    try:
        eng.load(long, autoplay=True)
        wait_for(lambda: eng.state == "playing" and _active(0))
        eng.pause()  # its abort() hangs
        wait_for(lambda: eng.state == "error", 10)
        eng.play()  # waits RESCAN_WAIT_SECONDS for it, once
        wait_for(lambda: eng.state == "playing" and _active(1), 10)
        eng.load(short, autoplay=True)
        wait_for(lambda: _active(2), 10)
        took = []
        for _ in range(2):  # the queue: the next track once the player says "ended"
            wait_for(lambda: eng.state == "ended", 10)
            n, asked = len(PumpedStream.made), time.monotonic()
            eng.load(short, autoplay=True)  # the ended one's stop() still plays out
            wait_for(lambda: _active(n), 10)
            took.append(time.monotonic() - asked)
        # each waited the whole RESCAN_WAIT_SECONDS (2 s) for the hung one too
        assert max(took) < PumpedStream.DRAIN + 0.8, took
        assert not port  # no re-scan while the hung stream is open
    finally:
        eng.close()


@pytest.mark.usefixtures("quick_worker")
@pytest.mark.parametrize("hang", ["pause", "stall"])
def test_play_on_a_reconnected_device_after_a_hang_says_to_restart(tmp_path, port,
                                                                   monkeypatch, hang):
    monkeypatch.setattr(output, "RESCAN_WAIT_SECONDS", 0.2)
    monkeypatch.setattr(claims, "STALL_SECONDS", 0.5)
    path = tmp_path / "a.wav"
    sf.write(str(path), np.zeros(60 * RATE, np.float32), RATE)
    eng = PlaybackEngine(stream_factory=output.sounddevice_stream)
    try:
        eng.load(path, autoplay=True)
        wait_for(lambda: eng.state == "playing" and _active(0))
        if hang == "pause":
            eng.pause()  # its abort() hangs
        else:
            time.sleep(0.2)
            PumpedStream.made[0].silent = True  # no more callbacks; its abort() hangs
        wait_for(lambda: eng.state == "error", 10)
        wait_for(lambda: output._abandoned > 0, 10)  # the hung stream, still open
        PumpedStream.gone = True  # unplugged and plugged in again: the old list fails
        eng.play()
        wait_for(lambda: eng.state == "error" and eng.generation > 1, 10)
        assert str(eng.error).startswith("cannot open the audio output at 8000 Hz")
        # the hint beside the device it is about, not after "the program holding it"
        assert str(eng.error).endswith(
            ": connect a sound device (if it is not found, restart musicsage) or close the "
            "program holding it, then press Play"), str(eng.error)
        assert output_failed_text(eng.error).endswith(
            "connect a sound device (if it is not found, restart musicsage) or close the "
            "program holding it, then play a track from it.")
        assert not port
    finally:
        eng.close()
