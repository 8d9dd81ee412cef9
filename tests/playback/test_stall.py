"""A sound output that stops taking audio without an error (a Bluetooth headset dropped, a
suspended PulseAudio sink): its stream stays ``active`` but the callback is no longer called.
The position froze and the player said "playing" until the user pressed Pause; now it is a
``"device"`` error within ``STALL_SECONDS``, and Play goes on where it stopped.

The clock is the test's own (no real 3-second waits), stepped half a second at a time
as the worker's looks would see it pass (looks far apart are no stall); the sound card is a
stream the test pulls by hand: not pulling it is the stall.
"""

from __future__ import annotations

import sys
import threading
import time

import numpy as np
import pytest

from musicsage.playback import Header, PlaybackEngine, output
from musicsage.playback.claims import STALL_SECONDS

RATE = 8000
BLOCK = 4096
STALLED = ("audio output stalled (no sound went out for 3 s): reconnect it or switch the sound "
           "output, then press Play")


@pytest.fixture(autouse=True)
def _quick_worker(monkeypatch):
    """The worker looks at the stream every 10 ms (not 250): the tests wait on its looks. A
    lost output asks the next real stream to re-scan the devices: not one another test opens,
    nor one that waits on a stalled stream a test left unclosed."""
    from musicsage.playback import engine

    monkeypatch.setattr(engine, "WATCH_SECONDS", 0.01)
    monkeypatch.setattr(output, "_rescan", False)
    yield
    wait_for(lambda: output._abandoned == 0)


class Clock:
    """The engine's clock, stepped by the test; counts the worker's looks at it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.reads = 0
        self._changed = threading.Condition()

    def __call__(self) -> float:
        with self._changed:
            self.reads += 1
            self._changed.notify_all()
            return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def pass_time(self, seconds: float, each_step=lambda: None) -> None:
        """``seconds`` pass as a worker that runs sees them: half a second at a time, each
        step seen by a look (``each_step`` runs before each)."""
        while seconds > 1e-9:
            each_step()
            self.advance(min(0.5, seconds))
            seconds -= 0.5
            assert self.looked()

    def looked(self, times: int = 2, timeout: float = 5.0) -> bool:
        """Whether the worker looked at the clock ``times`` more times (so at least one whole
        look at the stream saw what the test did before); False if it stopped looking."""
        with self._changed:
            target = self.reads + times
            return self._changed.wait_for(lambda: self.reads >= target, timeout)


class PulledStream:
    """A sound card the test drives: ``pull`` is one callback of the audio thread."""

    def __init__(self, samplerate: int, channels: int, callback) -> None:
        self.channels, self.callback = channels, callback
        self.active = self.closed = self.aborted = False

    def start(self) -> None:
        assert not self.closed
        self.active = True

    def stop(self) -> None:
        self.active = False

    def abort(self) -> None:
        self.aborted, self.active = True, False

    def close(self) -> None:
        self.active, self.closed = False, True

    def pull(self, frames: int = 512) -> np.ndarray:
        out = np.full((frames, self.channels), np.nan, np.float32)
        self.callback(out, frames, None, None)
        return out


def tone(seconds: float = 60.0, throttle: threading.Semaphore | None = None):
    """A decoder of a steady tone; with ``throttle``, a slow one: each block waits for a
    ``release()``."""
    frames = round(seconds * RATE)

    def decoder(path: str, start: int = 0):
        def blocks():
            for at in range(start, frames, BLOCK):
                assert throttle is None or throttle.acquire(timeout=10)
                yield np.full((min(BLOCK, frames - at), 2), 0.25, np.float32)

        return Header(RATE, 2, frames), blocks()

    return decoder


def wait_for(cond, timeout: float = 30.0) -> None:
    t0 = time.monotonic()
    while not cond():
        assert time.monotonic() - t0 < timeout, "timed out"
        time.sleep(0.002)


@pytest.fixture
def engine():
    """``engine(decoder, port=None)``: ``(engine, streams it made, its clock)``; closed after
    the test. With a :class:`FakePortAudio`, the engine opens its streams the real way
    (``sounddevice_stream``), from that fake."""
    made_engines = []

    def make(decoder, port=None):
        clock, made = Clock(), []

        def factory(rate, channels, callback):
            made.append(PulledStream(rate, channels, callback))
            return made[-1]

        made_engines.append(PlaybackEngine(stream_factory=None if port else factory,
                                           decoder=decoder, clock=clock))
        return made_engines[-1], port.made if port else made, clock

    yield make
    for eng in made_engines:
        eng.close()


@pytest.fixture
def playing(engine):
    """``playing(decoder=None, port=None)``: an engine playing a track, its callback called
    once and the worker's watch on it: ``(engine, streams made, clock)``."""
    def play(decoder=None, port=None):
        eng, made, clock = engine(decoder or tone(), port)
        eng.load("song.flac", autoplay=True)
        wait_for(lambda: eng.state == "playing" and made and made[-1].active)
        made[-1].pull()
        assert clock.looked()
        return eng, made, clock

    return play


