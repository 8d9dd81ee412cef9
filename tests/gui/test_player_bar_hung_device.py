"""The player bar on a sound device that stopped taking audio (a Bluetooth headset gone):
Pause, Next and Stop froze the window on the device's stop(), for ever on a real device. Now
each returns at once, and Play afterwards plays."""

from __future__ import annotations

import threading

import numpy as np

from gui_support import write_tone


class HungCard:
    """A stream whose stop() waits for ``release`` once ``hung`` (PortAudio playing out what
    is queued, on a device that takes nothing); abort() returns at once."""

    def __init__(self, samplerate, channels, callback) -> None:
        self.channels, self.callback = channels, callback
        self.active = self.closed = self.hung = False
        self.waiting = self.waited = 0  # stop() calls waiting now, and that had to wait
        self.release = threading.Event()

    def start(self) -> None:
        assert not self.closed and not self.active
        self.active = True

    def stop(self) -> None:
        if self.hung:
            self.waiting += 1
            self.waited += 1
            self.release.wait(10)
            self.waiting -= 1
        self.active = False

    def abort(self) -> None:
        self.active = False

    def close(self) -> None:
        self.active, self.closed = False, True

    def pull(self, frames: int) -> np.ndarray:
        out = np.zeros((frames, self.channels), np.float32)
        self.callback(out, frames, None, None)
        return out


def test_pause_next_and_stop_never_wait_on_a_hung_device(qtbot, tmp_path):
    from musicsage.gui.player import PlayerBar

    write_tone(tmp_path / "a.wav")
    ref = write_tone(tmp_path / "b.wav", freq=660.0)
    made: list[HungCard] = []

    def factory(rate, channels, callback):
        made.append(HungCard(rate, channels, callback))
        return made[-1]

    bar = PlayerBar(stream_factory=factory)
    qtbot.addWidget(bar)
    bar.play_track(1, str(tmp_path / "a.wav"), "A")
    qtbot.waitUntil(lambda: bar.engine.state == "playing" and made[0].active)
    made[0].pull(512)
    made[0].hung = True
    bar.toggle()  # Pause
    assert bar.engine.state == "paused"
    qtbot.waitUntil(lambda: not made[0].active)  # aborted on a thread of its own
    assert made[0].waited == 0
    bar.toggle()  # Play, on the same stream
    assert bar.engine.state == "playing"
    qtbot.waitUntil(lambda: made[0].active)

    bar.play_track(2, str(tmp_path / "b.wav"), "B")  # Next
    qtbot.waitUntil(lambda: made[0].closed)  # let go of: aborted, so its stop() never hangs
    assert made[0].waited == 0
    qtbot.waitUntil(lambda: bar.engine.state == "playing" and len(made) == 2 and made[1].active)
    np.testing.assert_allclose(made[1].pull(256), ref[:256] * bar.engine.volume, atol=1e-6)
    made[1].hung = True
    bar.stop()
    assert bar.engine.state == "stopped"
    qtbot.waitUntil(lambda: made[1].closed)
    assert made[1].waited == 0
    assert bar.play_button.accessibleName() == "Play"

    for card in made:
        card.release.set()
    qtbot.waitUntil(lambda: made[0].closed and made[1].closed)
    bar.shutdown()
    qtbot.waitUntil(lambda: not [t for t in threading.enumerate()
                                 if t.name.startswith("musicsage-output")])
