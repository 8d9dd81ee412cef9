"""What follows a Pause whose abort() never returns (a sound device that hung).

Its stream stays open inside that call, so the devices cannot be re-scanned (that frees every
stream): every later track start waited ``RESCAN_WAIT_SECONDS`` (2 s) for it, for the whole
session, and the line said "reconnect it …, then press Play" as if a reconnected device would
be found. A hung Pause also left the place where the callback had got to, past what the device
played: Play skipped its latency of the music. And the failure's line, a str carrying its
parts, could not be copied or pickled."""

from __future__ import annotations

import copy
import pickle
import time

import numpy as np
import pytest
import soundfile as sf
from playback_support import (HungOutput, PortStream, install_port,
                              quick_worker, wait_for)  # noqa: F401 - a fixture

from musicsage.controllers.queue_output import output_failed_text
from musicsage.playback import PlaybackEngine, claims, output
from musicsage.playback.output import OutputFailure

RATE = 8000


@pytest.fixture
def hung_port(monkeypatch):
    yield install_port(monkeypatch, PortStream)  # the first stream's abort() hangs
    PortStream.release.set()


def _start_timed(eng: PlaybackEngine, begin) -> float:
    t0, n = time.monotonic(), len(PortStream.made)
    begin()
    wait_for(lambda: eng.state == "playing" and len(PortStream.made) > n
             and PortStream.made[-1].active, 20)
    return time.monotonic() - t0


@pytest.mark.usefixtures("quick_worker")
def test_only_the_first_start_after_a_hung_pause_waits_for_it(tmp_path, hung_port):
    path = tmp_path / "a.wav"
    sf.write(str(path), np.zeros(20 * RATE, np.float32), RATE)
    eng = PlaybackEngine(stream_factory=output.sounddevice_stream)
    try:
        _start_timed(eng, lambda: eng.load(path, autoplay=True))
        eng.pause()  # its abort() hangs
        wait_for(lambda: eng.state == "error", 10)
        assert str(eng.error).endswith(": reconnect it or switch the sound output (if it is "
                                       "not found, restart musicsage), then press Play")
        assert output_failed_text(eng.error).endswith(
            "The queue is kept: reconnect it or switch the sound output (if it is not found, "
            "restart musicsage), then play a track from it.")
        assert _start_timed(eng, eng.play) >= output.RESCAN_WAIT_SECONDS  # waited, once
        later = [_start_timed(eng, lambda: eng.load(path, autoplay=True)) for _ in range(2)]
        assert max(later) < output.RESCAN_WAIT_SECONDS / 2, later  # each waited 2 s
        assert not hung_port
        PortStream.release.set()  # the hung call returns: its stream is closed
        wait_for(lambda: PortStream.made[0].closed, 10)
        _start_timed(eng, lambda: eng.load(path, autoplay=True))
        assert len(hung_port) == 1, "the devices are re-scanned once nothing is left open"
    finally:
        eng.close()


@pytest.mark.usefixtures("quick_worker")
def test_play_after_a_hung_pause_goes_on_from_what_was_heard(tmp_path, monkeypatch):
    monkeypatch.setattr(claims, "END_STOP_SECONDS", 0.2)
    path = tmp_path / "song.wav"
    audio = np.linspace(-0.5, 0.5, 20 * RATE, dtype=np.float32)
    sf.write(str(path), audio, RATE, subtype="FLOAT")
    out = HungOutput(hangs=("abort",), latency=0.25)  # 0.25 s behind the callback
    eng = PlaybackEngine(stream_factory=out)
    try:
        eng.load(path, autoplay=True)
        wait_for(lambda: eng.state == "playing" and out.cards[0].active)
        out.cards[0].pull(RATE)  # 1 s handed over, 0.75 s of it heard
        eng.pause()
        wait_for(lambda: eng.state == "error", 10)
        assert eng.position_seconds == 0.75  # it said 1.0: Play skipped 0.25 s never heard
        eng.play()
        wait_for(lambda: eng.state == "playing" and len(out.cards) == 2
                 and out.cards[1].active, 10)
        heard = out.cards[1].pull(RATE // 4)[:, 0]
        np.testing.assert_allclose(heard, audio[3 * RATE // 4:RATE], atol=1e-6)
    finally:
        out.release.set()
        eng.close()
    wait_for(lambda: out.cards[0].closed, 10)


@pytest.mark.parametrize("twin", [copy.copy, copy.deepcopy,
                                  lambda line: pickle.loads(pickle.dumps(line))],
                         ids=["copy", "deepcopy", "pickle"])
def test_an_output_failure_copies_with_its_parts(twin):
    line = OutputFailure("audio output lost (the sound device stopped)",
                         "reconnect it or switch the sound output")
    again = twin(line)  # a TypeError: __new__() missing 'advice'
    assert (again, again.what, again.advice) == (line, line.what, line.advice)
    assert isinstance(again, OutputFailure)