def stalls_within_the_limit(eng, clock) -> None:
    """Nothing pulls the callback from now on: still "playing" just short of
    ``STALL_SECONDS``, a device error once past it."""
    assert clock.looked()  # the worker saw the last callback
    clock.pass_time(STALL_SECONDS - 0.1)
    assert (eng.state, eng.error) == ("playing", "")
    clock.advance(0.2)
    wait_for(lambda: eng.state == "error")
    assert (eng.error_kind, eng.error) == ("device", STALLED)


def test_a_stalled_output_is_a_device_error_and_play_goes_on_where_it_stopped(playing):
    eng, made, clock = playing()
    stalled = made[0]
    stalled.pull(1000)
    stalls_within_the_limit(eng, clock)
    wait_for(lambda: stalled.closed)  # let go: aborted, as its stop() may wait for ever
    assert stalled.aborted and eng.position == 1512
    eng.play()
    wait_for(lambda: eng.state == "playing" and len(made) == 2 and made[1].active)
    assert eng.position == 1512 and eng.error == ""
    made[1].pull(100)
    assert eng.position == 1612


def test_a_callback_that_keeps_coming_is_no_stall_however_long_it_plays(playing):
    eng, made, clock = playing()
    for _ in range(8):
        clock.pass_time(STALL_SECONDS * 0.7)
        made[0].pull()
        assert clock.looked() and eng.state == "playing"
    stalls_within_the_limit(eng, clock)


def test_pause_stop_and_close_are_no_stall_and_play_watches_again(playing):
    eng, made, clock = playing()
    eng.pause()
    clock.advance(60)
    assert clock.looked() and (eng.state, eng.error) == ("paused", "")
    eng.play()  # the watch starts again: the minute paused is not counted
    assert clock.looked()
    clock.pass_time(STALL_SECONDS - 0.1)
    assert eng.state == "playing"
    eng.stop()  # closes the stream: Play opens another
    clock.advance(60)
    assert clock.looked() and (eng.state, eng.error) == ("stopped", "")
    wait_for(lambda: made[0].closed)  # closed on a thread of its own (claims.py)
    eng.play()
    wait_for(lambda: eng.state == "playing" and len(made) == 2 and made[1].active)
    made[1].pull()
    assert clock.looked()
    eng.close()
    clock.advance(60)
    wait_for(lambda: made[1].closed)
    assert (eng.state, eng.error) == ("empty", "") and not made[1].active

    eng.load("next.flac", autoplay=True)  # a new track on a new stream is watched as well
    wait_for(lambda: eng.state == "playing" and len(made) == 3 and made[2].active)
    made[2].pull()
    assert clock.looked()
    stalls_within_the_limit(eng, clock)


