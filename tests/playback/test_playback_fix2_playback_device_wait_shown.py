"""A start that the sound device keeps waiting (a headset waking, one that hung: up to
``START_SECONDS``, 10 s) showed "playing" at 0:00 in silence until it answered or the error
came. Past ``STALL_SECONDS`` the bar's place now says it waits for the sound device."""

from __future__ import annotations

import threading

import numpy as np
import soundfile as sf
from playback_support import Card, Output

from musicsage.playback import claims

RATE = 8000


class Waking(Card):
    """A device whose start() returns once ``awake`` is set."""

    awake = threading.Event()

    def start(self) -> None:
        self.awake.wait(30)
        super().start()


class WakingOutput(Output):
    def __call__(self, samplerate, channels, callback) -> Card:
        self.cards.append(Waking(samplerate, channels, callback))
        return self.cards[-1]


def test_the_bar_says_it_waits_for_a_slow_device_then_shows_the_place(qtbot, tmp_path,
                                                                      monkeypatch):
    from musicsage.gui.player import DEVICE_WAIT, PlayerBar

    monkeypatch.setattr(claims, "STALL_SECONDS", 0.3)
    Waking.awake = threading.Event()
    path = tmp_path / "a.wav"
    sf.write(str(path), np.zeros(5 * RATE, np.float32), RATE)
    out = WakingOutput()
    bar = PlayerBar(stream_factory=out)
    qtbot.addWidget(bar)
    try:
        bar.play_track(1, str(path), "Song", length_seconds=5.0)
        qtbot.waitUntil(lambda: bar.engine.state == "playing", timeout=10_000)

        def shown() -> str:
            bar._poll()  # what the bar's timer does
            return bar.position_label.text()

        qtbot.waitUntil(lambda: shown() == DEVICE_WAIT, timeout=5_000)  # it said 0:00
        Waking.awake.set()  # the device answers and pulls sound: the place again
        qtbot.waitUntil(lambda: out.cards[0].active, timeout=5_000)
        out.cards[0].pull()
        qtbot.waitUntil(lambda: shown() == "0:00", timeout=5_000)
    finally:
        Waking.awake.set()
        bar.shutdown()


class Quick(Card):
    """A working device: start() returns in 50 ms."""

    def start(self) -> None:
        threading.Event().wait(0.05)
        super().start()


class QuickOutput(Output):
    def __call__(self, samplerate, channels, callback) -> Card:
        self.cards.append(Quick(samplerate, channels, callback))
        return self.cards[-1]


def test_a_working_device_never_shows_the_wait(qtbot, tmp_path, monkeypatch):
    from musicsage.gui.player import DEVICE_WAIT, PlayerBar

    monkeypatch.setattr(claims, "STALL_SECONDS", 0.3)
    path = tmp_path / "a.wav"
    sf.write(str(path), np.zeros(5 * RATE, np.float32), RATE)
    out = QuickOutput()
    bar = PlayerBar(stream_factory=out)
    qtbot.addWidget(bar)
    seen = []
    try:
        for n in range(3):  # Play, then Next twice
            bar.play_track(n + 1, str(path), "Song", length_seconds=5.0)
            for _ in range(30):  # 0.6 s: twice STALL_SECONDS
                if out.cards and out.cards[-1].active:
                    out.cards[-1].pull()  # a working device pulls sound once started
                bar._poll()
                seen.append(bar.position_label.text())
                qtbot.wait(20)
            assert out.cards[-1].active
        assert DEVICE_WAIT not in seen
    finally:
        bar.shutdown()
