"""NaN and infinity in a float WAV never reach the sound card.

A crashed render or a buggy plug-in leaves NaN/inf in a 32-bit float WAV. NaN times the volume
is NaN even when muted, and the sound card's float→integer conversion of NaN is undefined (a
click, or a burst of noise): the player's decoders turn NaN into silence and ±inf into full
scale, and the file's finite samples come through unchanged.
"""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from musicsage.playback.decoders import default_decoder
from musicsage.playback.store import ChunkStore

SR = 44100


@pytest.fixture(params=["FLOAT", "DOUBLE"])
def damaged(tmp_path, request):
    t = np.arange(SR * 2) / SR
    x = np.stack([0.3 * np.sin(2 * np.pi * 330 * t)] * 2, axis=1).astype(np.float32)
    x[1000:2000] = np.nan
    x[5000, 0], x[5000, 1] = np.inf, -np.inf
    x[SR + 10] = np.nan  # past a later start too
    path = tmp_path / f"render_{request.param}.wav"
    sf.write(path, x, SR, request.param)
    return str(path), x


def test_nonfinite_samples_become_silence_or_full_scale(damaged):
    path, x = damaged
    _, blocks = default_decoder(path)
    got = np.concatenate(list(blocks))
    assert np.isfinite(got).all()
    assert (got[1000:2000] == 0).all() and got[5000].tolist() == [1.0, -1.0]
    good = np.isfinite(x).all(axis=1)
    np.testing.assert_array_equal(got[good], x[good])  # the rest as it is

    _, blocks = default_decoder(path, SR)  # a decoder reopened by a seek
    assert np.isfinite(np.concatenate(list(blocks))).all()


def test_muted_playback_of_such_a_file_sends_only_silence(damaged):
    path, _ = damaged
    header, blocks = default_decoder(path)
    store = ChunkStore(header.channels, header.frames)
    for block in blocks:
        store.append(block)
    out = np.full((8192, header.channels), 7.0, np.float32)
    assert store.read(out, 0, 0.0) == 8192
    assert (out == 0).all()