def test_seeks_neither_trip_nor_hide_a_stall(playing):
    """Seeking back to one frame over and over freezes the position; the card still plays."""
    eng, made, clock = playing()
    for _ in range(10):
        eng.seek(1000)
        made[0].pull()
        clock.pass_time(1.0)
        assert (eng.state, eng.position) == ("playing", 1512)
    eng.seek(50 * RATE)  # outside what is decoded: the decoder is opened there again
    wait_for(lambda: eng.decoded_frames > 50 * RATE)
    made[0].pull()
    assert clock.looked() and eng.state == "playing"
    clock.pass_time(STALL_SECONDS - 1.0)
    eng.seek(0)  # the user seeks while the headset is silent: the stall goes on
    clock.pass_time(0.9)
    assert eng.state == "playing"
    clock.advance(0.2)
    wait_for(lambda: eng.state == "error")
    assert (eng.error_kind, eng.error, eng.position) == ("device", STALLED, 0)


def test_the_end_of_a_track_is_no_stall_and_play_again_is_watched(playing):
    eng, made, clock = playing(tone(seconds=1.0))
    while eng.state == "playing":
        made[0].pull(BLOCK)
    clock.advance(60)  # the stream runs on, silent, with nobody pulling it
    assert clock.looked() and (eng.state, eng.error) == ("ended", "")
    before = set(threading.enumerate())
    eng.play()  # from the start, on the same stream
    assert eng.state == "playing"
    wait_for(lambda: not [t for t in threading.enumerate()  # started on a thread of its own
                          if t.name == "musicsage-output-play" and t not in before])
    made[0].pull()
    assert clock.looked()
    stalls_within_the_limit(eng, clock)


def test_a_slow_decoder_is_no_stall(engine):
    """Slow to give the first block (loading), then too slow to reach a seek's target: the
    callback plays silence at a frozen position meanwhile, which is the card working."""
    throttle = threading.Semaphore(0)
    eng, made, clock = engine(tone(throttle=throttle))

    def one_block_decoded() -> None:
        looks = clock.reads
        throttle.release()
        wait_for(lambda: clock.reads > looks)  # it looks at the stream after each block

    eng.load("song.flac", autoplay=True)
    wait_for(lambda: clock.reads >= 1)  # the worker's first look: it is decoding now
    clock.advance(60)
    assert eng.state == "loading"
    one_block_decoded()
    wait_for(lambda: eng.state == "playing" and made[0].active)
    target = 10 * RATE
    assert eng.seek(target) == target  # within reach: decoded through, slowly
    for _ in range(10):
        made[0].pull()
        clock.advance(0.5)
        one_block_decoded()
        assert (eng.state, eng.error, eng.position) == ("playing", "", target)
    for _ in range(20):
        throttle.release()
    wait_for(lambda: eng.decoded_frames > target + 512)
    made[0].pull()
    assert eng.position == target + 512 and eng.state == "playing"
    for _ in range(200):
        throttle.release()
    stalls_within_the_limit(eng, clock)


