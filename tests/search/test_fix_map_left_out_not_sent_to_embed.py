"""``map``'s note on tracks without a vector advises ``embed`` only for those it can analyse:
a track whose analysis failed is told why (as ``similar`` tells such a query);
and a library whose tracks all came from a dataset dir without its vectors is told, in
``embed``'s words, to put them in its features.npy and import it again. All were sent to an
``embed`` that skips them, or fails on them again. The graph map's note stays ``similar``'s: an
embed places a track by the audio vector it has, with a file or without one."""

from __future__ import annotations

import json

import numpy as np
import pytest
from search_helpers import AUDIO_MODEL, add_track, clustered_vectors, run_cli

from musicsage.errors import EMBED_HINT
from musicsage.library.queries import record_error, store_embeddings
from hints_told_support import as_default

REASON = "song099.wav: not a readable audio file (Invalid data found)"


def _failed(library) -> int:
    """A track added after the others whose analysis failed."""
    (new,) = library.add(1, start=99)
    path = library.conn.execute("SELECT path FROM tracks WHERE id = ?", (new,)).fetchone()[0]
    record_error(library.conn, path, f"embed:{AUDIO_MODEL}", REASON, track_id=new)
    return new


def _no_vector(capsys, ctx, space: str) -> str:
    rc, out, err = run_cli(capsys, ctx, "map", "--space", space, "--json")
    assert rc == 0, err
    return as_default(json.loads(out)[space]["no_vector"], ctx.data_dir)


def _graph_model(ctx, library, ids) -> None:
    """A graph model on the audio model that holds ``ids`` alone."""
    from models_support import STAND_IN_MODEL_PT

    from musicsage.graph.store import new_model_dir, register_model, write_embeddings
    from musicsage.library.db import connect

    folder = new_model_dir(ctx, AUDIO_MODEL)
    write_embeddings(folder, np.asarray(ids), clustered_vectors(len(ids), dim=8, seed=3))
    (folder / "model.pt").write_bytes(STAND_IN_MODEL_PT)
    register_model(connect(ctx), ctx, folder, name="pinsage-test", audio_model=AUDIO_MODEL,
                   params={}, metrics={}, fingerprint="f")


def test_audio_map_tells_why_a_failed_track_has_no_vector(capsys, ctx, library):
    library.add(6)
    library.embed(clustered_vectors(6))
    _failed(library)
    library.conn.commit()
    said = _no_vector(capsys, ctx, "audio")
    assert said == f"1 track left out: it has no audio embedding: analysing its file failed: {REASON}"


def test_audio_map_advises_embed_only_for_those_it_can_analyse(capsys, ctx, library):
    library.add(6)
    library.embed(clustered_vectors(6))
    library.add(1, start=50)  # never analysed: embed's
    _failed(library)
    library.conn.commit()
    assert _no_vector(capsys, ctx, "audio") == (
        f"2 tracks left out: each has no audio embedding: an embed analyses 1 of them ({EMBED_HINT}) "
        f"(1 of them: analysing its file failed: {REASON})")


def test_graph_map_counts_tracks_an_embed_places_by_their_audio_vector(capsys, ctx, library):
    """A missing file, or a track imported without one, that has its audio vector is placed by
    an embed: the graph map sends it there (a split made for audio told it "cannot be
    analysed again now")."""
    library.add(6)
    library.embed(clustered_vectors(6))
    _graph_model(ctx, library, library.ids[:6])
    (missing,) = library.add(1, start=50)
    imported = add_track(library.conn, "dataset:/data/ds#0", title="T0", artist="A")
    library.embed(clustered_vectors(2), [missing, imported])
    library.set_missing(missing)
    library.conn.commit()
    assert _no_vector(capsys, ctx, "graph") == (
        "2 tracks left out: each has no graph embedding yet: the graph model places new tracks "
        f"without retraining ({EMBED_HINT})")


@pytest.mark.parametrize("n", [1, 2])
def test_tracks_imported_without_a_file_are_not_sent_to_embed(capsys, ctx, library, n):
    library.add(6)
    library.embed(clustered_vectors(6))
    for i in range(n):
        add_track(library.conn, f"dataset:/data/ds#{i}", title=f"T{i}", artist="A")
    library.conn.commit()
    said = _no_vector(capsys, ctx, "audio")
    assert "musicsage embed" not in said and "imported from a dataset dir" in said, said


def test_a_library_of_dataset_tracks_alone_is_told_to_import_with_its_vectors(capsys, ctx,
                                                                              library):
    """Importing the same dir again changes nothing: embed's words, the vectors put in its
    features.npy first (``map`` told "import the dataset dir they came from again")."""
    ids = [add_track(library.conn, f"dataset:/data/ds#{i}", title=f"T{i}", artist="A")
           for i in range(8)]
    library.embed(clustered_vectors(6), ids[:6])
    library.conn.commit()
    said = _no_vector(capsys, ctx, "audio")
    assert said == ("2 tracks left out: 2 tracks imported from the dataset dir /data/ds have "
                    "neither an audio file nor a vector (imported without a features.npy): put "
                    "the vectors in /data/ds/features.npy and import the folder again "
                    "(`musicsage import /data/ds`)"), said
