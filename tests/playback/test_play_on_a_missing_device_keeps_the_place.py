"""The sound device lost while a track plays, and Play pressed while it is still missing
(Play loads the track again on a new stream, which cannot open): the player keeps where the
track stopped. It showed 0:00 / 0:00 after that failed Play, and once the device was back Play
started the track over from its start."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from playback_support import Card, Output, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.playback import PlaybackEngine

RATE = 8000


pytestmark = pytest.mark.usefixtures("quick_worker")


def test_play_while_the_device_is_still_missing_keeps_the_place_for_when_it_is_back(
        tmp_path):
    path = tmp_path / "song.flac"
    rng = np.random.default_rng(5)
    audio = (0.2 * rng.standard_normal(60 * RATE)).astype(np.float32)
    sf.write(str(path), audio, RATE, subtype="PCM_24")
    audio, _ = sf.read(str(path), dtype="float32")
    output = Output()
    eng = PlaybackEngine(stream_factory=output)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "playing" and output.cards and output.cards[0].active)
    eng.seek_seconds(20.0)
    wait_for(lambda: eng.decoded_frames >= 21 * RATE)
    output.cards[0].pull(RATE)  # 0:20 → 0:21
    output.missing, output.cards[0].active = True, False  # the headset unplugged
    wait_for(lambda: eng.state == "error")
    assert eng.error_kind == "device" and eng.position_seconds == 21.0

    loads = eng.generation
    eng.play()  # still unplugged: the new stream cannot open
    wait_for(lambda: eng.generation > loads and eng.state == "error")
    assert eng.error_kind == "device"
    assert (eng.position_seconds, eng.duration_seconds) == (21.0, 60.0), \
        "the place in the track is kept (and shown)"

    output.missing = False  # plugged in again
    eng.play()
    wait_for(lambda: eng.state == "playing" and output.cards[-1].active)
    assert eng.position_seconds == 21.0
    heard = output.cards[-1].pull(RATE)[:, 0]
    np.testing.assert_allclose(heard, audio[21 * RATE:22 * RATE], atol=1e-6)
    assert eng.position_seconds == 22.0
    eng.close()


def test_stop_while_the_track_loads_again_where_it_stopped_goes_back_to_its_start(tmp_path):
    """Play after a lost output loads the track again at 0:21; Stop pressed before it is
    open (a slow disk) takes it back to 0:00, as Stop does: it came up stopped at 0:21."""
    import threading

    from musicsage.playback import default_decoder

    path = tmp_path / "song.flac"
    sf.write(str(path), np.zeros(60 * RATE, np.float32), RATE)
    slow, opened = threading.Event(), []

    def decoder(name: str, start: int = 0):
        opened.append(start)
        if len(opened) == 2:  # the load after the lost output
            slow.wait(10)
        return default_decoder(name, start)

    output = Output()
    eng = PlaybackEngine(stream_factory=output, decoder=decoder)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "playing" and output.cards and output.cards[0].active)
    eng.seek_seconds(21.0)
    output.cards[0].active = False  # the output lost
    wait_for(lambda: eng.state == "error")
    eng.play()  # loads it again, from 0:21 …
    wait_for(lambda: len(opened) == 2)
    assert eng.state == "loading" and eng.position_seconds == 21.0
    eng.stop()  # … but Stop comes first
    slow.set()
    wait_for(lambda: eng.state == "stopped")
    assert eng.position_seconds == 0.0 and eng.position == 0
    eng.close()


def test_a_seek_while_the_device_is_missing_is_where_play_begins_when_it_is_back(tmp_path):
    """After the failed Play the slider shows 0:21 / 1:00; a click on it snapped back (a seek
    did nothing without an output open): it now moves the place Play begins at."""
    path = tmp_path / "song.wav"
    audio = (0.2 * np.random.default_rng(6).standard_normal(60 * RATE)).astype(np.float32)
    sf.write(str(path), audio, RATE, subtype="FLOAT")
    output = Output()
    eng = PlaybackEngine(stream_factory=output)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "playing" and output.cards and output.cards[0].active)
    eng.seek_seconds(21.0)
    output.missing, output.cards[0].active = True, False
    wait_for(lambda: eng.state == "error")
    loads = eng.generation
    eng.play()  # still missing
    wait_for(lambda: eng.generation > loads and eng.state == "error")

    eng.seek_seconds(75.0)  # past the end: clamped to it
    assert (eng.position_seconds, eng.duration_seconds) == (60.0, 60.0)
    eng.seek_seconds(-3.0)
    assert eng.position_seconds == 0.0
    eng.seek_seconds(30.0)
    assert eng.position_seconds == 30.0, "the click holds"

    output.missing = False
    eng.play()
    wait_for(lambda: eng.state == "playing" and output.cards[-1].active)
    assert eng.position_seconds == 30.0
    heard = output.cards[-1].pull(RATE)[:, 0]
    np.testing.assert_allclose(heard, audio[30 * RATE:31 * RATE], atol=1e-6)
    eng.close()


def test_a_seek_on_a_new_track_whose_output_failed_stays_at_its_start(tmp_path):
    """A new track whose output would not open has no length known yet (0:00): a seek went
    where it was asked, unclamped, and the bar showed 0:12 / 0:00."""
    path = tmp_path / "song.wav"
    sf.write(str(path), np.zeros(60 * RATE, np.float32), RATE)
    output = Output()
    output.missing = True
    eng = PlaybackEngine(stream_factory=output)
    eng.load(path, autoplay=True)
    wait_for(lambda: eng.state == "error")
    assert eng.duration_seconds == 0.0
    eng.seek_seconds(12.0)
    assert (eng.position_seconds, eng.duration_seconds) == (0.0, 0.0)
    eng.close()
