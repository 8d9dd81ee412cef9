"""After ``embed --model`` switched the library to another audio model than the graph model's,
the tracks added since have no vector of the graph model's audio model. ``stats`` (and the
window's model line) told to run `musicsage embed --model <the graph's model>` — which
switches the whole library back and analyses every track again — while ``embed`` and
``similar`` told to train again on the library's vectors. Then all three told "train again"
to tracks without a vector of the library's model either (scanned since, not embedded),
which left them without a graph vector. ``stats``, the window and ``embed`` now word one
decision (:class:`~musicsage.usecases.embedding.NoVectorWays`): train, embed then train, or
nothing for a track without an audio file nor a usable vector."""

from __future__ import annotations

import numpy as np

from music_support import make_music
from musicsage import cli
from musicsage.audio.library_model import AUDIO_MODEL_SETTING
from musicsage.library.db import connect, transaction
from musicsage.library.queries import set_setting, store_embeddings
from musicsage.usecases.library import scan_library
from musicsage.usecases.search import similar_tracks
from musicsage.usecases.snapshot import load_snapshot
from hints_told_support import as_default

OTHER = "musicnn-msd-max_pool"


def _switched_with_new_tracks(ctx, tmp_path) -> list[int]:
    """The two-model library (graph model on spectral) as ``embed --model OTHER`` leaves it:
    every track with an OTHER vector, OTHER the library's model; then two new tracks, embedded
    with OTHER alone. Returns the new tracks' ids."""
    conn = connect(ctx)
    before = {int(r[0]) for r in conn.execute("SELECT id FROM tracks")}
    music, _playlists, _ = make_music(tmp_path / "new", n_tracks=2, seconds=1.0, seed=5)
    scan_library(ctx, [str(music)])
    ids = [int(r[0]) for r in conn.execute("SELECT id FROM tracks")]
    rng = np.random.default_rng(0)
    with transaction(conn):
        store_embeddings(conn, [(t, rng.normal(size=16).astype(np.float32)) for t in ids],
                         OTHER, "test-version")
    set_setting(conn, AUDIO_MODEL_SETTING, OTHER)
    return sorted(set(ids) - before)


def test_stats_says_train_again_on_the_librarys_model(two_models, tmp_path, capsys):
    ctx, _first, _second = two_models
    new = _switched_with_new_tracks(ctx, tmp_path)
    assert len(new) == 2

    assert cli.main(["--data-dir", str(ctx.data_dir), "stats"]) == 0
    graph_line = next(ln for ln in as_default(capsys.readouterr().out, ctx.data_dir).splitlines()
                      if ln.startswith("graph "))
    assert graph_line.endswith(
        f"2 tracks have no spectral vector, and the library now uses {OTHER}: train again "
        f"on the {OTHER} vectors to give them graph vectors (`musicsage train`)")
    assert "embed --model spectral" not in graph_line
    # what `similar` says of such a track: the same way out
    note = similar_tracks(ctx, new[0], k=3).notes["graph"]
    assert f"train again on the {OTHER} vectors" in note


def _model_line(ctx) -> str:
    """The dock's model line as the window shows it: a fresh snapshot through
    :meth:`TrainingController.show_model`."""
    from musicsage.controllers.app import AppController
    from musicsage.controllers.tasks import InlineRunner

    app = AppController(ctx, InlineRunner())
    shown: list[str] = []
    app.training.model_shown.connect(lambda line, *_: shown.append(line))
    app.training.show_model(load_snapshot(ctx))
    return shown[-1]


def test_the_window_model_line_says_retrain_on_the_librarys_model(two_models, tmp_path):
    ctx, _first, _second = two_models
    _switched_with_new_tracks(ctx, tmp_path)
    line = _model_line(ctx)
    assert (f"2 tracks have no spectral vector, and the library now uses {OTHER}. Press "
            f"Retrain to train on its {OTHER} vectors and give them graph vectors.") in line
    assert "Compute embeddings" not in line


def test_the_window_says_why_retrain_cannot_train_yet(two_models, tmp_path):
    """"Press Retrain" beside a Retrain that only answers it cannot train: the line says why."""
    ctx, _first, _second = two_models
    _switched_with_new_tracks(ctx, tmp_path)
    conn = connect(ctx)
    with transaction(conn):  # too few memberships to train
        conn.execute("DELETE FROM playlist_entries WHERE rowid NOT IN (SELECT rowid FROM "
                     "playlist_entries WHERE track_id IS NOT NULL ORDER BY rowid LIMIT 3)")
    line = _model_line(ctx)
    assert f"A training on its {OTHER} vectors would give them graph vectors, but Retrain " \
        "needs at least" in line
    assert "Press Retrain" not in line


