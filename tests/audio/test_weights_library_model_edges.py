"""Weights and model switches a user meets by hand (session 60's third review of the embedders).

A plain ``embed`` with a damaged cached OpenL3 file embedded with spectral and switched the
library; ``embed --model X`` (no ``--limit``) never switched a library whose model kept vectors
of missing tracks, then a second run did; ``--model Spectral`` hid the "still uses" note; an
older single-path weights setting served the wrong variant once the vectors were gone; a
remembered file gone with an empty cache was "weights not found"; an unreadable file was
"damaged: delete it"; a file replaced in place and ``touch -r``'d kept its old blob id.
No download: weights are small generated files.
"""

from __future__ import annotations

import gzip
import os

import numpy as np
import pytest

from musicsage import cli
from musicsage.audio import openl3, selection
from musicsage.audio.embedder import MissingWeights
from musicsage.audio.openl3 import weights
from musicsage.library.db import connect
from musicsage.library.queries import embedding_counts, get_setting, set_setting, store_embeddings
from musicsage.usecases.embedding import current_audio_model_id, embed_library

from test_embed_job import add_tracks, make_track
from test_weights_damaged_and_variants import MEL128_ENV, MEL256, keras_h5, models  # noqa: F401

OPENL3 = "openl3-mel256-music-512"


def _openl3_library(ctx, tmp_path, n: int) -> list[int]:
    """``n`` tracks with OpenL3 vectors, the library's audio model."""
    music = tmp_path / "music"
    music.mkdir(exist_ok=True)
    ids = add_tracks(ctx, [make_track(music / f"t{i}.wav", i, seconds=1.0) for i in range(n)])
    conn = connect(ctx)
    store_embeddings(conn, [(i, np.ones(8, np.float32)) for i in ids], OPENL3, "v")
    set_setting(conn, selection.AUDIO_MODEL_SETTING, OPENL3)
    return ids


def test_a_plain_embed_with_damaged_weights_refuses_and_keeps_the_model(ctx, tmp_path, models,
                                                                        capsys):
    wdir, gz = models
    _openl3_library(ctx, tmp_path, 2)
    add_tracks(ctx, [make_track(tmp_path / "music" / "new.wav", 9, seconds=1.0)])
    cut = wdir / (MEL256.weights_stem + ".h5.gz")
    cut.write_bytes(gz[:len(gz) // 2])
    with pytest.raises(MissingWeights, match=f"{OPENL3}, the library's audio model, cannot "
                                             f"run: {cut} is damaged: delete it"):
        embed_library(ctx)
    assert cli.main(["--data-dir", str(ctx.data_dir), "embed"]) == 1
    assert "nothing was embedded" in capsys.readouterr().err
    assert embedding_counts(connect(ctx)) == {OPENL3: 2}
    assert current_audio_model_id(ctx) == OPENL3


def test_a_full_run_switches_though_the_old_model_has_vectors_of_missing_tracks(ctx, tmp_path):
    ids = _openl3_library(ctx, tmp_path, 5)
    conn = connect(ctx)
    conn.execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (ids[0],))
    conn.commit()
    rep = embed_library(ctx, "spectral", limit=10)  # a --limit run: keeps, and says how
    assert rep.embedded == 4 and current_audio_model_id(ctx) == OPENL3
    assert "embed --model spectral without --limit switches" in rep.reason
    rep = embed_library(ctx, "spectral", limit=10)  # nothing to do: the same rule
    assert rep.total == 0 and current_audio_model_id(ctx) == OPENL3
    assert "without --limit switches" in rep.reason
    rep = embed_library(ctx, "spectral")  # what the note promised
    assert current_audio_model_id(ctx) == "spectral" and "still uses" not in rep.reason
    assert get_setting(conn, selection.AUDIO_MODEL_SETTING) == "spectral"


def test_a_full_run_with_work_switches_at_once(ctx, tmp_path):
    ids = _openl3_library(ctx, tmp_path, 3)
    conn = connect(ctx)
    conn.execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (ids[0],))
    conn.commit()
    rep = embed_library(ctx, "spectral")
    assert rep.embedded == 2 and current_audio_model_id(ctx) == "spectral"
    assert "still uses" not in rep.reason and "as many vectors" not in rep.reason


