"""When the audio model an ``embed`` asks for cannot run (here: a damaged download in the
models folder), the line's advice depends on the library.

A library whose vectors are of that family: embedding with another model is no stopgap but a
switch of every track, and a plain ``embed`` (as the watch, ``scan --watch`` having no
``--model``, and the window run it), ``embed --model openl3`` and ``embed --model`` with the
model's full id on an OpenL3 library all run the library's own model; "pass --model spectral
to embed with it meanwhile" read as harmless. A library without vectors of it may well embed
with another meanwhile.
"""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.audio.embedder import MissingWeights
from musicsage.audio.openl3 import variants
from musicsage.context import AppContext
from musicsage.library.db import connect
from musicsage.library.queries import embedding_counts, store_embeddings
from musicsage.usecases.embedding import embed_library

from test_embed_job import add_tracks, make_track

OPENL3_ID = "openl3-mel256-music-512"
SWITCH = "nothing was embedded (pass --model spectral to embed the library with spectral"


@pytest.fixture
def damaged_download(ctx, tmp_path, monkeypatch, no_checkout_models):
    """A models folder whose OpenL3 download is damaged (no network is asked), and a track."""
    models = tmp_path / "models"
    models.mkdir()
    monkeypatch.setattr(AppContext, "weights_dir", property(lambda self: models))
    stem = variants.parse_variant("mel256_music_512").weights_stem
    (models / f"{stem}.h5.gz").write_bytes(b"\x1f\x8b" + bytes(100))
    music = tmp_path / "music"
    music.mkdir()
    return add_tracks(ctx, [make_track(music / "a.wav", 1, seconds=1.0)])


@pytest.mark.parametrize("model", [None, "openl3", OPENL3_ID])  # None: the watch, the window
def test_a_library_of_the_model_is_told_the_other_is_a_switch(ctx, damaged_download, model):
    conn = connect(ctx)
    store_embeddings(conn, [(damaged_download[0], np.ones(8, np.float32))], OPENL3_ID, "v")
    with pytest.raises(MissingWeights) as caught:
        embed_library(ctx, model)
    text = str(caught.value)
    assert "is damaged" in text and "\n" not in text, text
    assert SWITCH in text and "meanwhile" not in text, text
    assert embedding_counts(conn) == {OPENL3_ID: 1}


def test_a_library_without_its_vectors_may_embed_with_another_meanwhile(ctx, damaged_download):
    with pytest.raises(MissingWeights) as caught:
        embed_library(ctx, "openl3")
    text = str(caught.value)
    assert text.endswith("pass --model spectral to embed with it meanwhile"), text
    assert "nothing was embedded" not in text, text