def test_a_track_scanned_after_the_switch_is_told_to_embed_then_train(two_models, tmp_path,
                                                                    capsys):
    """Scanned after the switch and not embedded, a track has no vector of the library's
    model either: "train again" left it without a graph vector; it is told to embed first."""
    ctx, _first, _second = two_models
    _switched_with_new_tracks(ctx, tmp_path)
    music, _playlists, _ = make_music(tmp_path / "later", n_tracks=1, seconds=1.0, seed=9)
    scan_library(ctx, [str(music)])

    assert cli.main(["--data-dir", str(ctx.data_dir), "stats"]) == 0
    graph_line = next(ln for ln in as_default(capsys.readouterr().out, ctx.data_dir).splitlines()
                      if ln.startswith("graph "))
    assert graph_line.endswith(
        f"3 tracks have no spectral vector, and the library now uses {OTHER}: train again on "
        f"the {OTHER} vectors to give 2 of them graph vectors (`musicsage train`); 1 track "
        f"needs its {OTHER} vector first: compute it, then train again (`musicsage embed`; "
        "then `musicsage train`)")
    line = _model_line(ctx)  # Retrain gives 2 of the 3 graph vectors, not all of them
    assert (f"3 tracks have no spectral vector, and the library now uses {OTHER}. Press "
            f"Retrain to train on its {OTHER} vectors and give 2 of them graph vectors. 1 track "
            f"needs its {OTHER} vector first: Compute embeddings with Audio model ▸ MusiCNN, "
            "then Retrain.") in line
    with transaction(connect(ctx)) as conn:  # too few memberships to train: the same count
        conn.execute("DELETE FROM playlist_entries WHERE rowid NOT IN (SELECT rowid FROM "
                     "playlist_entries WHERE track_id IS NOT NULL ORDER BY rowid LIMIT 3)")
    assert f"A training on its {OTHER} vectors would give 2 of them graph vectors, but " \
        "Retrain needs at least" in _model_line(ctx)


def test_tracks_without_an_audio_file_after_the_switch(two_models, tmp_path, capsys):
    """A track without an audio file whose imported vector is of the library's model is
    placed by a training on it (not "which no embed can make"); one without it gets none."""
    ctx, _first, _second = two_models
    new = _switched_with_new_tracks(ctx, tmp_path)
    conn = connect(ctx)
    with transaction(conn):  # as a dataset dir's import stores them: no audio file
        conn.execute("UPDATE tracks SET path = 'dataset:/d#' || id WHERE id IN (?, ?)",
                     tuple(new))
        conn.execute("DELETE FROM audio_embeddings WHERE track_id = ?", (new[1],))

    assert cli.main(["--data-dir", str(ctx.data_dir), "stats"]) == 0
    graph_line = next(ln for ln in as_default(capsys.readouterr().out, ctx.data_dir).splitlines()
                      if ln.startswith("graph "))
    assert graph_line.endswith(
        f"2 tracks have no spectral vector, and the library now uses {OTHER}: train again on "
        f"the {OTHER} vectors to give 1 of them a graph vector (`musicsage train`); 1 track "
        f"without an audio file has no {OTHER} vector either, which no embed can make: no "
        "graph vector")
    assert (f"Press Retrain to train on its {OTHER} vectors and give 1 of them a graph vector. "
            f"1 track without an audio file has no {OTHER} vector") in _model_line(ctx)


def test_embed_says_the_same_way_out(two_models, tmp_path):
    """``embed``'s note on the graph model's part words the same decision as ``stats``."""
    from musicsage.usecases.embedding import graph_vectors_for_new_tracks

    ctx, _first, _second = two_models
    _switched_with_new_tracks(ctx, tmp_path)
    music, _playlists, _ = make_music(tmp_path / "later", n_tracks=1, seconds=1.0, seed=9)
    scan_library(ctx, [str(music)])
    note = graph_vectors_for_new_tracks(ctx).note
    assert note.endswith(
        f"(the library now uses {OTHER}): train again on the {OTHER} vectors to give 2 of them "
        f"graph vectors (Retrain in the window, or musicsage train); 1 track needs its {OTHER} "
        "vector first: compute it, then train again (Compute embeddings in the window, or "
        "musicsage embed; then Retrain in the window, or musicsage train)"), note
