"""A device that accepts start() but never calls the stream back (a suspended PulseAudio
sink, a Bluetooth transport gone) showed "waiting…" for as long as it lasted, never an error:
the stall watch judges only a device that was heard once. Past ``UNHEARD_SECONDS`` with no
callback it is now a device error in one line that says what to do, and Play plays again."""

from __future__ import annotations

import time

import numpy as np
import soundfile as sf
from playback_support import Output, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.controllers.queue_output import output_failed_text
from musicsage.playback import PlaybackEngine, claims

RATE = 8000


def _engine(tmp_path, monkeypatch) -> tuple[PlaybackEngine, Output]:
    monkeypatch.setattr(claims, "UNHEARD_SECONDS", 0.5, raising=False)
    path = tmp_path / "a.wav"
    sf.write(str(path), np.full(10 * RATE, 0.25, np.float32), RATE)
    out = Output()  # its cards start, and are pulled only by hand
    eng = PlaybackEngine(stream_factory=out)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "playing" and out.cards and out.cards[0].active)
    return eng, out


def test_a_started_stream_never_pulled_becomes_a_device_error(tmp_path, monkeypatch,
                                                              quick_worker):
    eng, out = _engine(tmp_path, monkeypatch)
    try:
        wait_for(lambda: eng.state == "error", 5)  # it said "waiting…" for ever
        assert eng.error_kind == "device" and not eng.device_waiting
        assert "\n" not in eng.error and eng.error.endswith("then press Play")
        assert "took no sound" in eng.error and "switch the sound output" in eng.error
        assert "switch the sound output, then play a track" in output_failed_text(eng.error)
        wait_for(lambda: out.cards[0].closed, 5)  # let go of, not left open
        eng.play()  # Play works again: a new stream, which the device pulls
        wait_for(lambda: eng.state == "playing" and len(out.cards) == 2
                 and out.cards[1].active)
        heard = out.cards[1].pull(256)
        assert np.allclose(heard, 0.25) and eng.position == 256
        assert eng.state == "playing" and eng.error == ""
    finally:
        eng.close()


def test_a_stream_that_is_pulled_is_not_called_unheard(tmp_path, monkeypatch, quick_worker):
    eng, out = _engine(tmp_path, monkeypatch)
    try:
        out.cards[0].pull(64)  # heard once: the stall watch judges it from now on
        time.sleep(1.0)  # twice the deadline; the stall watch (3 s) has not come yet
        assert eng.state == "playing" and eng.error == ""
    finally:
        eng.close()


def test_time_the_worker_did_not_see_pass_is_not_counted(tmp_path, monkeypatch, quick_worker):
    """The process held up (the GIL held by a long C call, a stopped process: neither the
    callback nor the worker runs) is no silent device: as the stall watch, the count starts
    again after a gap between the worker's looks."""
    eng, out = _engine(tmp_path, monkeypatch)
    try:
        wait_for(lambda: eng._stream_live)
        with eng._lock:  # nothing runs that needs it: the callback, the worker's looks
            time.sleep(1.5)  # more than UNHEARD_SECONDS (0.5) and LOOK_GAP_SECONDS (1)
        time.sleep(0.2)
        assert eng.state == "playing" and eng.error == ""  # it said "took no sound" at once
        wait_for(lambda: eng.state == "error", 5)  # still never heard: said then
    finally:
        eng.close()
