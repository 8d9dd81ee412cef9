"""The window checks the audio output in the background as it opens; meanwhile the player bar
reads "Playback unavailable" ("checking the audio output…" in its tooltip). Once the check
finds sound, the bar says "Nothing playing": it kept "Playback unavailable" until a track was
played, on every machine that can play sound."""

from __future__ import annotations

from musicsage.gui.player import NOTHING_PLAYING, PlayerBar


def test_the_bar_reads_nothing_playing_once_the_check_finds_sound(qtbot):
    bar = PlayerBar()  # as the window makes it: no output known until the check answers
    qtbot.addWidget(bar)
    assert bar.title_label.text() == "Playback unavailable"
    bar.set_availability(None)  # the check found an output
    assert bar.title_label.text() == NOTHING_PLAYING
    assert "checking" not in bar.title_label.toolTip()
    assert bar.toolTip() == ""
    bar.shutdown()


def test_the_window_says_nothing_playing_after_a_check_that_finds_sound(
        qtbot, make_window, library, monkeypatch):
    monkeypatch.setattr("musicsage.gui.main_window.probe_output", lambda: None)
    w = make_window(library, probe_audio=True)
    qtbot.waitUntil(lambda: w.player.available)
    assert w.player.title_label.text() == NOTHING_PLAYING
    assert "checking" not in w.player.title_label.toolTip()


def test_a_check_that_finds_no_sound_still_says_playback_unavailable(qtbot):
    bar = PlayerBar()
    qtbot.addWidget(bar)
    reason = "playback disabled: no audio output device found (Error querying device -1)"
    bar.set_availability(reason)
    assert bar.title_label.text() == "Playback unavailable"
    assert bar.title_label.toolTip() == reason
    bar.shutdown()
