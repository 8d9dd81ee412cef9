"""A plain ``embed`` on a library whose audio model's weights are not on disk names the
download that keeps the library's model, by the library's own model id.

A MusiCNN library (its weights cleared from the cache) was only told to switch every track
to spectral (``pass --model spectral …``), though ``embed --model musicnn`` fetches the
weights and keeps its vectors and graph model. An OpenL3 library of another variant than the
default was told "`musicsage embed --model openl3` downloads them": that command embeds with
the default variant, another model, and switched every track.
"""

from __future__ import annotations

import numpy as np
import pytest

from musicsage.audio import musicnn
from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn import wheel
from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio_models import AudioModelFamily
from musicsage.context import AppContext
from musicsage.library.db import connect
from musicsage.library.queries import embedding_counts, store_embeddings
from musicsage.usecases.embedding import embed_library

from test_embed_job import add_tracks, make_track


@pytest.fixture
def two_tracks(ctx, tmp_path, monkeypatch, no_checkout_models):
    """Two tracks and an empty models folder: no weights on disk, none fetched."""
    models = tmp_path / "models"
    models.mkdir()
    monkeypatch.setattr(AppContext, "weights_dir", property(lambda self: models))
    music = tmp_path / "music"
    music.mkdir()
    return add_tracks(ctx, [make_track(music / f"{i}.wav", i, seconds=1.0) for i in (1, 2)])


@pytest.mark.parametrize("model_id", ["musicnn-msd-max_pool", "openl3-mel128-env-6144"])
def test_the_way_to_keep_the_librarys_model_is_named(ctx, two_tracks, monkeypatch, model_id):
    monkeypatch.setattr(musicnn, "weights_available", lambda _ctx, **_policy: False)
    conn = connect(ctx)
    store_embeddings(conn, [(two_tracks[0], np.ones(8, np.float32))], model_id, "v")
    with pytest.raises(MissingWeights) as caught:
        embed_library(ctx)
    text = str(caught.value)
    assert f"— `musicsage embed --model {model_id}` downloads them" in text, text
    assert "\n" not in text
    assert embedding_counts(conn) == {model_id: 1}  # nothing embedded with another model


def test_a_damaged_openl3_download_names_one_command_the_librarys(ctx, two_tracks):
    """A library of ``openl3-mel128-env-6144`` whose downloaded weights file is damaged was
    told "delete it (embed --model openl3 downloads it again) — `musicsage embed --model
    openl3-mel128-env-6144` downloads them": two commands, the first switching every track to
    the default variant. One, naming the library's own model."""
    model_id = "openl3-mel128-env-6144"
    damaged = ctx.weights_dir / (parse_variant(model_id).weights_stem + ".h5.gz")
    damaged.write_bytes(b"\x1f\x8b" + bytes(100))  # what an interrupted `curl -O` leaves
    conn = connect(ctx)
    store_embeddings(conn, [(two_tracks[0], np.ones(8, np.float32))], model_id, "v")
    with pytest.raises(MissingWeights) as caught:
        embed_library(ctx)
    text = str(caught.value)
    assert f"{damaged} is damaged: delete it (embed --model {model_id} downloads it again)" \
        in text, text
    assert text.count("embed --model") == 1 and "\n" not in text, text
    assert damaged.exists()  # not the app's to delete
    assert embedding_counts(conn) == {model_id: 1}


def test_a_damaged_musicnn_wheel_is_named_with_the_librarys_model(ctx, two_tracks):
    """A wheel that is no zip was taken for no wheel: "weights not found — `musicsage embed
    --model musicnn-msd-max_pool` downloads them", and that command answered "… is damaged
    (not a zip): delete it" without downloading. The damaged wheel is named at once."""
    model_id = "musicnn-msd-max_pool"
    damaged = ctx.weights_dir / wheel.WHEEL_NAME
    damaged.write_bytes(b"<html>a login page</html>")
    conn = connect(ctx)
    store_embeddings(conn, [(two_tracks[0], np.ones(8, np.float32))], model_id, "v")
    with pytest.raises(MissingWeights) as caught:
        embed_library(ctx)
    text = str(caught.value)
    assert (f"{damaged} is damaged (not a zip): delete it (embed --model {model_id} downloads "
            "it again)") in text, text
    assert "weights not found" not in text and text.count("embed --model") == 1, text
    assert damaged.exists()
    assert embedding_counts(conn) == {model_id: 1}


def test_a_familys_download_hint_names_the_model_by_a_placeholder():
    """The library's id was put into the family's words by finding "--model openl3`" in
    them: a hint worded otherwise kept naming the family's default model."""
    family = AudioModelFamily("mymodel", "My model", "musicsage.audio.mymodel",
                              download_hint=" — `musicsage embed --model {model} --device cpu`"
                                            " downloads them")
    assert family.how_to_enable_for("mymodel-large") == (
        " — `musicsage embed --model mymodel-large --device cpu` downloads them")
    assert family.how_to_enable == (  # the default choice's words
        " — `musicsage embed --model mymodel --device cpu` downloads them")


def test_a_damaged_musicnn_wheel_leaves_the_models_identity_unknown(ctx, monkeypatch):
    """What the import of an export asks before it keeps the export's analysis settings: a
    damaged wheel is no answer, not a failure of the import (the embed says why)."""
    import musicsage.audio.musicnn as musicnn
    from musicsage.audio.embedder import embedder_identity

    monkeypatch.setattr(musicnn, "available", lambda *_a, **_k: False)  # no checkpoints yet
    ctx.weights_dir.mkdir(parents=True, exist_ok=True)
    (ctx.weights_dir / wheel.WHEEL_NAME).write_bytes(b"<html>a login page</html>")
    with pytest.raises(MissingWeights):  # what embed meets, naming the damaged wheel
        musicnn.weights_available(ctx, model_id="musicnn-msd-max_pool")
    assert embedder_identity("musicnn-msd-max_pool", ctx) is None



@pytest.mark.parametrize("readable", [True, False])
def test_a_wheel_the_embed_cannot_use_is_told_one_way_naming_the_librarys_model(
        ctx, two_tracks, monkeypatch, readable):
    """The registry's check and the wheel's download said it two ways: the download advised
    ``embed --model musicnn`` (a musicnn-mtt library then switched every track to the default
    model), and judged readability otherwise. One check, one wording, the library's model."""
    model_id = "musicnn-mtt-max_pool"
    unusable = ctx.weights_dir / wheel.WHEEL_NAME
    unusable.write_bytes(b"<html>a login page</html>")
    if not readable:  # as a file the user may not open says (root opens it all the same)
        monkeypatch.setattr("builtins.open", _refusing_open(unusable))
    monkeypatch.setattr(musicnn, "available", lambda *_a, **_k: False)
    with pytest.raises(MissingWeights) as by_registry:
        musicnn.weights_available(ctx, model_id=model_id)
    with pytest.raises(MissingWeights) as by_download:
        wheel.ensure_wheel(ctx, download=False, model_id=model_id)
    assert str(by_registry.value) == str(by_download.value)
    text = str(by_download.value)
    if readable:
        assert f"embed --model {model_id} downloads it again" in text, text
    else:
        assert text.startswith(f"cannot read {unusable} (") and "delete" not in text, text


def _refusing_open(refused):
    """``open`` that refuses ``refused`` as a file without read access does."""
    import builtins
    real_open = builtins.open

    def opening(file, *args, **kwargs):
        if str(file) == str(refused):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)
    return opening
