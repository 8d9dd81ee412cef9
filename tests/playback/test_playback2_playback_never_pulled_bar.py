"""The player bar on a device that takes start() yet never pulls a sample (a suspended sink):
it said "waiting…" for as long as that lasted. Past ``UNHEARD_SECONDS`` it reports a device
failure in one line (the queue's notice comes from it), the place shows a time again, and
Play plays the track on a new stream.

The engine's clock is the test's own (test_stall's), stepped by hand: "waiting…" lasts until
the test passes the 10 s, so a slow run's late look or pull never meets the deadline."""

from __future__ import annotations

from functools import partial

import numpy as np
import soundfile as sf
from playback_support import Output, quick_worker  # noqa: F401 - a fixture
from test_stall import Clock

from musicsage.playback import PlaybackEngine, claims

RATE = 8000


def test_the_bar_tells_a_device_never_heard_and_play_then_plays(qtbot, tmp_path, monkeypatch,
                                                                 quick_worker):
    from musicsage.gui import player
    from musicsage.gui.player import DEVICE_WAIT, PlayerBar

    monkeypatch.setattr(claims, "STALL_SECONDS", 0.2)  # "waiting…" after 0.2 s, not 3
    clock = Clock()
    monkeypatch.setattr(player, "PlaybackEngine", partial(PlaybackEngine, clock=clock))
    path = tmp_path / "a.wav"
    sf.write(str(path), np.full(20 * RATE, 0.25, np.float32), RATE)
    out = Output()  # its cards start, and are pulled only by hand
    bar = PlayerBar(stream_factory=out)
    qtbot.addWidget(bar)
    failures: list[tuple[str, str]] = []
    bar.failed.connect(lambda kind, line: failures.append((kind, str(line))))
    try:
        bar.play_track(1, str(path), "Song", length_seconds=20.0)

        def shown() -> str:
            bar._poll()  # what the bar's timer does
            return bar.position_label.text()

        qtbot.waitUntil(lambda: shown() == DEVICE_WAIT and bar.engine._stream_live,
                        timeout=5_000)
        assert clock.looked()  # the worker saw the card started
        clock.pass_time(claims.UNHEARD_SECONDS - 0.5)
        assert shown() == DEVICE_WAIT and not failures  # still waiting just short of 10 s
        clock.advance(0.5)
        # it said "waiting…" for ever
        qtbot.waitUntil(lambda: bar._poll() or bool(failures), timeout=5_000)
        assert failures == [("device", failures[0][1])]
        assert failures[0][1].startswith("audio output stalled (the sound device took no sound")
        assert shown() == "0:00" and bar.title_label.text() == "Song"
        assert bar.play_button.isEnabled()
        bar.toggle()  # Play: the same track again, on a new stream
        qtbot.waitUntil(lambda: len(out.cards) == 2 and out.cards[1].active, timeout=5_000)
        out.cards[1].pull(RATE)
        assert shown() == "0:01" and bar.engine.state == "playing"
    finally:
        bar.shutdown()
