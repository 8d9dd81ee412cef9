"""A sound device that stopped taking audio, a file replaced while it plays, a seek past the
end of a cut file, a seek into an Ogg Vorbis file's last page, a folder named like a track.

Each was a report: Pause, Next and Stop froze the window on the device's stop() (for ever, on
a device that never plays out what is queued); a file re-encoded under the player made its
audio callback raise, and the app blamed the sound device and stopped the queue; a seek past
the cut of a truncated MP3 made the seek's target the track's length; libsndfile's seek into an
Ogg Vorbis file's last page landed 17 ms late; a folder named ``x.flac`` was "not found".
"""

from __future__ import annotations

import os
import threading
import time

import numpy as np
import pytest
import soundfile as sf

from musicsage.errors import MusicsageError
from musicsage.playback import Header, PlaybackEngine, default_decoder, output, soundfile_blocks
from musicsage.playback.oggtail import last_page_start

RATE = 8000
BLOCK = 4096


@pytest.fixture(autouse=True)
def _quick_worker(monkeypatch):
    """The worker looks every 10 ms; no re-scan is left over from another test."""
    from musicsage.playback import engine

    monkeypatch.setattr(engine, "WATCH_SECONDS", 0.01)
    monkeypatch.setattr(output, "_rescan", False)


def wait_for(cond, timeout: float = 30.0) -> None:
    t0 = time.monotonic()
    while not cond():
        assert time.monotonic() - t0 < timeout, "timed out"
        time.sleep(0.002)


class DeadDevice:
    """A stream whose device stops taking audio once ``hang()`` is called: from then on
    stop() waits to play out what is queued, which never happens (until ``release``, or 10 s
    here), as PortAudio's does on a Bluetooth headset gone; abort() does not wait."""

    def __init__(self, samplerate, channels, callback) -> None:
        self.channels, self.callback = channels, callback
        self.active = self.closed = self.hung = self.aborted = False
        self.waiting = 0  # stop() calls now waiting on the device
        self.release = threading.Event()

    def hang(self) -> None:
        self.hung = True

    def start(self) -> None:
        assert not self.closed and not self.active, "PortAudio refuses this"
        self.active = True

    def stop(self) -> None:
        if self.hung:
            self.waiting += 1
            self.release.wait(10)
            self.waiting -= 1
        self.active = False

    def abort(self) -> None:
        self.aborted, self.active = True, False

    def close(self) -> None:
        self.active, self.closed = False, True

    def pull(self, frames: int = 512) -> np.ndarray:
        out = np.full((frames, self.channels), np.nan, np.float32)
        self.callback(out, frames, None, None)
        return out


def dead_devices():
    made: list[DeadDevice] = []

    def factory(rate, channels, callback):
        made.append(DeadDevice(rate, channels, callback))
        return made[-1]

    factory.made = made
    return factory


def tone(path, seconds: float, rate: int = RATE, channels: int = 1) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    x = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    data = np.stack([x] * channels, 1) if channels > 1 else x
    sf.write(str(path), data, rate)
    return x


def output_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("musicsage-output")]


def test_pause_on_a_device_that_stopped_taking_audio_returns_and_play_goes_on(tmp_path):
    tone(tmp_path / "a.flac", 5)
    make = dead_devices()
    eng = PlaybackEngine(stream_factory=make)
    eng.load(tmp_path / "a.flac", autoplay=True)
    wait_for(lambda: eng.state == "playing" and make.made and make.made[0].active)
    card = make.made[0]
    card.pull()
    card.hang()
    eng.pause()  # it waited on stop() until the device played out (never)
    assert eng.state == "paused"
    wait_for(lambda: card.aborted and not card.active)  # on a thread of its own (claims.py)
    assert (card.active, card.waiting) == (False, 0)
    at = eng.position
    eng.play()
    assert eng.state == "playing"
    wait_for(lambda: card.active)
    assert len(make.made) == 1
    card.pull(100)
    assert eng.position == at + 100
    eng.close()
    card.release.set()
    wait_for(lambda: card.closed and not output_threads())


