"""A Keras weights file damaged inside (512 bytes zeroed on disk) is named in one line.

h5py raises KeyError, RuntimeError or ValueError for a damaged header or B-tree; only its
OSError was caught, so ``embed`` ended in "unexpected error (KeyError: 'Unable to
synchronously open object (bad object header version number)'); this is a bug", exit 70.
"""

from __future__ import annotations

import gzip

import numpy as np
import pytest
from audio_keras_files import keras_layers, write_keras_h5

from musicsage.audio.openl3 import variants
from musicsage.audio.openl3.weights import DamagedWeights, load_state_dict

MEL256 = variants.parse_variant("mel256_music_512")


@pytest.fixture(scope="module")
def keras_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("keras") / "w.h5"
    write_keras_h5(path, keras_layers(np.random.default_rng(5)))
    return path.read_bytes()


def _depth(text: str) -> int:
    depth = deepest = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        deepest = max(deepest, depth)
    return deepest


@pytest.mark.parametrize("offset", [1536, 2048, 22528, 178688])
def test_zeroed_bytes_inside_the_file_are_named_damaged(tmp_path, keras_bytes, offset):
    mine = tmp_path / "mine.h5"
    damaged = bytearray(keras_bytes)
    damaged[offset:offset + 512] = bytes(512)
    mine.write_bytes(bytes(damaged))
    with pytest.raises(DamagedWeights) as caught:
        load_state_dict(MEL256, mine, tmp_path / "models")
    text = str(caught.value)
    assert str(mine) in text and "replace it with a good copy" in text and "\n" not in text
    assert "Unable to" not in text and _depth(text) <= 1, text
    assert mine.read_bytes() == bytes(damaged)


def test_a_gzipped_file_damaged_inside_is_named_damaged(tmp_path, keras_bytes):
    """Zeroed deflate data raise zlib.error, no OSError."""
    packed = bytearray(gzip.compress(keras_bytes, compresslevel=1))
    packed[1000:1512] = bytes(512)
    mine = tmp_path / "mine.h5.gz"
    mine.write_bytes(bytes(packed))
    with pytest.raises(DamagedWeights, match="corrupt gzip data"):
        load_state_dict(MEL256, mine, tmp_path / "models")
