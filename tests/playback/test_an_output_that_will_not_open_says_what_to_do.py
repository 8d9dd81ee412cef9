"""The sound device would not open (none connected, or another program holds it alone, as an
ALSA card without a sound server is held by the first player): the line said only PortAudio's
"Error querying device -1". It now says what to do, as a lost output's line does."""

from __future__ import annotations

import pytest

from musicsage.playback import PlaybackUnavailable, output


def test_the_line_names_portaudios_reason_and_what_to_do(monkeypatch):
    try:
        import sounddevice as sd
    except (ImportError, OSError) as e:  # no PortAudio library: no stream to refuse
        pytest.skip(f"sounddevice cannot load: {e}")

    def refused(**_kwargs):
        raise sd.PortAudioError("Error querying device -1")

    monkeypatch.setattr(sd, "OutputStream", refused)
    monkeypatch.setattr(output, "_rescan", False)
    with pytest.raises(PlaybackUnavailable) as refusal:
        output.sounddevice_stream(44100, 2, lambda *args: None)
    assert str(refusal.value) == (
        "cannot open the audio output at 44100 Hz (Error querying device -1): connect a sound "
        "device or close the program holding it, then press Play")
