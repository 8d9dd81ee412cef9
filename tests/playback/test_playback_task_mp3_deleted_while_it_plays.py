"""An MP3 without a length header (libsndfile reads it up to its guess, FFmpeg opens the file
again there to play on) deleted while it plays (the file moved away, a drive unplugged): the
player said "cannot play s.mp3 past 0:13: cannot play s.mp3: file not found", its name twice
over. FFmpeg's open there is a read of the file playing: it is said as one."""

from __future__ import annotations

import os

import pytest
from changed_file_support import played_through, playing, small_buffer  # noqa: F401
from mp3_support import encoded_mp3
from playback_support import quick_worker  # noqa: F401 - a fixture

from musicsage.playback.read_stops import AudioGone

pytestmark = pytest.mark.usefixtures("quick_worker", "small_buffer")


def test_an_mp3_deleted_before_ffmpeg_takes_over_says_it_once(tmp_path):
    path = tmp_path / "s.mp3"
    encoded_mp3(str(path), 20.0)  # no Xing header: FFmpeg plays on past libsndfile's guess
    eng, cards = playing(path)
    os.unlink(path)
    played_through(eng, cards[0])
    assert (eng.state, eng.error_kind) == ("error", "file")
    assert eng.error.startswith("cannot play s.mp3 past "), eng.error
    assert eng.error.endswith(f": {AudioGone.reason}"), eng.error
    assert eng.error.count("cannot play") == 1, eng.error
    eng.close()
