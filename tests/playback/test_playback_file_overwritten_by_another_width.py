"""A mono track overwritten by a stereo file of the same name while it plays (``cp`` over it:
the same file, new bytes): the decoder read on into the new data, its blocks came out in
stereo, and the sound card's callback failed on them — PortAudio stops calling a callback that
raised, so the player said "audio output stalled" and told the user to reconnect their sound
device, which was fine. It is the file's error now: the track plays up to where it changed,
then says so, and the device is never blamed (a queue goes on to the next track)."""

from __future__ import annotations

import shutil
from typing import Iterator

import numpy as np
import pytest
import soundfile as sf
from changed_file_support import played_through, playing, small_buffer  # noqa: F401
from playback_support import Card, quick_worker, wait_for  # noqa: F401 - fixtures

from musicsage.playback import Header, PlaybackEngine

RATE = 8000
CHANGED = "the file changed on disk while playing; start it again to play it as it is now"

pytestmark = pytest.mark.usefixtures("quick_worker", "small_buffer")


def sine(seconds: float, rate: int = RATE) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def test_a_mono_flac_copied_over_by_a_stereo_one_is_the_files_error(tmp_path):
    path, other = tmp_path / "song.flac", tmp_path / "other.flac"
    sf.write(path, sine(60), RATE)
    sf.write(other, np.stack([sine(60), -sine(60)], 1), RATE)
    eng, cards = playing(path)
    shutil.copyfile(other, path)  # as cp does: the file playing gets the new bytes
    played_through(eng, cards[0])  # the callback never fails (it raised a ValueError)
    assert eng.state == "error" and eng.error_kind == "file", (eng.state, eng.error)
    assert eng.error.startswith("cannot play song.flac past ") and eng.error.endswith(CHANGED)
    assert "output" not in eng.error and "device" not in eng.error
    eng.close()


def test_a_flac_copied_over_by_one_of_another_rate_is_the_files_error(tmp_path):
    path, other = tmp_path / "song.flac", tmp_path / "other.flac"
    sf.write(path, sine(60), RATE)
    sf.write(other, sine(60, 2 * RATE), 2 * RATE)  # the same channels: only the rate differs
    eng, cards = playing(path)
    shutil.copyfile(other, path)
    played_through(eng, cards[0])
    assert eng.state == "error" and eng.error_kind == "file", (eng.state, eng.error)
    assert eng.error.endswith(CHANGED), eng.error
    eng.close()


def mono_then_stereo(path: str, start: int = 0) -> tuple[Header, Iterator[np.ndarray]]:
    """A decoder whose file turns stereo after its first second, as a decoder opening the file
    again after it was overwritten (libsndfile's salvage, FFmpeg taking over an MP3) gave."""
    def blocks() -> Iterator[np.ndarray]:
        yield sine(1)[:, None]
        yield np.stack([sine(1), sine(1)], 1)

    return Header(RATE, 1, 2 * RATE), blocks()


def test_stereo_blocks_of_a_mono_track_stop_it_as_changed_not_as_a_lost_device():
    cards: list[Card] = []
    eng = PlaybackEngine(stream_factory=lambda *a: cards.append(Card(*a)) or cards[-1],
                         decoder=mono_then_stereo)
    eng.load("/music/song.flac", autoplay=True)
    wait_for(lambda: eng.state == "playing" and cards and cards[0].active)
    played_through(eng, cards[0])
    assert (eng.state, eng.error_kind) == ("error", "file")
    assert eng.error == f"cannot play song.flac past 0:01: {CHANGED}"
    eng.close()
