"""A bug of ours while reading a good Keras weights file is not reported as a damaged file.

Every read error h5py raises (TypeError, KeyError, ValueError, RuntimeError…) is named as a
damaged file with "replace it" or "delete it" advice; the catch once wrapped our own code too,
so a TypeError of ours told the user to delete a good file.
"""

from __future__ import annotations

import numpy as np
import pytest
from audio_keras_files import keras_layers, write_keras_h5

from musicsage.audio.openl3 import keras_h5, variants
from musicsage.audio.openl3.weights import load_state_dict

MEL256 = variants.parse_variant("mel256_music_512")


def test_a_type_error_of_ours_is_not_called_damaged(tmp_path, monkeypatch):
    good = tmp_path / "good.h5"
    write_keras_h5(good, keras_layers(np.random.default_rng(5)))
    kept = good.read_bytes()

    def buggy(name: str, arrays: dict) -> str:
        raise TypeError("a bug of ours")

    monkeypatch.setattr(keras_h5, "_kind", buggy)
    with pytest.raises(TypeError, match="a bug of ours"):
        load_state_dict(MEL256, good, tmp_path / "models")
    assert good.read_bytes() == kept


def test_the_good_file_still_loads(tmp_path):
    good = tmp_path / "good.h5"
    write_keras_h5(good, keras_layers(np.random.default_rng(5)))
    state = load_state_dict(MEL256, good, tmp_path / "models")
    assert "input_bn.weight" in state
