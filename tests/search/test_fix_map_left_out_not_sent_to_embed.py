"""``map``'s note on tracks without a vector advises ``embed`` only for those it can analyse:
a track whose analysis failed is told why (as ``similar`` tells such a query), on both maps;
the graph map tells a track whose audio vector is damaged beyond an embed so (``damaged_note``'s
words), and a library's tracks imported without an audio file are sent to import their dataset
dir again (``export``'s words), not told "each has …: they were imported …" with no remedy.
All were sent to an ``embed`` that skips them, or fails on them again."""

from __future__ import annotations

import json

import numpy as np
import pytest
from search_helpers import AUDIO_MODEL, add_track, clustered_vectors, run_cli

from musicsage.errors import EMBED_HINT
from musicsage.library.queries import record_error, store_embeddings

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
    return json.loads(out)[space]["no_vector"]


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


def test_graph_map_tells_why_a_failed_track_has_no_vector(capsys, ctx, library):
    library.add(6)
    library.embed(clustered_vectors(6))
    _graph_model(ctx, library, library.ids[:6])
    (missing,) = library.add(1, start=50)
    library.set_missing(missing)
    _failed(library)
    library.conn.commit()
    said = _no_vector(capsys, ctx, "graph")
    assert "places new tracks without retraining" in said
    assert said.endswith(": 1 of them cannot be analysed again now (it is a missing file: once "
                         "back, a rescan and an embed analyse it) (1 of them: analysing its file "
                         f"failed: {REASON})"), said


def test_graph_map_tells_a_damaged_vector_no_embed_mends(capsys, ctx, library):
    library.add(6)
    library.embed(clustered_vectors(6))
    _graph_model(ctx, library, library.ids[:6])
    fresh, damaged = library.add(2, start=50)
    library.embed(clustered_vectors(1), [fresh])
    store_embeddings(library.conn, [(damaged, np.full(16, np.nan, np.float32))], AUDIO_MODEL, "v1")
    library.set_missing(damaged)
    library.conn.commit()
    said = _no_vector(capsys, ctx, "graph")
    assert said == (
        "2 tracks left out: each has no graph embedding yet: the graph model places new tracks "
        f"without retraining: an embed analyses 1 of them ({EMBED_HINT}); 1 of them has no graph "
        f"embedding: its stored {AUDIO_MODEL} vector is damaged and its audio cannot be analysed "
        "again (its file is missing), so training left it out"), said


@pytest.mark.parametrize("n", [1, 2])
def test_tracks_imported_without_a_file_are_sent_to_import_their_dir_again(capsys, ctx, library,
                                                                           n):
    library.add(6)
    library.embed(clustered_vectors(6))
    for i in range(n):
        add_track(library.conn, f"dataset:/data/ds#{i}", title=f"T{i}", artist="A")
    library.conn.commit()
    said = _no_vector(capsys, ctx, "audio")
    assert "musicsage embed" not in said and "each" not in said, said
    subject = "it was" if n == 1 else "they were"
    assert said.endswith(f"{subject} imported from a dataset dir without an audio file, so "
                         f"{'it has' if n == 1 else 'they have'} no audio embedding: import the "
                         f"dataset dir {'it' if n == 1 else 'they'} came from again "
                         "(`musicsage import /data/ds`)"), said
