"""A track that could not be opened (deleted between queueing and Play) is not playing: the
bar says "Nothing playing", yet it showed 0:00 / 3:45 (the library's length) with a live
slider, and Alt+Right moved that place to 0:05 — the time of a track that does not play."""

from __future__ import annotations

import numpy as np
import soundfile as sf
from playback_support import Output

RATE = 8000


def _poll_until(qtbot, bar, state: str) -> None:
    qtbot.waitUntil(lambda: bar.engine.state == state, timeout=10_000)
    bar._poll()  # what the bar's timer does next


def test_a_track_that_would_not_open_shows_no_time_and_no_seek_moves_it(qtbot, tmp_path):
    from musicsage.gui.player import PlayerBar

    bar = PlayerBar(stream_factory=Output())
    qtbot.addWidget(bar)
    bar.play_track(1, str(tmp_path / "gone.flac"), "Gone", "Artist", length_seconds=225.0)
    _poll_until(qtbot, bar, "error")
    assert bar.title_label.text() == "Nothing playing"
    assert (bar.position_label.text(), bar.duration_label.text()) == ("0:00", "0:00")
    assert bar.slider.maximum() == 0, "no place to click in a track that does not play"
    bar.seek_forward_action.trigger()
    bar._poll()
    assert bar.position_label.text() == "0:00"

    sf.write(str(tmp_path / "ok.wav"), np.zeros(3 * RATE, np.float32), RATE)
    bar.play_track(2, str(tmp_path / "ok.wav"), "Ok", length_seconds=3.0)
    _poll_until(qtbot, bar, "playing")
    assert bar.duration_label.text() == "0:03", "a track that plays shows its length"
    bar.shutdown()
