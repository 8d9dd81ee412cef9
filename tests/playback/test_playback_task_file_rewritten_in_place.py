"""A track's file replaced while it plays: a file replaced by another one (a new file moved
over it) is read by the decoder that opened the old one, which is whole, so the track plays to
its end without an error; and a file cut short long before it was played ends quietly. (A
rule that said "changed on disk" where the blocks stopped short of the header's length was
taken out: the header's length is an estimate for some formats, and tracks that played whole
ended in an error.)"""

from __future__ import annotations

import os

import numpy as np
import pytest
import soundfile as sf
from changed_file_support import playing, played_through, small_buffer  # noqa: F401
from playback_support import quick_worker  # noqa: F401 - a fixture

RATE = 8000
SECONDS = 20

pytestmark = pytest.mark.usefixtures("quick_worker")


def tone(path, seconds: float = SECONDS, **kwargs) -> None:
    t = np.arange(round(seconds * RATE)) / RATE
    sf.write(str(path), (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), RATE,
             **kwargs)


def test_a_file_replaced_by_another_file_while_it_plays_plays_to_its_end(tmp_path,
                                                                        small_buffer):
    path = tmp_path / "song.flac"
    tone(path)
    eng, cards = playing(path)
    tone(tmp_path / "new.flac", 5)
    os.replace(tmp_path / "new.flac", path)  # a new file: the one opened is still whole
    played_through(eng, cards[0])
    assert (eng.state, eng.error) == ("ended", "")
    assert eng.position == SECONDS * RATE


def test_a_file_whose_header_says_more_than_it_holds_still_ends_quietly(tmp_path,
                                                                       small_buffer):
    """A download cut short long before it was played (not changed while playing) plays what
    it holds and ends, as before."""
    path = tmp_path / "song.wav"
    tone(path)
    with open(path, "r+b") as f:
        f.truncate(os.path.getsize(path) // 3)
    eng, cards = playing(path)
    played_through(eng, cards[0])
    assert (eng.state, eng.error) == ("ended", "")
