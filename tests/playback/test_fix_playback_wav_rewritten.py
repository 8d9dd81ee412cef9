"""A WAV overwritten while it plays (``cp`` over it: the same file, new bytes) by one of the
same width whose audio begins at another offset (re-exported with a ``LIST`` chunk before its
``data``): libsndfile reads on from the old offset, so the new samples came misaligned — loud
noise to the old length, not a word said. And a copy caught between truncating the file and
writing its header made the read come up short, the track just ending. Both now end with the
file's "changed on disk" error, as another width does."""

from __future__ import annotations

import shutil
import struct

import numpy as np
import pytest
import soundfile as sf

from musicsage.playback.decoders import soundfile_blocks
from musicsage.playback.read_stops import AudioChanged

RATE = 8000


def _sine(seconds: int) -> np.ndarray:
    t = np.arange(seconds * RATE) / RATE
    return 0.5 * np.sin(2 * np.pi * 440 * t)


def _with_list_chunk(plain: bytes) -> bytes:
    """``plain`` (a WAV) with a 28-byte LIST chunk before its ``data``: the same width, the
    audio 28 bytes further on (not a multiple of a 24-bit frame)."""
    at = plain.index(b"data")
    body = b"INFOICMT" + struct.pack("<I", 12) + b"re-exported\x00"
    chunk = b"LIST" + struct.pack("<I", len(body)) + body
    riff = struct.pack("<I", len(plain) - 8 + len(chunk))
    return plain[:4] + riff + plain[8:at] + chunk + plain[at:]


def test_a_wav_copied_over_by_one_whose_audio_begins_elsewhere_is_the_files_error(tmp_path):
    song, plain, tagged = (tmp_path / n for n in ("song.wav", "plain.wav", "tagged.wav"))
    sf.write(song, _sine(60), RATE, subtype="PCM_24")
    sf.write(plain, -_sine(60), RATE, subtype="PCM_24")
    tagged.write_bytes(_with_list_chunk(plain.read_bytes()))
    assert sf.info(str(tagged)).subtype == "PCM_24" and sf.info(str(tagged)).channels == 1
    _header, blocks = soundfile_blocks(str(song), block_frames=RATE)
    next(blocks)
    shutil.copyfile(tagged, song)  # as cp does: the file playing gets the new bytes
    with pytest.raises(AudioChanged, match="song.wav: the file changed on disk"):
        for _ in blocks:
            pass


def test_a_wav_copied_over_at_the_same_offset_and_width_plays_on(tmp_path):
    song, plain = tmp_path / "song.wav", tmp_path / "plain.wav"
    sf.write(song, _sine(20), RATE, subtype="PCM_24")
    sf.write(plain, -_sine(20), RATE, subtype="PCM_24")
    _header, blocks = soundfile_blocks(str(song), block_frames=RATE)
    first = next(blocks)
    shutil.copyfile(plain, song)
    assert len(first) + sum(len(b) for b in blocks) == 20 * RATE


def test_a_wav_read_short_while_a_copy_truncated_it_is_the_files_error(tmp_path):
    """The copy caught after truncating, before its header: nothing to open yet."""
    song = tmp_path / "song.wav"
    sf.write(song, _sine(20), RATE, subtype="PCM_16")
    _header, blocks = soundfile_blocks(str(song), block_frames=RATE)
    next(blocks)
    with open(song, "r+b") as fh:  # the same inode, emptied as ``cp`` does first
        fh.truncate(0)
    with pytest.raises(AudioChanged, match="song.wav: the file changed on disk"):
        for _ in blocks:
            pass
