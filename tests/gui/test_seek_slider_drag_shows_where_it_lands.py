"""While the seek slider's handle is dragged, the position label says where the track will go
on from when it is let go: it went on counting the time playing, and the handle's place could
only be guessed (3:12 or 3:21 of a 4-minute song?); let go, the track plays from there."""

from __future__ import annotations

from gui_support import write_tone

from musicsage.gui.player import PlayerBar


def test_dragging_the_handle_shows_its_time_then_seeks_there(qtbot, tmp_path, fake_streams):
    write_tone(tmp_path / "song.wav", seconds=20.0)
    bar = PlayerBar(stream_factory=fake_streams)
    qtbot.addWidget(bar)
    bar.play_track(1, str(tmp_path / "song.wav"), "Song")
    qtbot.waitUntil(lambda: bar.engine.state == "playing", timeout=30000)
    bar._poll()
    assert (bar.position_label.text(), bar.duration_label.text()) == ("0:00", "0:20")

    bar.slider.setSliderDown(True)  # as a press on the handle does
    bar.slider.setSliderPosition(13_500)  # dragged to 13.5 s
    bar._poll()
    assert bar.position_label.text() == "0:13", "the time where the handle is"
    assert bar.engine.position_seconds < 1, "nothing seeks before it is let go"

    bar.slider.setSliderDown(False)  # let go: the seek
    assert bar.engine.position_seconds == 13.5
    assert bar.position_label.text() == "0:13"
    bar.shutdown()
