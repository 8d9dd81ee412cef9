"""What the playback tests share: a worker that notices a lost device at once, sound cards
pulled by hand, a sound output that can go missing, a sound device that hangs, a wait on
the engine's own threads, and the player's line about a path it cannot play."""

from __future__ import annotations

import sys
import threading
import time
import types

import numpy as np
import pytest

from musicsage.playback import PlaybackUnavailable, claims, output


@pytest.fixture
def quick_worker(monkeypatch):
    """The engine's watch every 10 ms and no rescan of the devices: a lost card is seen at
    once, and no real sound system is asked."""
    from musicsage.playback import engine, output

    monkeypatch.setattr(engine, "WATCH_SECONDS", 0.01)
    monkeypatch.setattr(output, "_rescan", False)


class Card:
    """A sound card pulled by hand; ``active`` turns False when its device goes away."""

    def __init__(self, samplerate, channels, callback) -> None:
        self.channels, self.callback = channels, callback
        self.active = self.closed = False

    def start(self) -> None:
        self.active = True

    def stop(self) -> None:
        self.active = False

    def close(self) -> None:
        self.active, self.closed = False, True

    def pull(self, frames: int = 512) -> np.ndarray:
        out = np.zeros((frames, self.channels), np.float32)
        self.callback(out, frames, None, None)
        return out


class Output:
    """The machine's sound output: a factory of cards that fails while ``missing``."""

    def __init__(self) -> None:
        self.missing = False
        self.cards: list[Card] = []

    def __call__(self, samplerate, channels, callback) -> Card:
        if self.missing:
            raise PlaybackUnavailable(f"cannot open the audio output at {samplerate} Hz: "
                                      "Error querying device -1")
        self.cards.append(Card(samplerate, channels, callback))
        return self.cards[-1]


HUNG_SECONDS = 60.0
"""The most a :class:`HungCard`'s call waits for its release: no test thread waits for ever."""


class HungCard(Card):
    """A sound device that no longer answers: each of its calls named in ``hangs`` (of
    "start", "stop", "abort") returns only once ``release`` is set. ``latency``: PortAudio's
    (from the callback to the speaker: what a Pause's abort drops unheard), where given."""

    def __init__(self, samplerate, channels, callback, *, release: threading.Event,
                 hangs=("start", "stop", "abort"), latency: float | None = None) -> None:
        super().__init__(samplerate, channels, callback)
        self.release, self.hangs = release, frozenset(hangs)
        if latency is not None:
            self.latency = latency

    def _answer(self, call: str) -> None:
        if call in self.hangs:
            self.release.wait(HUNG_SECONDS)

    def start(self) -> None:
        self._answer("start")
        super().start()

    def stop(self) -> None:
        self._answer("stop")
        super().stop()

    def abort(self) -> None:
        self._answer("abort")
        self.active = False


class HungOutput(Output):
    """A sound output whose cards hang (``card``, made with ``hung``'s keywords: see
    :class:`HungCard`): its first only where ``first_only`` (the device answers again for the
    next stream), else every one. ``release`` lets every hung call return."""

    def __init__(self, *, first_only: bool = True, card: type[HungCard] = HungCard,
                 **hung) -> None:
        super().__init__()
        self.release = threading.Event()
        self.first_only, self.card, self.hung = first_only, card, hung

    def __call__(self, samplerate, channels, callback) -> Card:
        if self.first_only and self.cards:
            return super().__call__(samplerate, channels, callback)
        self.cards.append(self.card(samplerate, channels, callback, release=self.release,
                                    **self.hung))
        return self.cards[-1]


class PortStream:
    """sounddevice's OutputStream, as ``output.sounddevice_stream`` opens it (see
    :func:`install_port`): the first one's abort() hangs until ``release`` (a device that hung
    in a Pause); none opens while ``gone`` (PortAudio's list read at start no longer fits)."""

    release = threading.Event()
    made: list["PortStream"] = []
    gone = False

    def __init__(self, samplerate, channels, dtype, callback) -> None:
        if self.gone:
            raise RuntimeError("Error querying device 3")
        self.first, self.channels, self.callback = not self.made, channels, callback
        self.active = self.closed = False
        self.made.append(self)

    def start(self) -> None:
        self.active = True

    def stop(self) -> None:
        self.active = False

    def abort(self) -> None:
        if self.first:
            self.release.wait(HUNG_SECONDS)
        self.active = False

    def close(self) -> None:
        self.active, self.closed = False, True


def install_port(monkeypatch, stream: type[PortStream]) -> list[float]:
    """``stream`` (its streams made so far, ``gone`` and ``release`` new) in sounddevice's
    place, with no re-scan due and a stop at a track's end given up after 0.2 s: the list the
    times of the re-scans sounddevice_stream runs go to."""
    rescans: list[float] = []
    stream.made, stream.gone, stream.release = [], False, threading.Event()
    fake = types.SimpleNamespace(OutputStream=stream, _initialize=lambda: None,
                                 _terminate=lambda: rescans.append(time.monotonic()))
    monkeypatch.setitem(sys.modules, "sounddevice", fake)
    monkeypatch.setattr(output, "_rescan", False)
    monkeypatch.setattr(output, "_waited_out", 0)
    monkeypatch.setattr(claims, "END_STOP_SECONDS", 0.2)
    return rescans


def wait_for(cond, timeout: float = 30.0) -> None:
    """Poll ``cond`` (the engine's own threads, no event loop) until true, or fail."""
    t0 = time.monotonic()
    while not cond():
        assert time.monotonic() - t0 < timeout, "timed out"
        time.sleep(0.002)


LOOP = "(it leads round a loop of links)"
"""How the player's line ends for a path that leads round a loop of links."""


def player_error(path) -> tuple[str, str]:
    """What the player says of ``path``: its error's kind and line."""
    from musicsage.playback import PlaybackEngine

    eng = PlaybackEngine(stream_factory=Output())
    try:
        eng.load(path, autoplay=True)
        wait_for(lambda: eng.state == "error")
        return eng.error_kind, eng.error
    finally:
        eng.close()
