"""``map`` of a library where most tracks have no vector yet (scanned, then ``embed --limit 2``):
it said "2 tracks mapped" and nothing of the 13 others, so a user took them for gone. It now
says how many are left off the map, why, and what gives them a place, in the words ``similar``
uses of a track without a vector (``map --json``: ``no_vector``); and it names the tracks left
off for a vector of other analysis settings (``other_version``), which it named nowhere."""

from __future__ import annotations

import json

from search_helpers import clustered_vectors, run_cli
from musicsage.context import library_option


def test_tracks_without_a_vector_are_counted_with_what_to_run(capsys, ctx, library):
    library.add(15)
    library.embed(clustered_vectors(2), library.ids[:2])
    library.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "map", "--space", "audio")
    assert rc == 0, err
    assert "2 tracks mapped" in out
    assert ("note: audio: 13 tracks left out: each has no audio embedding (Compute embeddings "
            f"in the window, or musicsage {library_option(ctx.data_dir)}embed)") in err.splitlines()


def test_json_names_them_and_a_missing_file_is_not_sent_to_embed(capsys, ctx, library):
    library.add(4)
    library.embed(clustered_vectors(2), library.ids[:2])
    library.set_missing(library.ids[3])
    library.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "map", "--space", "audio", "--json")
    assert rc == 0, err
    audio = json.loads(out)["audio"]
    assert audio["tracks"] == 2
    assert audio["no_vector"] == (
        "2 tracks left out: each has no audio embedding: an embed analyses 1 of them (Compute "
        f"embeddings in the window, or musicsage {library_option(ctx.data_dir)}embed) (1 of them is a missing file: once back, "
        "a rescan and an embed analyse it)")


def test_one_track_left_out_is_it(capsys, ctx, library):
    library.add(4)
    library.embed(clustered_vectors(3), library.ids[:3])
    library.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "map", "--space", "audio")
    assert rc == 0, err
    assert "note: audio: 1 track left out: it has no audio embedding (" in err


def test_tracks_of_another_analysis_version_are_named(capsys, ctx, library):
    from musicsage.library.queries import store_embeddings

    library.add(8)
    vectors = clustered_vectors(8)
    library.embed(vectors[:6], library.ids[:6])
    store_embeddings(library.conn, zip(library.ids[6:], vectors[6:]), "spectral-test", "v0")
    library.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "map", "--space", "audio", "--json")
    assert rc == 0, err
    audio = json.loads(out)["audio"]
    assert audio["tracks"] == 6
    assert audio["other_version"].startswith("2 tracks left out: their spectral-test vectors "
                                             "were made with other analysis settings")
    assert "no_vector" not in audio  # they have a vector: not told twice, nor as lacking one


def test_a_whole_library_has_no_such_line(capsys, ctx, library):
    library.add(5)
    library.embed(clustered_vectors(5))
    library.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "map", "--space", "audio")
    assert rc == 0 and "left out" not in err, err


def test_the_graph_map_names_the_tracks_the_model_has_not_placed(capsys, ctx, library):
    """Tracks added since the graph model was trained have no graph vector until an embed
    places them: the graph map said "3 tracks mapped" of five, nothing of the two others."""
    import numpy as np

    from musicsage.graph.store import new_model_dir, register_model, write_embeddings
    from musicsage.library.db import connect
    from models_support import STAND_IN_MODEL_PT

    library.add(5)
    library.embed(clustered_vectors(5))
    library.conn.commit()
    folder = new_model_dir(ctx, "spectral-test")
    write_embeddings(folder, np.asarray(library.ids[:3]), clustered_vectors(3, dim=8, seed=3))
    (folder / "model.pt").write_bytes(STAND_IN_MODEL_PT)
    register_model(connect(ctx), ctx, folder, name="pinsage-spectral-test",
                   audio_model="spectral-test", params={}, metrics={}, fingerprint="f")
    rc, out, err = run_cli(capsys, ctx, "map", "--space", "graph")
    assert rc == 0, err
    assert "3 tracks mapped" in out
    assert ("note: graph: 2 tracks left out: each has no graph embedding yet: the graph model "
            "places new tracks without retraining (Compute embeddings in the window, or "
            f"musicsage {library_option(ctx.data_dir)}embed)") in err.splitlines()
