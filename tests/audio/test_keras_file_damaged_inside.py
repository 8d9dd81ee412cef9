"""A Keras weights file damaged inside (512 bytes zeroed on disk) is named in one line.

h5py raises KeyError, RuntimeError or ValueError for a damaged header or B-tree; only its
OSError was caught, so ``embed`` ended in "unexpected error (KeyError: 'Unable to
synchronously open object (bad object header version number)'); this is a bug", exit 70.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import h5py
import pytest
from audio_keras_files import keras_bytes  # noqa: F401 - a fixture

from musicsage.audio.openl3 import variants
from musicsage.audio.openl3.weights import DamagedWeights, load_state_dict

MEL256 = variants.parse_variant("mel256_music_512")


def _depth(text: str) -> int:
    depth = deepest = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        deepest = max(deepest, depth)
    return deepest


def _metadata_blocks(path: Path) -> list[int]:
    """The offsets of the 512-byte blocks holding the file's own structure (headers, B-trees,
    heaps: whatever lies outside the arrays' data), found from the file as this h5py laid it
    out: fixed offsets broke with another h5py's layout."""
    extents = []
    with h5py.File(path, "r") as f:
        f.visititems(lambda _, obj: extents.append((obj.id.get_offset(),
                                                     obj.id.get_storage_size()))
                     if isinstance(obj, h5py.Dataset) and obj.id.get_offset() is not None
                     else None)
    gaps, end = [], 0
    for start, size in sorted(extents):
        if start > end:
            gaps.append((end, start))
        end = max(end, start + size)
    gaps.append((end, path.stat().st_size))
    return [o for a, b in gaps if b > a for o in range(a - a % 512, b, 512)]


def test_zeroed_structure_inside_the_file_is_named_damaged(tmp_path, keras_bytes):
    """Every 4th block of the file's structure zeroed in turn: ``embed`` either loads the file
    (the block was padding) or names it damaged in one line; never an error of h5py's. All
    blocks took over 20 s; a quarter still spans the headers, B-trees and heaps, whose damage
    h5py raises as RuntimeError or KeyError as well as OSError."""
    original = tmp_path / "original.h5"
    original.write_bytes(keras_bytes)
    mine, models, damaged_count = tmp_path / "mine.h5", tmp_path / "models", 0
    for offset in _metadata_blocks(original)[::4]:
        damaged = bytearray(keras_bytes)
        damaged[offset:offset + 512] = bytes(512)
        mine.write_bytes(bytes(damaged))
        try:
            load_state_dict(MEL256, mine, models)
        except DamagedWeights as exc:
            text, damaged_count = str(exc), damaged_count + 1
            assert str(mine) in text and "replace it with a good copy" in text, (offset, text)
            # h5py's "Unable to … (reason)" unwrapped; a reason's own "(0)" may stay
            assert "\n" not in text and "Unable to" not in text and _depth(text) <= 2, text
        assert mine.read_bytes() == bytes(damaged)
        for converted in models.glob("*.pt"):  # each damaged copy read afresh
            converted.unlink()
    assert damaged_count > 0


def test_a_gzipped_file_damaged_inside_is_named_damaged(tmp_path, keras_bytes):
    """Zeroed deflate data raise zlib.error, no OSError."""
    packed = bytearray(gzip.compress(keras_bytes, compresslevel=1))
    packed[1000:1512] = bytes(512)
    mine = tmp_path / "mine.h5.gz"
    mine.write_bytes(bytes(packed))
    with pytest.raises(DamagedWeights, match="corrupt gzip data"):
        load_state_dict(MEL256, mine, tmp_path / "models")
