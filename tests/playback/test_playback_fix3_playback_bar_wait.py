"""The bar's "waiting" place (f65f63a) while a start lags (a headset waking):

- a drag of the position handle showed no time, only the waiting words: the dragged time is
  where the track goes on from once let go, so a drag shows it, as it did before;
- the full sentence (183 px) widened the bar's least width from about 600 to 758 px (the
  window grew at large fonts): the place says a short "waiting…", the sentence is its tooltip.
"""

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


def test_a_waiting_bar_keeps_its_width_and_shows_a_dragged_time(qtbot, tmp_path, monkeypatch):
    from musicsage.gui.player import DEVICE_WAIT, PlayerBar

    monkeypatch.setattr(claims, "STALL_SECONDS", 0.3)
    Waking.awake = threading.Event()
    path = tmp_path / "a.wav"
    sf.write(str(path), np.zeros(60 * RATE, np.float32), RATE)
    out = WakingOutput()
    bar = PlayerBar(stream_factory=out)
    qtbot.addWidget(bar)
    bar.show()
    try:
        bar.position_label.setText("12:34")  # the widest place a usual track shows
        usual = bar.minimumSizeHint().width()
        bar.play_track(1, str(path), "Song", length_seconds=60.0)

        def shown() -> str:
            bar._poll()  # what the bar's timer does
            return bar.position_label.text()

        qtbot.waitUntil(lambda: shown() == DEVICE_WAIT, timeout=5_000)
        assert "waiting for the sound device" in bar.position_label.toolTip()
        assert bar.minimumSizeHint().width() <= usual + 30  # it was 148 px wider
        bar.slider.setSliderDown(True)
        bar.slider.setValue(30_000)
        assert shown() == "0:30"  # the waiting words hid the dragged time
        bar.slider.setSliderDown(False)
        assert shown() == DEVICE_WAIT
        Waking.awake.set()
        qtbot.waitUntil(lambda: out.cards[0].active, timeout=5_000)
        out.cards[0].pull()  # the device answers and pulls sound
        qtbot.waitUntil(lambda: shown() != DEVICE_WAIT, timeout=5_000)  # the place again
        assert bar.position_label.toolTip() == ""
    finally:
        Waking.awake.set()
        bar.shutdown()
