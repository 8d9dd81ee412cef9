"""What the playback tests share: a worker that notices a lost device at once, sound cards
pulled by hand, a sound output that can go missing, and a wait on the engine's own threads."""

from __future__ import annotations

import time

import numpy as np
import pytest

from musicsage.playback import PlaybackUnavailable


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


def wait_for(cond, timeout: float = 30.0) -> None:
    """Poll ``cond`` (the engine's own threads, no event loop) until true, or fail."""
    t0 = time.monotonic()
    while not cond():
        assert time.monotonic() - t0 < timeout, "timed out"
        time.sleep(0.002)
