"""The sound device lost, and Play pressed while it is still missing: the bar keeps the place
(0:20 / 1:10) and a click on the slider moves it, but the arrow keys (Alt+Left/Right, the
slider's arrows) did nothing: they asked for the length in frames, 0 with no output open."""

from __future__ import annotations

from gui_support import unpluggable_output, write_tone


def test_seek_forward_moves_the_place_while_the_device_is_missing(qtbot, tmp_path,
                                                                  fake_streams):
    from musicsage.gui.player import PlayerBar

    write_tone(tmp_path / "long.wav", seconds=70.0, sr=8000, channels=1)
    factory, device = unpluggable_output(fake_streams)
    bar = PlayerBar(stream_factory=factory)
    qtbot.addWidget(bar)
    bar.play_track(1, str(tmp_path / "long.wav"), "Long")
    # the stream started too (its start runs on a thread of its own, after "playing"): a start
    # coming after the unplugging below would mark the pulled stream active again
    qtbot.waitUntil(lambda: bar.engine.state == "playing" and fake_streams.made[0].active,
                    timeout=30_000)
    bar.seek_seconds(20.0)
    device["present"], fake_streams.made[0].active = False, False  # headphones pulled
    qtbot.waitUntil(lambda: bar.engine.state == "error", timeout=30_000)
    loads = bar.engine.generation
    bar.toggle()  # Play: the new stream cannot open either
    qtbot.waitUntil(lambda: bar.engine.generation > loads and bar.engine.state == "error",
                    timeout=30_000)
    assert (bar.engine.position_seconds, bar.engine.duration_seconds) == (20.0, 70.0)
    bar.seek_forward_action.trigger()
    assert bar.engine.position_seconds == 25.0, "5 s on, as a click there would"
    bar.seek_back_action.trigger()
    bar.seek_back_action.trigger()
    assert bar.engine.position_seconds == 15.0
    bar.shutdown()
