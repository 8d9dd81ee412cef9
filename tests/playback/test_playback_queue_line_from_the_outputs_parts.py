"""The queue's line when the audio output fails is worded from the parts playback gives it
(what failed, what to do), not by parsing the player's English line: it split that line at
its last ": " and looked for ", then press Play" at its end, so a reworded advice (one with a
colon, one not ending so) silently brought back two pieces of advice, one in brackets. The
parts must also cross the player bar's ``failed`` signal (a ``Signal(str, str)`` turned the
line into a plain str)."""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest
import soundfile as sf
from playback_support import Output, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.controllers.queue_output import output_failed_text
from musicsage.playback import PlaybackEngine, PlaybackUnavailable
from musicsage.playback.output import OutputFailure, PortAudioMissing, sounddevice_stream

RATE = 8000


def test_an_advice_with_a_colon_is_said_once_and_whole():
    line = OutputFailure("audio output lost (ALSA: device gone)",
                         "plug it back in: the same socket")
    assert line == ("audio output lost (ALSA: device gone): plug it back in: the same socket, "
                    "then press Play")
    assert output_failed_text(line) == (
        "Playback stopped: audio output lost (ALSA: device gone). The queue is kept: "
        "plug it back in: the same socket, then play a track from it.")


@pytest.mark.usefixtures("quick_worker")
def test_a_device_lost_under_the_player_bar_reaches_the_queue_with_its_advice(qtbot,
                                                                              tmp_path):
    from musicsage.gui.player import PlayerBar

    sf.write(str(tmp_path / "a.wav"), np.zeros(10 * RATE, np.float32), RATE)
    output = Output()
    bar = PlayerBar(stream_factory=output)
    qtbot.addWidget(bar)
    said: list = []
    bar.failed.connect(lambda kind, message: said.append((kind, message)))
    bar.play_track(1, str(tmp_path / "a.wav"), "A")
    wait_for(lambda: bar.engine.state == "playing" and output.cards[-1].active)
    output.cards[-1].active = False  # the headset unplugged
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    kind, message = said[0]
    assert kind == "device"
    assert output_failed_text(message) == (
        "Playback stopped: audio output lost (the sound device stopped). The queue is kept: "
        "reconnect it or switch the sound output, then play a track from it.")
    bar.shutdown()


def test_an_output_that_will_not_open_gives_its_parts(monkeypatch, tmp_path):
    """The real stream's refusal (PortAudio's error), as the engine reports it."""
    def refuse(**kw):
        raise RuntimeError("Error opening OutputStream: Device unavailable [PaErrorCode -9985]")

    monkeypatch.setitem(sys.modules, "sounddevice", types.SimpleNamespace(OutputStream=refuse))
    sf.write(str(tmp_path / "a.wav"), np.zeros(RATE, np.float32), RATE)
    eng = PlaybackEngine(stream_factory=sounddevice_stream)
    eng.load(tmp_path / "a.wav", autoplay=True)
    wait_for(lambda: eng.state == "error")
    assert eng.error_kind == "device"
    assert output_failed_text(eng.error) == (
        "Playback stopped: cannot open the audio output at 8000 Hz (Error opening "
        "OutputStream: Device unavailable [PaErrorCode -9985]). The queue is kept: connect a "
        "sound device or close the program holding it, then play a track from it.")
    eng.close()


def test_a_missing_portaudio_is_not_tried_at_other_rates(tmp_path):
    tried = []

    def no_library(rate, channels, callback):
        tried.append((rate, channels))
        raise PortAudioMissing("PortAudio library missing: libportaudio.so.2")

    sf.write(str(tmp_path / "a.wav"), np.zeros(RATE, np.float32), RATE)
    eng = PlaybackEngine(stream_factory=no_library)
    eng.load(tmp_path / "a.wav", autoplay=True)
    wait_for(lambda: eng.state == "error")
    assert tried == [(RATE, 1)] and isinstance(PortAudioMissing(""), PlaybackUnavailable)
    assert eng.error == "PortAudio library missing: libportaudio.so.2"
    eng.close()