def test_next_and_stop_on_a_hung_device_return_at_once_and_play_on_a_new_stream(tmp_path):
    tone(tmp_path / "a.flac", 5)
    ref = tone(tmp_path / "b.flac", 5)
    make = dead_devices()
    eng = PlaybackEngine(stream_factory=make)
    eng.load(tmp_path / "a.flac", autoplay=True)
    wait_for(lambda: eng.state == "playing" and make.made and make.made[0].active)
    first = make.made[0]
    first.pull()
    first.hang()
    eng.load(tmp_path / "b.flac", autoplay=True)  # Next: it waited on the old stream's stop()
    wait_for(lambda: first.closed)  # aborted: nothing of the track let go of plays out
    assert first.aborted and first.waiting == 0
    wait_for(lambda: eng.state == "playing" and len(make.made) == 2 and make.made[1].active)
    second = make.made[1]
    assert not first.pull(64).any(), "the stream let go of plays silence"
    np.testing.assert_allclose(second.pull(500)[:, 0], ref[:500], atol=1e-4)

    second.hang()
    eng.stop()  # Stop closes the output: it waited on stop() too
    assert eng.state == "stopped" and second.waiting == 0
    eng.play()  # a new stream, from the start
    wait_for(lambda: eng.state == "playing" and len(make.made) == 3 and make.made[2].active)
    np.testing.assert_allclose(make.made[2].pull(500)[:, 0], ref[:500], atol=1e-4)

    wait_for(lambda: first.closed and second.closed)
    eng.close()
    wait_for(lambda: make.made[2].closed and not output_threads() and output._abandoned == 0)


class DeadToAbort(DeadDevice):
    """A device that no longer answers at all once hung: abort() waits too."""

    def abort(self) -> None:
        if self.hung:
            self.waiting += 1
            self.release.wait(10)
            self.waiting -= 1
        super().abort()


def test_streams_let_go_of_on_a_hung_device_are_closed_so_the_devices_are_re_scanned(
        tmp_path):
    """Next, Stop and closing stopped the stream let go of with stop(), which a hung device
    never returns from: it was never closed, so after an output failure the device re-scan
    was always skipped, and a headset plugged in again was not found until a restart."""
    tone(tmp_path / "a.flac", 5)
    make = dead_devices()
    eng = PlaybackEngine(stream_factory=make)
    eng.load(tmp_path / "a.flac", autoplay=True)
    for n, leave in enumerate((lambda: eng.load(tmp_path / "a.flac", autoplay=True),  # Next
                               eng.stop, eng.close)):
        if leave == eng.close:
            eng.play()  # after Stop: a new stream
        wait_for(lambda: eng.state == "playing" and len(make.made) == n + 1
                 and make.made[n].active)
        make.made[n].pull()
        make.made[n].hang()
        leave()
        wait_for(lambda: make.made[n].closed and output._abandoned == 0)
    assert [card.waiting for card in make.made] == [0, 0, 0]
    assert all(card.aborted for card in make.made)
    assert (eng.state, eng.error) == ("empty", "")
    output.output_failed()  # the next open re-scans at once: no stream is left open
    with output._open_lock:
        assert output._all_closed.wait_for(lambda: output._abandoned == 0, 0)


def test_a_start_behind_a_hung_pause_gives_up_with_a_device_error(tmp_path, monkeypatch):
    """A Pause whose abort() never returns held the stream control, and the next track's
    start waited on it for ever: "playing" at 0:00, no error. It now gives up and says so."""
    from musicsage.playback import claims

    monkeypatch.setattr(claims, "CONTROL_WAIT_SECONDS", 0.2)
    tone(tmp_path / "a.flac", 5)
    ref = tone(tmp_path / "b.flac", 5)
    made: list[DeadToAbort] = []
    eng = PlaybackEngine(stream_factory=lambda *a: made.append(DeadToAbort(*a)) or made[-1])
    eng.load(tmp_path / "a.flac", autoplay=True)
    wait_for(lambda: eng.state == "playing" and made and made[0].active)
    made[0].pull()
    made[0].hang()
    eng.pause()  # its abort() waits on the device, on a thread of its own
    assert eng.state == "paused"
    wait_for(lambda: made[0].waiting == 1)  # that thread holds the stream control now
    eng.load(tmp_path / "b.flac", autoplay=True)  # Next
    wait_for(lambda: eng.state == "error")
    assert eng.error_kind == "device" and eng.error.startswith(
        "cannot start the audio output (the sound device does not answer): reconnect it")
    made[0].release.set()  # the device answers again: Play goes on, on a new stream
    eng.play()
    wait_for(lambda: eng.state == "playing" and made[-1].active)
    np.testing.assert_allclose(made[-1].pull(500)[:, 0], ref[:500], atol=1e-4)
    eng.close()
    wait_for(lambda: all(card.closed for card in made) and output._abandoned == 0)