class FakePortAudio:
    """Stands in for the ``sounddevice`` module: ``calls`` says what PortAudio was asked, in
    order. Its streams are pulled by hand; their abort() hangs until ``let_abort_return`` is
    set, as on a device that stopped taking audio (the callback may still come meanwhile)."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.made: list[PulledStream] = []
        self.let_abort_return, self.aborting = threading.Event(), threading.Event()

    def OutputStream(self, samplerate, channels, dtype, callback):  # noqa: N802 (its name)
        port, name = self, f"s{len(self.made) + 1}"

        class Stream(PulledStream):
            def abort(self) -> None:
                port.aborting.set()
                assert port.let_abort_return.wait(5)
                port.calls.append(f"abort {name}")
                super().abort()

            def close(self) -> None:
                port.calls.append(f"close {name}")
                super().close()

        self.calls.append(f"open {name}")
        self.made.append(Stream(samplerate, channels, callback))
        return self.made[-1]

    def _terminate(self) -> None:  # frees every open stream: a close() after it is a crash
        self.calls.append("terminate")

    def _initialize(self) -> None:
        self.calls.append("initialize")


@pytest.fixture
def port(monkeypatch):
    """A :class:`FakePortAudio` in place of sounddevice; a hung abort is let go at the end."""
    fake = FakePortAudio()
    monkeypatch.setitem(sys.modules, "sounddevice", fake)
    yield fake
    fake.let_abort_return.set()


def test_play_right_after_a_stall_rescans_once_the_stalled_stream_is_closed(playing, port,
                                                                            monkeypatch):
    """The new stream re-scanned the devices (PortAudio's terminate frees every stream) while
    the stalled one was still being aborted on its thread; its close() came after: a
    use-after-free in the C library. The re-scan now waits for that close."""
    monkeypatch.setattr(output, "RESCAN_WAIT_SECONDS", 5.0)
    eng, made, clock = playing(port=port)
    stalls_within_the_limit(eng, clock)
    assert port.aborting.wait(5)
    eng.play()  # at once: the stalled stream's abort() has not returned
    time.sleep(0.1)
    assert port.calls == ["open s1"] and eng.state == "loading"
    port.let_abort_return.set()
    wait_for(lambda: eng.state == "playing" and len(made) == 2 and made[1].active)
    assert port.calls == ["open s1", "abort s1", "close s1", "terminate", "initialize",
                          "open s2"]


def test_a_stalled_stream_that_stays_hung_delays_the_rescan_to_a_later_open(playing, port,
                                                                           monkeypatch):
    """Past ``RESCAN_WAIT_SECONDS`` the new stream opens without a re-scan; the first open
    after the stalled stream is closed re-scans (the device may be back by then)."""
    monkeypatch.setattr(output, "RESCAN_WAIT_SECONDS", 0.05)
    eng, made, clock = playing(port=port)
    stalls_within_the_limit(eng, clock)
    eng.play()
    wait_for(lambda: eng.state == "playing" and len(made) == 2 and made[1].active)
    assert port.calls == ["open s1", "open s2"]
    port.let_abort_return.set()
    wait_for(lambda: made[0].closed)
    monkeypatch.setattr(output, "RESCAN_WAIT_SECONDS", 30.0)  # s2 is closed on a thread of
    # its own: the open waits for it (a loaded machine may take longer than 0.05 s)
    eng.load("next.flac", autoplay=True)
    wait_for(lambda: eng.state == "playing" and len(made) == 3 and made[2].active)
    assert port.calls == ["open s1", "open s2", "abort s1", "close s1", "abort s2",
                          "close s2", "terminate", "initialize", "open s3"]


def test_a_stalled_streams_late_callbacks_leave_the_new_stream_alone(playing, port,
                                                                    monkeypatch):
    """Until its abort() returns, the stalled stream may still call back. Those calls moved
    the new stream's position, and counted as the new stream's callbacks: a new stream that
    stalled as well went unnoticed while the old one called."""
    monkeypatch.setattr(output, "RESCAN_WAIT_SECONDS", 0.05)
    eng, made, clock = playing(port=port)
    old = made[0]
    old.pull(1000)
    stalls_within_the_limit(eng, clock)
    assert port.aborting.wait(5)
    eng.play()
    wait_for(lambda: eng.state == "playing" and len(made) == 2 and made[1].active)
    made[1].pull(100)
    assert clock.looked() and eng.position == 1612

    def the_old_stream_calls_back() -> None:
        assert not old.pull(700).any()  # silence, where the engine plays the new stream
        assert eng.position == 1612

    clock.pass_time(STALL_SECONDS - 0.1, the_old_stream_calls_back)
    assert eng.state == "playing"
    the_old_stream_calls_back()
    clock.advance(0.2)
    wait_for(lambda: eng.state == "error")
    assert (eng.error, eng.position) == (STALLED, 1612)


def test_looks_far_apart_are_no_stall(playing):
    """The worker itself did not run for 5 s (the process stopped, or another thread held the
    GIL in a long C call; the callback, which needs the GIL too, did not run either): its next
    look saw the same count and called a working sound card stalled."""
    eng, made, clock = playing()
    clock.pass_time(2.0)  # silent, but watched for less than the limit…
    clock.advance(5.0)  # …then no look for 5 s
    assert clock.looked() and (eng.state, eng.error) == ("playing", "")
    clock.pass_time(STALL_SECONDS - 0.1)  # the watch starts again after such a gap…
    assert (eng.state, eng.error) == ("playing", "")
    made[0].pull()  # …and the card called back once the process ran again
    assert clock.looked()
    stalls_within_the_limit(eng, clock)  # a card silent while the worker runs has stalled
