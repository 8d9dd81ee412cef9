"""A FLAC frame of hi-res multichannel noise is longer than 64 KiB (8 channels of 24-bit
samples, 4,096 a frame: some 96 KiB), and a frame that long was never counted whole: a whole
such file followed by a tool's padding was named "holds zeroed bytes from 0:01 on" and its
last frames were lost as damage in the player."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.library.flac_zeroed import (FlacFrames, audio_start, last_frame_before,
                                           zeroed_reason)
from musicsage.playback.decoders import soundfile_blocks

SR = 96000
FRAMES = SR + 1234
CHANNELS = 8
PADDING = 1 << 20


@pytest.fixture(scope="module")
def padded(tmp_path_factory) -> tuple[Path, np.ndarray]:
    """A second of 8-channel 24-bit noise (frames stored as they are: noise does not compress),
    1 MiB of zeros appended."""
    path = tmp_path_factory.mktemp("hires") / "surround master.flac"
    noise = 0.4 * np.random.default_rng(5).standard_normal((FRAMES, CHANNELS))
    signal = np.clip(noise, -0.9, 0.9).astype(np.float32)
    sf.write(path, signal, SR, format="FLAC", subtype="PCM_24")
    whole = path.stat().st_size
    with open(path, "ab") as fh:
        fh.write(bytes(PADDING))
    assert whole / (FRAMES / 4096) > 64 * 1024  # frames longer than 64 KiB, as said
    return path, signal


def test_padding_after_long_frames_is_no_zeroed_place(padded):
    path, _signal = padded
    assert zeroed_reason(str(path), SR, FRAMES) is None


def test_the_long_last_frame_before_the_padding_is_told_whole(padded):
    path, _signal = padded
    with open(path, "rb") as fh:
        start = audio_start(fh)
        assert start is not None
        zeros_at = path.stat().st_size - PADDING
        last = last_frame_before(FlacFrames(fh, start[1]), zeros_at, start[0])
    assert last is not None and last[1] + last[2] == FRAMES  # its first sample and length


def test_the_player_plays_such_a_file_to_its_last_frame(padded):
    path, _signal = padded
    _header, blocks = soundfile_blocks(str(path))  # (mixed down for the device)
    assert len(np.concatenate(list(blocks))) == FRAMES