@pytest.mark.parametrize("rate, channels", [(RATE, 2), (11025, 1)], ids=["stereo", "rate"])
def test_a_file_replaced_while_it_plays_is_a_file_error_not_a_lost_device(tmp_path, rate,
                                                                           channels):
    path = tmp_path / "song.flac"
    tone(path, 120)
    make = dead_devices()
    eng = PlaybackEngine(stream_factory=make)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "playing" and make.made and make.made[0].active)
    card = make.made[0]
    card.pull()
    tone(tmp_path / "new.flac", 120, rate, channels)  # re-encoded, renamed over it
    os.replace(tmp_path / "new.flac", path)
    eng.seek_seconds(100)  # outside what is decoded: the file is opened again
    wait_for(lambda: eng.state == "error")
    card.pull()  # it raised ValueError (stereo into a mono store): PortAudio aborted
    assert eng.error_kind == "file", "a queue goes on to the next track"
    assert eng.error == ("cannot play song.flac: the file changed on disk while playing; "
                         "start it again to play it as it is now")
    wait_for(lambda: card.closed)


def cut_short(header_seconds: float, good_seconds: float):
    """A decoder like libsndfile's on a cut MP3: the header tells the whole length, the audio
    ends early without an error, a seek past it gives nothing."""
    good = round(good_seconds * RATE)

    def decoder(path: str, start: int = 0):
        def blocks():
            for at in range(start, good, BLOCK):
                yield np.full((min(BLOCK, good - at), 1), 0.25, np.float32)

        return Header(RATE, 1, round(header_seconds * RATE)), blocks()

    return decoder


def test_a_seek_past_the_cut_never_becomes_the_tracks_length():
    make = dead_devices()
    eng = PlaybackEngine(stream_factory=make, decoder=cut_short(120.0, 60.0))
    eng.load("cut.mp3", autoplay=True)
    wait_for(lambda: eng.state == "playing" and eng.decoded_frames >= 30 * RATE)
    eng.seek_seconds(90.0)
    wait_for(lambda: eng.decoding_complete)
    assert eng.duration_seconds == 120.0  # it read 1:30
    make.made[0].pull()
    assert eng.state == "ended" and eng.position_seconds == 90.0
    eng.close()


def test_a_seek_into_an_ogg_vorbis_files_last_page_is_exact(tmp_path):
    path = str(tmp_path / "t.ogg")
    rng = np.random.default_rng(1)
    sf.write(path, (0.2 * rng.standard_normal((44100 * 4, 2))).astype(np.float32), 44100,
             format="OGG", subtype="VORBIS")
    ref, _ = sf.read(path, dtype="float32", always_2d=True)  # a decode from the start
    page = last_page_start(path)
    assert 0 < page < len(ref) - 2000
    for start in (page - 100, page + 1500, len(ref) - 1000, len(ref) - 10):
        header, blocks = soundfile_blocks(path, start)
        got = np.concatenate(list(blocks))
        assert len(got) == len(ref) - start
        np.testing.assert_array_equal(got, ref[start:], err_msg=f"seek to {start}")


def test_a_folder_named_like_a_track_is_not_a_file(tmp_path):
    (tmp_path / "x.flac").mkdir()
    with pytest.raises(MusicsageError, match=r"^not a file: .*x\.flac"):
        default_decoder(str(tmp_path / "x.flac"))
    with pytest.raises(MusicsageError, match=r"^file not found: .*y\.flac"):
        default_decoder(str(tmp_path / "y.flac"))
