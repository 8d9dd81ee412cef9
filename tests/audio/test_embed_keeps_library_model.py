"""An ``embed`` given no model keeps the library's audio model (audit of session 47, item 1).

A plain ``embed`` after ``embed --model spectral`` used the default preference (MusiCNN, its
weights bundled): it re-embedded every track with MusiCNN, switched the library's audio model,
and the graph model trained on spectral vectors gave the new tracks no graph vector. The
default preference is only for a library without vectors; ``--model`` still switches.

The installation's default preference is pinned to MusiCNN here (as where its weights are
present): without the fix every plain embed below would run it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from musicsage import cli
from musicsage.audio import selection
from musicsage.audio.embedder import MissingWeights
from musicsage.library.db import connect
from musicsage.library.queries import embedding_counts, get_setting, store_embeddings
from musicsage.usecases.embedding import current_audio_model_id, default_audio_model, embed_library

from test_embed_job import add_tracks, make_track


@pytest.fixture
def prefers_musicnn(monkeypatch):
    """The default preference of an installation with MusiCNN's weights on disk."""
    monkeypatch.setattr(selection, "choose_default_model",
                        lambda ctx, **policy: ("musicnn", "musicnn: weights present"))


@pytest.fixture
def spectral_library(ctx, tmp_path, prefers_musicnn):
    """Three tracks embedded with ``--model spectral``, then two new ones not embedded yet."""
    music = tmp_path / "music"
    music.mkdir()
    add_tracks(ctx, [make_track(music / f"old{i}.wav", i, seconds=1.0) for i in range(3)])
    assert embed_library(ctx, "spectral").embedded == 3
    add_tracks(ctx, [make_track(music / f"new{i}.wav", 10 + i, seconds=1.0) for i in range(2)])
    return ctx


def test_a_plain_embed_uses_the_librarys_audio_model_and_says_so(spectral_library, capsys):
    ctx = spectral_library
    assert default_audio_model(ctx) == "spectral"
    assert cli.main(["--data-dir", str(ctx.data_dir), "embed"]) == 0
    out = capsys.readouterr().out
    assert "model: spectral [" in out and "spectral: the library's audio model" in out
    assert "embedded 2 of 2 tracks" in out
    assert embedding_counts(connect(ctx)) == {"spectral": 5}  # nothing re-embedded otherwise
    assert current_audio_model_id(ctx) == "spectral"


def test_the_windows_compute_embeddings_keeps_it_too(spectral_library):
    """The window's "Compute embeddings" with the menu's default choice (model None)."""
    from musicsage.usecases import pipeline

    rep = pipeline.embed(spectral_library, None)
    assert (rep.model_id, rep.embedded) == ("spectral", 2)
    assert embedding_counts(connect(spectral_library)) == {"spectral": 5}


def test_model_still_switches_and_the_next_plain_embed_keeps_the_new_one(ctx, tmp_path,
                                                                         prefers_musicnn):
    music = tmp_path / "music"
    music.mkdir()
    ids = add_tracks(ctx, [make_track(music / f"t{i}.wav", i, seconds=1.0) for i in range(3)])
    conn = connect(ctx)  # a library analysed with MusiCNN elsewhere (an import, say)
    store_embeddings(conn, [(t, np.ones(4, np.float32)) for t in ids], "musicnn-msd-max_pool",
                     "imported")
    assert current_audio_model_id(ctx) == "musicnn-msd-max_pool"
    assert embed_library(ctx, "spectral").embedded == 3
    assert get_setting(conn, "audio_model") == "spectral"
    add_tracks(ctx, [make_track(music / "new.wav", 9, seconds=1.0)])
    rep = embed_library(ctx)
    assert (rep.model_id, rep.embedded) == ("spectral", 1)
    assert embedding_counts(conn) == {"musicnn-msd-max_pool": 3, "spectral": 4}


