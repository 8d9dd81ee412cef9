"""What the engine does with the sound card around the music itself: a surround file on a
stereo card, the output after a track ends and on Stop, the device re-scan after a lost output,
and where a damaged file's good audio ends after a seek past the damage.

Each was a report: a 5.1 FLAC stopped the queue as a failed sound card; a finished track kept
its stream running silence and Stop never closed it; the re-scan freed a stream still being
stopped; a seek past the damage said the good audio ended at the seek's target.
"""

from __future__ import annotations

import sys
import threading
import time

import numpy as np
import playback_support
import pytest
import soundfile as sf
from playback_support import quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.playback import DamagedAudio, Header, PlaybackEngine, PlaybackUnavailable, output
from musicsage.playback.downmix import stereo_matrix

RATE = 8000
BLOCK = 4096


pytestmark = pytest.mark.usefixtures("quick_worker")


class Card(playback_support.Card):
    """A sound card the test pulls by hand that never starts again once closed, and hands the
    engine NaN to fill: a frame the engine leaves unwritten shows in what is pulled."""

    def start(self) -> None:
        assert not self.closed
        super().start()

    def pull(self, frames: int = 512) -> np.ndarray:
        out = np.full((frames, self.channels), np.nan, np.float32)
        self.callback(out, frames, None, None)
        return out


def cards(takes=lambda channels: True):
    """A stream factory of :class:`Card` (``.made``) refusing what ``takes`` does not, in the
    words ``sounddevice_stream`` gives PortAudio's refusal."""
    made = []

    def factory(rate, channels, callback):
        if not takes(channels):
            raise PlaybackUnavailable(f"cannot open the audio output at {rate} Hz: Error "
                                      "opening OutputStream: Invalid number of channels")
        made.append(Card(rate, channels, callback))
        return made[-1]

    factory.made = made
    return factory


def playing(eng: PlaybackEngine, path) -> None:
    eng.load(str(path), autoplay=True)
    wait_for(lambda: eng.state == "playing" and eng.decoded_frames > 2048)


# -- a surround file on a stereo card ------------------------------------------------------------

def test_a_5_1_flac_plays_mixed_down_on_a_stereo_card(tmp_path):
    levels = [0.1, 0.2, 0.3, 0.9, 0.05, 0.15]  # FL FR FC LFE BL BR
    path = tmp_path / "surround 5.1.flac"
    sf.write(path, np.tile(np.float32(levels), (RATE, 1)), RATE, subtype="PCM_24")
    make = cards(takes=lambda channels: channels <= 2)
    eng = PlaybackEngine(stream_factory=make)
    playing(eng, path)
    assert eng.error == "" and [c.channels for c in make.made] == [2]
    got = make.made[0].pull(256)
    scale = 1 + 2 * 0.7071  # the front, the centre and the surround of one side at full scale
    want = [(0.1 + 0.7071 * (0.3 + 0.05)) / scale, (0.2 + 0.7071 * (0.3 + 0.15)) / scale]
    np.testing.assert_allclose(got, np.tile(want, (256, 1)), atol=1e-4)  # the LFE left out
    eng.close()


def test_the_ogg_channel_order_puts_the_centre_in_the_middle():
    """Vorbis orders 5.1 FL FC FR BL BR LFE: its second channel is the centre."""
    matrix = stereo_matrix(6, vorbis_order=True)
    assert matrix[1, 0] == matrix[1, 1] > 0 and not matrix[5].any()
    assert matrix[2, 0] == 0 < matrix[2, 1]


def test_a_mono_file_on_a_card_that_opens_only_in_stereo_plays_on_both(tmp_path):
    """The output refused one channel: that was a "device" error, the queue stopped."""
    path = tmp_path / "mono.wav"
    sf.write(path, np.linspace(-0.5, 0.5, RATE).astype(np.float32), RATE, subtype="FLOAT")
    make = cards(takes=lambda channels: channels == 2)
    eng = PlaybackEngine(stream_factory=make)
    playing(eng, path)
    got = make.made[0].pull(300)
    np.testing.assert_allclose(got[:, 0], np.linspace(-0.5, 0.5, RATE)[:300], atol=1e-6)
    np.testing.assert_array_equal(got[:, 0], got[:, 1])
    eng.close()


# -- the output after the end, and on Stop ---------------------------------------------------------

