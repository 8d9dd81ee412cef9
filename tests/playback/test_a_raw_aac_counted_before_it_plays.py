"""A raw AAC (ADTS) file's frames are counted before it plays, however slow the count (an
hour's on a slow network share). A version that played before its count was done (counted on
a thread, waited for 0.3 s) was taken out: the player then never knew the length of the file
it opened, so a file overwritten by a shorter one while it played was not caught at a seek (it
"ended" in silence, where the file error is said), and it showed the library's length for the
whole play, even an older scan's bit-rate guess ten times too long."""

from __future__ import annotations

import shutil
import time

import pytest
from adts_support import RATE, vbr_adts
from playback_support import Output, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.library import adts_frames
from musicsage.playback import PlaybackEngine

pytestmark = pytest.mark.usefixtures("quick_worker")

SLOW_SECONDS = 1.0
"""How long each count takes in these tests (more than the 0.3 s the taken-out version
waited)."""


@pytest.fixture
def slow_count(monkeypatch):
    """Every frame count takes :data:`SLOW_SECONDS` more, as on a slow share."""
    count = adts_frames.counted_length

    def slow(path):
        time.sleep(SLOW_SECONDS)
        return count(path)

    monkeypatch.setattr(adts_frames, "counted_length", slow)


def _play_out(eng: PlaybackEngine, output: Output) -> None:
    card = output.cards[0]
    begun = time.monotonic()
    while eng.state == "playing" and time.monotonic() - begun < 30:
        card.pull(4096)
        time.sleep(0.002)


def test_a_file_overwritten_by_a_shorter_one_is_the_file_error_at_a_seek(tmp_path, slow_count):
    path, short = tmp_path / "song.aac", tmp_path / "short.aac"
    vbr_adts(path, 200.0, 40.0)
    vbr_adts(short, 15.0, 5.0)
    output = Output()
    eng = PlaybackEngine(stream_factory=output)
    eng.load(path, autoplay=True, length_seconds=240.0)
    wait_for(lambda: eng.state != "loading")
    assert eng.state == "playing", eng.error
    shutil.copyfile(short, path)  # another program writes the file: 20 s now
    time.sleep(SLOW_SECONDS * 2)
    eng.seek_seconds(200.0)  # past the new end
    _play_out(eng, output)
    assert eng.state == "error"
    assert "the file changed on disk while playing" in eng.error
    eng.close()


def test_the_length_shown_is_the_count_not_a_stale_library_length(tmp_path, slow_count):
    path = tmp_path / "quiet start.aac"
    vbr_adts(path)  # 16 s; FFmpeg's guess from its first frames: about 218 s
    counted, rate = adts_frames.counted_length(str(path))
    output = Output()
    eng = PlaybackEngine(stream_factory=output)
    eng.load(path, autoplay=True, length_seconds=218.1)  # an older scan's guess
    wait_for(lambda: eng.state != "loading")
    assert eng.state == "playing", eng.error
    assert eng.duration_seconds == pytest.approx(counted / rate, abs=1 / RATE)
    eng.seek_seconds(109.0)  # the middle of the guess: clamped to the track's end
    assert eng.position_seconds == pytest.approx(counted / rate, abs=1 / RATE)
    eng.close()