def test_a_library_without_vectors_gets_the_default_preference(ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(selection, "choose_default_model",
                        lambda ctx, **policy: ("spectral", "spectral: needs no weights"))
    add_tracks(ctx, [make_track(tmp_path / "a.wav", 1, seconds=1.0)])
    rep = embed_library(ctx)
    assert rep.model_id == "spectral" and rep.reason == "spectral: needs no weights"


def test_a_librarys_model_without_weights_is_not_replaced(ctx, tmp_path, monkeypatch,
                                                          prefers_musicnn, capsys):
    """An OpenL3 library whose weights are gone: a plain embed neither fetches them nor
    re-embeds the library with another model; it says what to pass, in one line."""
    from musicsage.context import AppContext

    monkeypatch.setattr(AppContext, "weights_dir", property(lambda self: tmp_path / "none"))
    ids = add_tracks(ctx, [make_track(tmp_path / f"t{i}.wav", i, seconds=1.0) for i in range(2)])
    store_embeddings(connect(ctx), [(ids[0], np.ones(4, np.float32))],
                     "openl3-mel256-music-512", "v")
    with pytest.raises(MissingWeights, match="openl3-mel256-music-512, the library's audio "
                                             "model, cannot run") as caught:
        embed_library(ctx)
    assert "pass --model" in str(caught.value) and "nothing was embedded" in str(caught.value)
    assert cli.main(["--data-dir", str(ctx.data_dir), "embed"]) == 1
    err = capsys.readouterr().err
    assert "the library's audio model" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert embedding_counts(connect(ctx)) == {"openl3-mel256-music-512": 1}
    assert not Path(tmp_path / "none").exists()  # nothing downloaded


def test_imported_features_no_embedder_makes_are_not_kept(ctx, tmp_path, prefers_musicnn):
    """A library of imported ``spectral-dataset`` features (no embedder makes them): a plain
    ``embed`` said "spectral-dataset: the library's audio model" and embedded with
    ``spectral``, another model. It takes the default preference, as for a library of none."""
    from musicsage.library.dataset import DATASET_MODEL_ID

    music = tmp_path / "music"
    music.mkdir()
    tracks = add_tracks(ctx, [make_track(music / f"t{i}.wav", i, seconds=1.0) for i in range(3)])
    conn = connect(ctx)
    store_embeddings(conn, ((t, np.ones(4, np.float32)) for t in tracks), DATASET_MODEL_ID,
                     "dataset")
    conn.commit()
    assert current_audio_model_id(ctx) == DATASET_MODEL_ID
    choice = selection.choice_without_model(ctx)
    assert (choice.name, choice.from_library) == ("musicnn", False)


def test_a_library_whose_vectors_are_all_gone_keeps_its_chosen_model(spectral_library, capsys):
    """Every vector dropped (a re-scan that found every file changed: a ``touch``, a copy to
    a new disk without ``-p``): the ``audio_model`` setting still names the library's model,
    and a plain ``embed`` re-embedded the library with the default preference (MusiCNN here)
    and switched the setting — against "only --model switches" (audit of session 50)."""
    ctx = spectral_library
    conn = connect(ctx)
    conn.execute("DELETE FROM audio_embeddings")
    conn.execute("UPDATE tracks SET needs_analysis = 1")
    conn.commit()
    assert current_audio_model_id(ctx) is None and get_setting(conn, "audio_model") == "spectral"
    assert default_audio_model(ctx) == "spectral"
    assert cli.main(["--data-dir", str(ctx.data_dir), "embed"]) == 0
    out = capsys.readouterr().out
    assert "spectral: the library's audio model" in out and "embedded 5 of 5 tracks" in out
    assert embedding_counts(conn) == {"spectral": 5}
    assert get_setting(conn, "audio_model") == "spectral"


def test_vectors_present_win_over_a_stale_setting(ctx, tmp_path, prefers_musicnn):
    """The setting says spectral, but its vectors are gone and another model's are there (its
    folder forgotten, a MusiCNN dataset imported): a plain ``embed`` follows the vectors the
    library shows — the setting alone re-embedded every track with spectral (review of
    session 50). The setting counts only when no vector of any model is left."""
    music = tmp_path / "music"
    music.mkdir()
    ids = add_tracks(ctx, [make_track(music / f"t{i}.wav", i, seconds=1.0) for i in range(2)])
    assert embed_library(ctx, "spectral").embedded == 2
    conn = connect(ctx)
    conn.execute("DELETE FROM audio_embeddings")
    store_embeddings(conn, [(ids[0], np.ones(4, np.float32))], "musicnn-msd-max_pool", "x")
    conn.commit()
    assert get_setting(conn, "audio_model") == "spectral"
    assert selection.choice_without_model(ctx)[0] == "musicnn-msd-max_pool"
