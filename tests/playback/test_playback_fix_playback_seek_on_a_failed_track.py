"""The seek keys on a track that could not be opened (deleted between queueing and Play). The
bar showed 0:00, yet each Alt+Right moved the engine's place on (15 s after three): a
queue's first entry then had Previous on, as if it were late in a track that plays, and a
Previous press restarted nothing. They now move nothing while no track is loaded."""

from __future__ import annotations

from playback_support import Output


def test_seek_keys_leave_a_track_that_failed_to_open_at_0(qtbot, tmp_path):
    from musicsage.gui.player import PlayerBar

    bar = PlayerBar(stream_factory=Output())
    qtbot.addWidget(bar)
    bar.set_queue_steps(False, True, active=True)  # the queue's first entry: none before it
    bar.play_track(1, str(tmp_path / "gone.flac"), "Gone", "Artist", length_seconds=225.0)
    qtbot.waitUntil(lambda: bar.engine.state == "error", timeout=10_000)
    bar._poll()
    for _ in range(3):
        bar.seek_forward_action.trigger()
    bar._poll()
    assert bar.position_label.text() == "0:00"
    assert bar.engine.position_seconds == 0
    assert not bar.previous_action.isEnabled(), "nothing before it, and nothing to restart"
    bar.shutdown()
