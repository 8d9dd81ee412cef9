"""A WAV overwritten while it plays (``cp`` over it: the same file, new bytes) by a WAV of
another channel count, sample width or rate: its samples are raw bytes, read at the width the
old header gave, so the new bytes played as noise to the old length, and the track "ended"
without a word. It now ends where the change is met, as a FLAC's or an Ogg's does. A WAV
touched, rewritten with the same width, or replaced by another file (moved over it) plays on."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
import soundfile as sf
from changed_file_support import played_through, playing, small_buffer  # noqa: F401
from playback_support import quick_worker  # noqa: F401 - fixtures
from test_playback_file_overwritten_by_another_width import CHANGED, RATE, sine

pytestmark = pytest.mark.usefixtures("quick_worker", "small_buffer")

SECONDS = 60


@pytest.mark.parametrize("kind", ["stereo", "24-bit", "rate"])
def test_a_wav_copied_over_by_one_of_another_width_is_the_files_error(tmp_path, kind):
    path, other = tmp_path / "song.wav", tmp_path / "other.wav"
    sf.write(path, sine(SECONDS), RATE, subtype="PCM_16")
    rate = 2 * RATE if kind == "rate" else RATE
    y = sine(SECONDS, rate)
    sf.write(other, np.stack([y, -y], 1) if kind == "stereo" else y, rate,
             subtype="PCM_24" if kind == "24-bit" else "PCM_16")
    eng, cards = playing(path)
    shutil.copyfile(other, path)  # as cp does: the file playing gets the new bytes
    played_through(eng, cards[0])
    assert eng.state == "error" and eng.error_kind == "file", (eng.state, eng.error)
    assert eng.error.startswith("cannot play song.wav past ") and eng.error.endswith(CHANGED)
    assert eng.position < SECONDS * RATE / 2, "the new bytes were played at the old width"
    eng.close()


def test_a_wav_touched_or_rewritten_at_its_width_plays_on(tmp_path):
    path, other = tmp_path / "song.wav", tmp_path / "other.wav"
    sf.write(path, sine(SECONDS), RATE, subtype="PCM_16")
    sf.write(other, -sine(SECONDS), RATE, subtype="PCM_16")
    eng, cards = playing(path)
    os.utime(path, ns=(1, 1))
    shutil.copyfile(other, path)
    played_through(eng, cards[0])
    assert (eng.state, eng.error) == ("ended", "")
    assert eng.position == SECONDS * RATE
    eng.close()


def test_a_wav_replaced_by_another_of_another_width_plays_to_its_end(tmp_path):
    """A new file moved over it (a tagger's, rsync's): the file opened is still whole."""
    path, other = tmp_path / "song.wav", tmp_path / "other.wav"
    sf.write(path, sine(SECONDS), RATE, subtype="PCM_16")
    sf.write(other, np.stack([sine(5), sine(5)], 1), RATE, subtype="PCM_24")
    eng, cards = playing(path)
    os.replace(other, path)
    played_through(eng, cards[0])
    assert (eng.state, eng.error) == ("ended", "")
    assert eng.position == SECONDS * RATE
    eng.close()
