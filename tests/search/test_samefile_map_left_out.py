"""``map`` of a library where one track's stored audio vector holds NaN: the space leaves the
track out, and ``map`` said "4 tracks mapped" of five tracks, naming none. The map now says
how many were left out and why, in the words ``embed`` and ``export`` use for a damaged
vector (``map --json``'s ``left_out``; the window's notes)."""

from __future__ import annotations

import json

import numpy as np
from search_helpers import clustered_vectors, run_cli
from hints_told_support import as_default


def _library_with_a_nan_vector(library) -> int:
    library.add(5)
    vectors = clustered_vectors(len(library.ids))
    vectors[2] = np.nan
    library.embed(vectors)
    library.conn.commit()
    return library.ids[2]


def test_a_track_with_a_nan_vector_is_said_left_out_of_the_map(capsys, ctx, library):
    _library_with_a_nan_vector(library)
    rc, out, err = run_cli(capsys, ctx, "map", "--space", "audio", "--json")
    assert rc == 0, err
    audio = json.loads(out)["audio"]
    assert audio["tracks"] == 4
    assert as_default(audio["left_out"], ctx.data_dir) == (
        "1 track left out: its spectral-test vector is damaged (NaN or infinite values, or "
        "the wrong length); an embed analyses it again (Compute embeddings in the window, "
        "or musicsage embed)")
    from musicsage.usecases.search import map_points

    points = map_points(ctx, "audio")
    assert as_default(audio["left_out"], ctx.data_dir) in points.extra["notes"]  # the window's


def test_a_whole_library_maps_without_a_left_out_line(capsys, ctx, library):
    library.add(5)
    library.embed(clustered_vectors(5))
    library.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "map", "--space", "audio", "--json")
    assert rc == 0 and "left_out" not in json.loads(out)["audio"], err


def test_the_text_line_names_the_tracks_left_out(capsys, ctx, library):
    """Without --json the count line alone ("4 tracks mapped") was short of the damaged one."""
    _library_with_a_nan_vector(library)
    rc, out, err = run_cli(capsys, ctx, "map", "--space", "audio")
    assert rc == 0, err
    assert "4 tracks mapped" in out
    assert "note: audio: 1 track left out: its spectral-test vector is damaged" in err
