"""A device that accepts start() but never calls the stream back (a suspended PulseAudio
sink, a Bluetooth transport gone) showed "waiting…" for as long as it lasted, never an error:
the stall watch judges only a device that was heard once. Past ``UNHEARD_SECONDS`` with no
callback it is now a device error in one line that says what to do, and Play plays again.

The engine's clock is the test's own (test_stall's), stepped half a second at a time as the
worker's looks see it pass: the real 10 s rule is judged, and however slow the run, a hand
pull or a look that comes late never meets the deadline by chance."""

from __future__ import annotations

import numpy as np
import soundfile as sf
from playback_support import Output, quick_worker, wait_for  # noqa: F401 - a fixture
from test_stall import Clock

from musicsage.controllers.queue_output import output_failed_text
from musicsage.playback import PlaybackEngine, claims

RATE = 8000


def _engine(tmp_path) -> tuple[PlaybackEngine, Output, Clock]:
    """An engine playing a track on a started card nobody pulled yet, a look of the worker
    having seen the card started."""
    path = tmp_path / "a.wav"
    sf.write(str(path), np.full(10 * RATE, 0.25, np.float32), RATE)
    out, clock = Output(), Clock()  # its cards start, and are pulled only by hand
    eng = PlaybackEngine(stream_factory=out, clock=clock)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "playing" and out.cards and out.cards[0].active)
    wait_for(lambda: eng._stream_live)
    assert clock.looked()
    return eng, out, clock


def _unheard_within_the_limit(eng: PlaybackEngine, clock: Clock) -> None:
    """Nothing pulls the card from now on: still "playing" just short of ``UNHEARD_SECONDS``
    of the worker's looks, a device error once past it."""
    clock.pass_time(claims.UNHEARD_SECONDS - 0.5)
    assert (eng.state, eng.error) == ("playing", "")
    clock.advance(0.5)
    wait_for(lambda: eng.state == "error", 5)  # it said "waiting…" for ever


def test_a_started_stream_never_pulled_becomes_a_device_error(tmp_path, quick_worker):
    eng, out, clock = _engine(tmp_path)
    try:
        _unheard_within_the_limit(eng, clock)
        assert eng.error_kind == "device" and not eng.device_waiting
        assert "\n" not in eng.error and eng.error.endswith("then press Play")
        assert "took no sound in 10 s" in eng.error and "switch the sound output" in eng.error
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


def test_a_stream_that_is_pulled_is_not_called_unheard(tmp_path, quick_worker):
    eng, out, clock = _engine(tmp_path)
    try:
        for _ in range(10):  # twice the deadline, pulled every 2 s: no stall (3 s) either
            out.cards[0].pull(64)
            clock.pass_time(2.0)
        assert eng.state == "playing" and eng.error == ""
    finally:
        eng.close()


def test_time_the_worker_did_not_see_pass_is_not_counted(tmp_path, quick_worker):
    """The process held up (the GIL held by a long C call, a stopped process: neither the
    callback nor the worker runs) is no silent device: as the stall watch, the count starts
    again after a gap between the worker's looks."""
    eng, out, clock = _engine(tmp_path)
    try:
        clock.pass_time(claims.UNHEARD_SECONDS / 2)
        clock.advance(claims.UNHEARD_SECONDS * 3)  # held up: no look sees this pass
        assert clock.looked()
        assert eng.state == "playing" and eng.error == ""  # it said "took no sound" at once
        _unheard_within_the_limit(eng, clock)  # still never heard: said then
    finally:
        eng.close()
