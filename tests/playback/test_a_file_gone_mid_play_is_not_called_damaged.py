"""A file that can no longer be read while it plays (its drive unplugged: reads on the open
file fail and its path is gone) was said to hold "damaged audio data", which sent the user to
check a file that is fine. The player says the file can no longer be read."""

from __future__ import annotations

import os

import numpy as np
import pytest
import soundfile as sf
from playback_support import Output, quick_worker, wait_for  # noqa: F401 - a fixture

from musicsage.playback import PlaybackEngine, default_decoder

RATE = 8000

pytestmark = pytest.mark.usefixtures("quick_worker")


def _fails_half_way(path) -> None:
    """A FLAC whose reads fail past its middle (zeros there: what a failing drive returns)."""
    rng = np.random.default_rng(5)
    sf.write(str(path), (0.3 * rng.standard_normal(40 * RATE)).astype(np.float32), RATE)
    size = os.path.getsize(path)
    with open(path, "r+b") as fh:
        fh.seek(size // 2)
        fh.write(bytes(size - size // 2))


def _play_through(eng: PlaybackEngine, output: Output) -> None:
    wait_for(lambda: eng.state == "playing" and output.cards and output.cards[0].active)
    while eng.state == "playing":
        output.cards[0].pull(4 * RATE)
        wait_for(lambda: eng.decoding_complete or eng.decoded_frames > eng.position)


def test_reads_failing_once_the_path_is_gone_say_the_file_can_no_longer_be_read(tmp_path):
    path = tmp_path / "on the usb drive.flac"
    _fails_half_way(path)

    def unplugged_after_the_first_block(name: str, start: int = 0):
        header, blocks = default_decoder(name, start)

        def reading():
            yield next(blocks)
            os.remove(name)  # the drive goes; the file open so far still reads, then fails
            yield from blocks

        return header, reading()

    output = Output()
    eng = PlaybackEngine(stream_factory=output, decoder=unplugged_after_the_first_block)
    eng.load(str(path), autoplay=True)
    _play_through(eng, output)
    assert eng.state == "error" and eng.error_kind == "file"
    assert eng.error.startswith("cannot play on the usb drive.flac past 0:")
    assert eng.error.endswith(": the file can no longer be read (its drive unplugged, or the "
                              "file moved?)")


def test_a_damaged_file_still_there_is_still_said_to_be_damaged(tmp_path):
    path = tmp_path / "damaged.flac"
    _fails_half_way(path)
    output = Output()
    eng = PlaybackEngine(stream_factory=output)
    eng.load(str(path), autoplay=True)
    _play_through(eng, output)
    assert eng.state == "error"
    assert eng.error.endswith(": damaged audio data")
