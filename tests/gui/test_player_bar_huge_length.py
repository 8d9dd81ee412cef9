"""A track whose header gives an absurd length (2**45 frames: a damaged header, or libsndfile's
"not known"): the player bar's slider holds a C int, and setting its maximum raised
OverflowError on every poll, so the position and length labels froze at 0:00."""

from __future__ import annotations

from itertools import repeat

import numpy as np

from musicsage.gui.player import PlayerBar
from musicsage.playback import Header, PlaybackEngine


def test_the_bar_polls_a_track_longer_than_its_slider_holds(qtbot, tmp_path, fake_streams):
    def decoder(path, start=0):
        return Header(8000, 1, 2**45), repeat(np.full((8000, 1), 0.1, np.float32))

    bar = PlayerBar(stream_factory=fake_streams)
    qtbot.addWidget(bar)
    bar.engine = PlaybackEngine(stream_factory=fake_streams, decoder=decoder)
    bar.play_track(1, str(tmp_path / "long.flac"), "Long")
    qtbot.waitUntil(lambda: bar.engine.state == "playing", timeout=30000)
    bar.engine.seek(8000 * 3600 * 24 * 30)  # a month in: past what the slider holds
    bar._poll()
    assert bar.slider.maximum() == bar.slider.value() > 0
    assert bar.position_label.text() == "720:00:00"
    bar.shutdown()
