"""Bytes that are no frame after a whole FLAC's last frame (zeros a tool or an allocation left,
an ID3v1 tag an old tagger added): libFLAC reports "lost sync" there once every sample is
decoded, and a read that asked for more threw away the frames it had: the player said "damaged
audio data" in a whole file's last 512 frames, and a FLAC whose length is not stated was named
"holds zeroed bytes" by ``embed``. A file zeroed inside its last frame is still damaged."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio import decode
from musicsage.playback.decoders import DamagedAudio, soundfile_blocks

SR = 44100
FRAMES = 10 * SR + 1234
"""Neither a whole number of FLAC frames (4,096) nor of the player's salvage steps (512)."""
ID3V1 = b"TAG" + b"title".ljust(125, b"\0")


@pytest.fixture(scope="module")
def signal() -> np.ndarray:
    noise = 0.2 * np.random.default_rng(0).standard_normal((FRAMES, 2))
    return np.clip(noise, -0.9, 0.9).astype(np.float32)  # (PCM_16 clips at full scale)


def _flac(path: Path, signal: np.ndarray, tail: bytes) -> Path:
    sf.write(path, signal, SR, format="FLAC")
    with open(path, "ab") as fh:
        fh.write(tail)
    return path


def _played(path: Path, start: int = 0) -> np.ndarray:
    _header, blocks = soundfile_blocks(str(path), start=start)
    return np.concatenate(list(blocks))


@pytest.mark.parametrize("tail", [bytes(1 << 20), bytes(16), ID3V1], ids=["1 MiB of zeros",
                                                                      "16 zeros", "ID3v1"])
def test_the_player_plays_a_whole_file_to_its_last_frame(tmp_path, signal, tail):
    path = _flac(tmp_path / "whole.flac", signal, tail)
    np.testing.assert_allclose(_played(path), signal, atol=1e-4)
    np.testing.assert_allclose(_played(path, FRAMES - 300), signal[-300:], atol=1e-4)


def test_a_read_past_the_last_frame_keeps_what_it_read(tmp_path, signal):
    path = _flac(tmp_path / "padded.flac", signal, bytes(1 << 20))
    with sf.SoundFile(path) as f:
        f.seek(FRAMES - 100)
        assert len(decode.sf_read(f, 4096)) == 100
        assert len(decode.sf_read(f, 4096)) == 0


def test_a_padded_file_of_unstated_length_is_read_whole(tmp_path, signal):
    """Its STREAMINFO's sample count 0 (a stream's encoder cannot know it)."""
    path = _flac(tmp_path / "streamed.flac", signal, bytes(1 << 20))
    data = bytearray(path.read_bytes())
    data[8 + 13] &= 0xF0  # the 36-bit count ends STREAMINFO's 18th byte (after "fLaC", a head)
    data[8 + 14:8 + 18] = bytes(4)
    path.write_bytes(bytes(data))
    assert decode.load(path, sr=SR).size == FRAMES


def test_a_file_zeroed_inside_its_last_frame_is_still_damaged(tmp_path, signal):
    """A guard: the zeros begin 200 bytes before the last frame ends (a download cut there)."""
    path = _flac(tmp_path / "cut.flac", signal, b"")
    data = bytearray(path.read_bytes())
    data[-200:] = bytes(200)
    path.write_bytes(bytes(data) + bytes(1 << 20))
    with pytest.raises(DamagedAudio):
        _played(path)
