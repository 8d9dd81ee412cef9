"""A WAV overwritten while it plays (``cp`` over it: the same file, new bytes) by one of the
same width, caught just after the copy wrote its header, its audio still short of what that
header states: libsndfile's read came up short and the track "ended" with no word said. It
now ends with the file's "changed on disk" error, as a copy caught before its header does.
A WAV whose header said more than it held before it was played still ends quietly."""

from __future__ import annotations

import os

import numpy as np
import pytest
import soundfile as sf
from changed_file_support import played_through, playing, small_buffer  # noqa: F401
from playback_support import quick_worker  # noqa: F401 - fixtures

pytestmark = pytest.mark.usefixtures("quick_worker", "small_buffer")

RATE = 8000
SECONDS = 30
CHANGED = ("the file changed on disk while playing; start it again to play it as it is "
           "now")


def _tone(path, sign: float = 1.0) -> None:
    t = np.arange(SECONDS * RATE) / RATE
    sf.write(str(path), sign * 0.4 * np.sin(2 * np.pi * 330 * t), RATE, subtype="PCM_16")


@pytest.mark.parametrize("audio_written", [0, RATE // 2])
def test_a_wav_copy_caught_after_its_header_is_the_files_error(tmp_path, audio_written):
    path, other = tmp_path / "song.wav", tmp_path / "other.wav"
    _tone(path)
    _tone(other, -1.0)
    eng, cards = playing(path)
    new = other.read_bytes()
    with open(path, "r+b") as fh:  # the same inode: cp truncates, then writes its bytes
        fh.truncate(0)
        fh.write(new[:44 + 2 * audio_written])  # the header, and a little of the audio
    assert sf.info(str(path)).channels == 1  # it opens, of the same width
    played_through(eng, cards[0])
    assert (eng.state, eng.error_kind) == ("error", "file"), (eng.state, eng.error)
    assert eng.error.startswith("cannot play song.wav past ") and eng.error.endswith(CHANGED)
    eng.close()


def test_a_wav_cut_short_before_it_played_still_ends_quietly(tmp_path):
    path = tmp_path / "song.wav"
    _tone(path)
    with open(path, "r+b") as fh:
        fh.truncate(os.path.getsize(path) // 2)
    eng, cards = playing(path)
    played_through(eng, cards[0])
    assert (eng.state, eng.error) == ("ended", "")
    assert abs(eng.position - SECONDS * RATE // 2) < RATE
    eng.close()
