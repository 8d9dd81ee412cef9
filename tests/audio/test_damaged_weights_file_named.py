"""A Keras weights file that cannot be read (cut short, damaged on disk) is named in full.

``embed`` said only ``w.h5: not an HDF5 weights file (…)``: which ``w.h5`` (a remembered
``--openl3-weights`` file, one copied into the models folder by hand?) and what to do were
left out. The line now gives the file's path, the advice that fits where it lies, and (from
``embed``) which model runs without it; the file itself is never deleted.
"""

from __future__ import annotations

import pytest
from audio_keras_files import keras_bytes  # noqa: F401 - a fixture

from musicsage.audio.embedder import MissingWeights
from musicsage.audio.openl3 import variants
from musicsage.audio.openl3.weights import DamagedWeights, load_state_dict
from musicsage.context import AppContext
from musicsage.usecases.embedding import embed_library

from test_embed_job import add_tracks, make_track

MEL256 = variants.parse_variant("mel256_music_512")


def test_a_cut_short_file_of_the_user_is_named_with_its_path_and_kept(tmp_path, keras_bytes):
    mine = tmp_path / "mine" / "w.h5"
    mine.parent.mkdir()
    mine.write_bytes(keras_bytes[: len(keras_bytes) // 2])
    with pytest.raises(DamagedWeights) as caught:
        load_state_dict(MEL256, mine, tmp_path / "models")
    text = str(caught.value)
    assert str(mine) in text and "--openl3-weights PATH" in text and "\n" not in text, text
    assert mine.stat().st_size == len(keras_bytes) // 2  # never deleted or rewritten
    assert not list((tmp_path / "models").glob("*.pt"))


def test_a_damaged_download_in_the_models_folder_says_delete_it(tmp_path):
    """The official name in the models folder is what a download writes: deleting it and
    downloading again is the way back."""
    models = tmp_path / "models"
    models.mkdir()
    placed = models / (MEL256.weights_stem + ".h5.gz")
    placed.write_bytes(b"<html>not weights</html>")
    with pytest.raises(DamagedWeights, match="delete it") as caught:
        load_state_dict(MEL256, placed, models)
    assert str(placed) in str(caught.value)
    assert placed.exists()


@pytest.mark.parametrize("name", [MEL256.weights_stem + ".h5", "my-openl3.h5.gz"])
def test_a_damaged_file_of_the_user_in_the_models_folder_is_not_to_be_deleted(tmp_path, name):
    """A ``.h5`` copied into the models folder by hand (the docs allow it), or a file of
    another name there, is no download: "delete it (… downloads it again)" would lose the
    user's only copy for the official file."""
    models = tmp_path / "models"
    models.mkdir()
    placed = models / name
    placed.write_bytes(b"<html>not weights</html>")
    with pytest.raises(DamagedWeights) as caught:
        load_state_dict(MEL256, placed, models)
    text = str(caught.value)
    assert "delete" not in text and "replace it with a good copy" in text, text
    assert str(placed) in text and placed.exists()


def test_embed_with_a_remembered_file_damaged_since_names_it(ctx, tmp_path, monkeypatch,
                                                             keras_bytes):
    models = tmp_path / "models"
    monkeypatch.setattr(AppContext, "weights_dir", property(lambda self: models))
    mine = tmp_path / "mine.h5"
    mine.write_bytes(keras_bytes)
    music = tmp_path / "music"
    music.mkdir()
    add_tracks(ctx, [make_track(music / "a.wav", 1, seconds=1.0)])
    assert embed_library(ctx, "openl3", openl3_weights=str(mine)).embedded == 1
    mine.write_bytes(keras_bytes[:4096])  # damaged on disk since
    add_tracks(ctx, [make_track(music / "b.wav", 2, seconds=1.0)])
    with pytest.raises(MissingWeights) as caught:
        embed_library(ctx)
    text = str(caught.value)
    assert str(mine) in text and "damaged" in text and "\n" not in text, text
    assert mine.stat().st_size == 4096
