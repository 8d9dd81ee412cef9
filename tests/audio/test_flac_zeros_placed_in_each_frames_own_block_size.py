"""A FLAC's fixed-size frames are numbered in STREAMINFO's block size only where its least and
greatest block sizes agree; otherwise each frame's own block size places it. Zeroed bytes were
placed by the least one whatever the greatest: in a file of 4,096-sample frames whose
STREAMINFO states 1,152 to 4,096 samples a block, zeros at 0:05-0:08 were named "from 0:01 to
0:02", and an excerpt in them was let through to libFLAC (which cannot seek in such a file),
then named with those wrong times."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio import decode
from musicsage.library.flac_zeroed import zeroed_reason

SR = 44100
SECONDS = 20
FRAMES = SECONDS * SR
ADVICE = "(a download that never finished, or a failing drive?)"


@pytest.fixture(scope="module")
def signal() -> np.ndarray:
    t = np.arange(FRAMES) / SR
    noise = 0.05 * np.random.default_rng(3).standard_normal(t.size)
    return (0.3 * np.sin(2 * np.pi * 220 * t) + noise).astype(np.float32)


@pytest.fixture(scope="module")
def zeroed(tmp_path_factory, signal) -> Path:
    """20 s of a tone with noise in frames of 4,096 samples, STREAMINFO's least block size
    1,152, the bytes from 30 % to 40 % of the file made zeros in place (some 0:05-0:08)."""
    path = tmp_path_factory.mktemp("blocks") / "blocks of several sizes.flac"
    sf.write(path, signal, SR, format="FLAC")
    data = bytearray(path.read_bytes())
    assert data[8:12] == (4096).to_bytes(2, "big") * 2  # least, greatest, as written
    data[8:10] = (1152).to_bytes(2, "big")
    size = len(data)
    data[int(size * 0.3):int(size * 0.4)] = bytes(int(size * 0.4) - int(size * 0.3))
    path.write_bytes(bytes(data))
    return path


def test_the_zeros_are_named_at_their_own_times(zeroed):
    assert zeroed_reason(str(zeroed), SR, FRAMES) == (
        f"holds zeroed bytes from 0:05 to 0:08 {ADVICE}")


def test_an_excerpt_in_the_zeros_names_them(zeroed):
    with pytest.raises(decode.DecodeError) as err:
        decode.read_spans(zeroed, [(6.5, 1.0)], sr=SR)
    assert str(err.value) == f"{zeroed.name}: holds zeroed bytes from 0:05 to 0:08 {ADVICE}"
