"""Each ``--openl3-weights PATH`` is converted into the models folder (≈ 18 MB): one such
conversion per variant is kept, not one for every path ever given, and no file the app did
not make there is touched."""

from __future__ import annotations

import numpy as np
from audio_keras_files import keras_layers, write_keras_h5

from musicsage.audio.openl3 import variants
from musicsage.audio.openl3.weights import converted_path, load_state_dict

VARIANT = variants.parse_variant("mel256_music_512")
OTHER = variants.parse_variant("mel128_env_512")


def test_files_given_one_after_another_leave_one_conversion(tmp_path):
    wdir = tmp_path / "models"
    wdir.mkdir()
    users = [wdir / "notes.pt", wdir / f"{VARIANT.weights_stem}.mine.pt",
             wdir / f"{VARIANT.weights_stem}.pt"]  # the last: the models folder's own one
    for own in users:
        own.write_bytes(b"the user's")
    other_variant = tmp_path / "env.h5"
    write_keras_h5(other_variant, keras_layers(np.random.default_rng(3)))
    load_state_dict(OTHER, other_variant, wdir)
    given = []
    for i in range(3):
        source = tmp_path / f"copy{i}" / "w.h5"
        source.parent.mkdir()
        write_keras_h5(source, keras_layers(np.random.default_rng(i)))
        load_state_dict(VARIANT, source, wdir)
        given.append(source)
    conversions = sorted(p.name for p in wdir.glob(VARIANT.weights_stem + ".*.pt"))
    assert conversions == sorted([converted_path(wdir, VARIANT, given[-1]).name,
                                  f"{VARIANT.weights_stem}.mine.pt"])
    assert converted_path(wdir, OTHER, other_variant).is_file()  # another variant's: kept
    assert all(own.read_bytes() == b"the user's" for own in users)
    assert load_state_dict(VARIANT, given[0], wdir)  # the one dropped is converted again
