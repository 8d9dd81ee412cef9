"""Odd audio files at scan time: a WAV recorded through a pipe (its sizes left open), and a
file libsndfile cannot open, said without the path it already names."""

from __future__ import annotations

import struct

import numpy as np
import pytest
import soundfile as sf

from musicsage.library import tags
from musicsage.library.tags import UnreadableAudio


def test_a_wav_written_to_a_pipe_is_read_for_the_audio_it_holds(tmp_path):
    """``ffmpeg … -f wav - > take.wav`` cannot seek back to fill in the RIFF and data sizes
    and leaves 0xFFFFFFFF in both. mutagen took that for 74 hours of audio: the scan refused
    the file as truncated ("the header says 268435.5 s, the file holds 5.0 s") and would
    have stored 74 hours as its duration."""
    take = tmp_path / "take.wav"
    sf.write(take, np.full(5 * 8000, 0.1, np.float32), 8000, subtype="PCM_16")
    data = bytearray(take.read_bytes())
    at = data.find(b"data")
    data[4:8] = data[at + 4:at + 8] = struct.pack("<I", 0xFFFFFFFF)
    take.write_bytes(bytes(data))
    info = tags.probe(str(take))
    assert info.duration == pytest.approx(5.0)
    cut = tmp_path / "cut.wav"  # a WAV whose header states its size is still checked
    sf.write(cut, np.full(5 * 8000, 0.1, np.float32), 8000, subtype="PCM_16")
    cut.write_bytes(cut.read_bytes()[:44 + 8000])
    with pytest.raises(UnreadableAudio, match="audio ends early"):
        tags.probe(str(cut))


def test_libsndfile_s_reason_comes_without_the_path_as_bytes(tmp_path):
    """"Error opening b'/home/me/Music/Hide and Seek.wav': Channel count is zero." repeated
    the path as a bytes literal, and "Seek" in it made the reason "audio ends early"."""
    song = tmp_path / "Hide and Seek.wav"
    sf.write(song, np.zeros(8000, np.float32), 8000, subtype="PCM_16")
    data = bytearray(song.read_bytes())
    data[22:24] = struct.pack("<H", 0)  # channels: 0
    song.write_bytes(bytes(data))
    with pytest.raises(UnreadableAudio) as err:
        tags.probe(str(song))
    assert str(err.value) == "not a readable wav file (Channel count is zero)"
