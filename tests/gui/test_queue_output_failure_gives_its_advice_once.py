"""A queue stopped because the audio output cannot open says what to do once. The output's
line ends with its own advice ("connect a sound device or close the program holding it, then
press Play"); the queue wrapped that whole line in brackets and added its own ("play a track
from it once the sound works again"): two pieces of advice, the first half-hidden in brackets.
The output here is the real one (:func:`~musicsage.playback.output.sounddevice_stream`) with
PortAudio's open made to fail, so its words are the ones a user reads."""

from __future__ import annotations

import pytest


@pytest.fixture
def output_that_fails(fake_streams, monkeypatch):
    """``(factory, device)``: fake streams while ``device["present"]``, then the real output
    whose PortAudio open fails as with no sound device (the re-scan of devices a no-op)."""
    import sounddevice as sd

    from musicsage.playback.output import sounddevice_stream

    def refused(*_args, **_kwargs):
        raise sd.PortAudioError("Error querying device -1")

    monkeypatch.setattr(sd, "OutputStream", refused)
    monkeypatch.setattr(sd, "_terminate", lambda: None)
    monkeypatch.setattr(sd, "_initialize", lambda: None)
    device = {"present": True}

    def factory(samplerate, channels, callback):
        if device["present"]:
            return fake_streams(samplerate, channels, callback)
        return sounddevice_stream(samplerate, channels, callback)

    return factory, device


def test_the_queues_line_gives_the_outputs_advice_once(qtbot, make_window, library,
                                                       output_that_fails):
    factory, device = output_that_fails
    w = make_window(library, stream_factory=factory)
    ids = [t.id for t in w.app.library.snapshot.tracks[:3]]
    w.app.queue.play_list(ids, "Region")
    qtbot.waitUntil(lambda: w.player.engine.state == "playing", timeout=30_000)
    before = len(w.app.notifications)
    device["present"] = False
    w.player.next_requested.emit()
    qtbot.waitUntil(lambda: w.player.engine.state == "error", timeout=30_000)
    qtbot.wait(200)
    said = [text for _level, text in w.app.notifications[before:]]
    assert len(said) == 1, said
    line = said[0]
    assert line.startswith("Playback stopped: cannot open the audio output at ")
    assert "(Error querying device -1)" in line and "\n" not in line
    assert line.count("connect a sound device") == 1 and "press Play" not in line
    assert line.endswith("The queue is kept: connect a sound device or close the program "
                         "holding it, then play a track from it.")
    assert "sound works again" not in line and "((" not in line and "))" not in line
    assert w.statusBar().currentMessage() == line