def test_a_capitalised_model_keeps_the_still_uses_note(ctx, tmp_path, capsys):
    _openl3_library(ctx, tmp_path, 3)
    rep = embed_library(ctx, "Spectral", limit=1)
    assert rep.reason.startswith("spectral: requested; the library still uses " + OPENL3)
    assert "no model computes" not in rep.reason
    assert cli.main(["--data-dir", str(ctx.data_dir), "embed", "--model", "SPECTRAL",
                     "--limit", "1"]) == 0
    assert "without --limit switches" in capsys.readouterr().out


def test_an_old_single_path_serves_the_librarys_variant_with_no_vectors_left(ctx, tmp_path,
                                                                             keras_h5):
    add_tracks(ctx, [make_track(tmp_path / "a.wav", 1, seconds=1.0)])
    old = tmp_path / "my weights #1 %.h5"  # a name that says no variant
    old.write_bytes(keras_h5)
    conn = connect(ctx)
    set_setting(conn, selection.AUDIO_MODEL_SETTING, "openl3-mel128-env-512")
    set_setting(conn, openl3.SETTING_KEY, str(old))
    assert openl3.setting_weights(ctx, MEL128_ENV) == str(old)
    assert openl3.setting_weights(ctx, MEL256) is None


def test_a_remembered_file_gone_with_an_empty_cache_is_named(ctx, tmp_path, models):
    _openl3_library(ctx, tmp_path, 2)
    add_tracks(ctx, [make_track(tmp_path / "music" / "new.wav", 9, seconds=1.0)])
    gone = tmp_path / "gone.h5"
    set_setting(connect(ctx), openl3.SETTING_KEY, {"mel256_music": str(gone)})
    with pytest.raises(MissingWeights) as caught:
        embed_library(ctx)
    text = str(caught.value)
    assert "the library's audio model, cannot run: weights not found" in text
    assert str(gone) in text and openl3.SETTING_KEY in text and "\n" not in text
    assert openl3.setting_weights(ctx, MEL256) == str(gone)  # kept: the drive may come back
    family, why = selection.choose_default_model(ctx)
    assert family != "openl3" and str(gone) in why


def test_an_unreadable_official_file_is_not_called_damaged(tmp_path, monkeypatch):
    good = gzip.compress(b"A" * 1000, mtime=0)
    monkeypatch.setitem(openl3.variants.GIT_BLOB_IDS, ("mel256", "music"),
                        weights.git_blob_id(good))
    path = tmp_path / (MEL256.weights_stem + ".h5.gz")
    path.write_bytes(good)
    real = type(path).read_bytes

    def denied(self):
        if self == path:  # as chmod 000 for a user other than root
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(type(path), "read_bytes", denied)
    with pytest.raises(MissingWeights) as caught:
        weights.cached_source(tmp_path, openl3.parse_variant(None))
    assert f"cannot read {path} (Permission denied)" in str(caught.value)
    assert "damaged" not in str(caught.value)
    assert path.exists()


def test_a_file_replaced_in_place_and_touched_back_is_hashed_again(tmp_path, monkeypatch):
    good = gzip.compress(b"A" * 100000, mtime=0)
    monkeypatch.setitem(openl3.variants.GIT_BLOB_IDS, ("mel256", "music"),
                        weights.git_blob_id(good))
    v = openl3.parse_variant(None)
    path = tmp_path / (v.weights_stem + ".h5.gz")
    path.write_bytes(good)
    assert weights.cached_source(tmp_path, v) == path
    st = os.stat(path)
    path.write_bytes(b"\0" * len(good))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # `touch -r` with the old file
    with pytest.raises(MissingWeights, match="is damaged"):
        weights.cached_source(tmp_path, v)
