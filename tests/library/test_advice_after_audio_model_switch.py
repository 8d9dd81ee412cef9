"""After ``embed --model`` switched the library to another audio model than the graph model's,
the tracks added since have no vector of the graph model's audio model. ``stats`` (and the
window's model line) told to run `musicsage embed --model <the graph's model>` — which
switches the whole library back and analyses every track again — while ``embed`` and
``similar`` told to train again on the library's vectors. They all say train again now."""

from __future__ import annotations

import numpy as np

from music_support import make_music
from musicsage import cli
from musicsage.audio.library_model import AUDIO_MODEL_SETTING
from musicsage.controllers.evaluation import describe_model
from musicsage.library.db import connect, transaction
from musicsage.library.queries import set_setting, store_embeddings
from musicsage.usecases.library import library_stats, scan_library
from musicsage.usecases.search import similar_tracks

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
    graph_line = next(ln for ln in capsys.readouterr().out.splitlines()
                      if ln.startswith("graph "))
    assert graph_line.endswith(
        f"2 tracks have no spectral vector, and the library now uses {OTHER}: train again "
        f"on the {OTHER} vectors to give them graph vectors (`musicsage train`)")
    assert "embed --model spectral" not in graph_line
    # what `similar` says of such a track: the same way out
    note = similar_tracks(ctx, new[0], k=3).notes["graph"]
    assert f"train again on the {OTHER} vectors" in note


def test_the_window_model_line_says_retrain_on_the_librarys_model(two_models, tmp_path):
    ctx, _first, _second = two_models
    _switched_with_new_tracks(ctx, tmp_path)
    graph = library_stats(ctx).graph_model
    line = describe_model(graph, library_model=OTHER)
    assert (f"2 tracks have no spectral vector, and the library now uses {OTHER}: press "
            f"Retrain to train on its {OTHER} vectors and give them graph vectors.") in line
    assert "Compute embeddings" not in line
    # still the library's own model: computing its vectors is the way, as before
    assert "Compute embeddings with Audio model ▸" in describe_model(graph,
                                                                    library_model="spectral")