def test_the_stream_stops_at_the_end_and_stop_closes_it(tmp_path):
    path = tmp_path / "short.wav"
    sf.write(path, np.full(RATE // 2, 0.25, np.float32), RATE)
    make = cards()
    eng = PlaybackEngine(stream_factory=make)
    playing(eng, path)
    card = make.made[0]
    while eng.state == "playing":
        card.pull(1000)
    assert eng.state == "ended"
    wait_for(lambda: not card.active)  # no silence played on until Stop
    assert not card.closed
    eng.play()  # Play after the end: the track again, on the same stream
    assert eng.state == "playing" and eng.position == 0
    wait_for(lambda: card.active)  # started on a thread of its own (claims.py)
    eng.stop()
    wait_for(lambda: card.closed)  # closed on a thread of its own (claims.py)
    assert eng.state == "stopped", "a stopped player holds no sound device"
    eng.play()  # Play after Stop: a new stream, from the start
    wait_for(lambda: eng.state == "playing" and len(make.made) == 2 and make.made[1].active)
    assert eng.position == 0 and make.made[1].pull(100).any()
    eng.close()


# -- the device re-scan after a lost output --------------------------------------------------------

class SlowToStopPortAudio:
    """sounddevice, as far as the engine uses it: a lost stream's stop() waits for the test
    (PortAudio waiting on a device that went away); ``calls`` in order."""

    PortAudioError = RuntimeError

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.made: list[Card] = []
        self.let_stop_return = threading.Event()

    def OutputStream(self, samplerate, channels, dtype, callback):  # noqa: N802 (its name)
        port, name = self, f"s{len(self.made) + 1}"

        class Stream(Card):
            lost = False

            def stop(self) -> None:
                if self.lost:
                    assert port.let_stop_return.wait(5)
                port.calls.append(f"stop {name}")
                super().stop()

            def close(self) -> None:
                port.calls.append(f"close {name}")
                super().close()

        self.calls.append(f"open {name}")
        self.made.append(Stream(samplerate, channels, callback))
        return self.made[-1]

    def _terminate(self) -> None:  # frees every open stream: a stop() or close() after it crashes
        self.calls.append("terminate")

    def _initialize(self) -> None:
        self.calls.append("initialize")


def tone(seconds: float = 60.0):
    frames = round(seconds * RATE)

    def decoder(path: str, start: int = 0):
        def blocks():
            for at in range(start, frames, BLOCK):
                yield np.full((min(BLOCK, frames - at), 2), 0.25, np.float32)

        return Header(RATE, 2, frames), blocks()

    return decoder


def test_play_after_a_lost_output_rescans_only_once_the_lost_stream_is_closed(monkeypatch):
    port = SlowToStopPortAudio()
    monkeypatch.setitem(sys.modules, "sounddevice", port)
    monkeypatch.setattr(output, "RESCAN_WAIT_SECONDS", 5.0)
    eng = PlaybackEngine(decoder=tone())
    eng.load("a.flac", autoplay=True)
    wait_for(lambda: eng.state == "playing" and port.made and port.made[0].active)
    lost = port.made[0]
    lost.pull()
    lost.lost, lost.active = True, False  # the device went away: PortAudio ended the stream
    wait_for(lambda: eng.state == "error")
    assert eng.error_kind == "device"
    eng.play()  # at once: the lost stream's stop() has not returned
    time.sleep(0.1)
    assert port.calls == ["open s1"], "no re-scan while the lost stream is open"
    port.let_stop_return.set()
    wait_for(lambda: eng.state == "playing" and len(port.made) == 2 and port.made[1].active)
    assert port.calls == ["open s1", "stop s1", "close s1", "terminate", "initialize", "open s2"]
    eng.close()


# -- a seek past the damage ------------------------------------------------------------------------

def damaged_at(good_seconds: float, header_seconds: float):
    """A decoder whose audio is good up to ``good_seconds``, then damaged."""
    good, frames = round(good_seconds * RATE), round(header_seconds * RATE)

    def decoder(path: str, start: int = 0):
        def blocks():
            for at in range(start, good, BLOCK):
                yield np.full((min(BLOCK, good - at), 2), 0.25, np.float32)
            raise DamagedAudio(f"{path}: damaged audio data")

        return Header(RATE, 2, frames), blocks()

    return decoder


def test_a_seek_past_the_damage_says_where_the_good_audio_was_known_to_end():
    """It said "past 1:40" (the seek's target) and made that the track's length; then "past
    0:30", though the audio is good up to 1:00: where before the target is not known."""
    make = cards()
    eng = PlaybackEngine(stream_factory=make, decoder=damaged_at(60.0, 120.0))
    eng.load("half.flac", autoplay=True)
    wait_for(lambda: eng.state == "playing" and eng.decoded_frames >= 30 * RATE)
    eng.seek_seconds(100.0)
    wait_for(lambda: eng.note != "")
    assert eng.note == "cannot play half.flac from 1:40: damaged audio data"
    assert eng.duration_seconds == 120.0
    make.made[0].pull()  # playing there: the end of what can play
    assert eng.state == "error" and eng.error_kind == "file" and eng.error == eng.note
    wait_for(lambda: not make.made[0].active)
    eng.close()
