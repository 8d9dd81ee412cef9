"""`similar -k N` that lists fewer than N tracks says why on stderr, as `radio` says of a
short queue: `similar -k 50 --variety` listed one track per artist, fewer than asked for,
without a word."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "search"))
import numpy as np  # noqa: E402
from search_helpers import Library, add_track, clustered_vectors, run_cli  # noqa: E402


@pytest.fixture
def library(ctx, tmp_path) -> Library:
    lib = Library(ctx, tmp_path / "music")
    lib.add(8)  # by five artists (the helper's "Artist {i % 5}")
    lib.embed(clustered_vectors(8))
    lib.conn.commit()
    return lib


def test_a_list_shorter_than_asked_says_why_on_stderr(capsys, ctx, library):
    rc, out, err = run_cli(capsys, ctx, "similar", str(library.ids[0]), "--space", "audio",
                           "-k", "20")
    assert rc == 0 and len([l for l in out.splitlines() if l[:3].strip().isdigit()]) == 7
    assert ("note: the audio list has 7 tracks, not 20: no other track with an audio vector "
            "is left to list (copies of the query or of a song already listed, and missing files "
            "are never listed)") in err.splitlines()


def test_one_per_artist_is_named_when_it_shortened_the_list(capsys, ctx, library):
    rc, out, err = run_cli(capsys, ctx, "similar", str(library.ids[0]), "--space", "audio",
                           "-k", "20", "--variety")
    listed = [l for l in out.splitlines() if l[:3].strip().isdigit()]
    assert rc == 0 and 0 < len(listed) < 7
    assert (f"note: the audio list has {len(listed)} {'track' if len(listed) == 1 else 'tracks'}"
            ", not 20: no other track with an audio vector is left to list (copies of the "
            "query or of a song already listed, and missing files are never listed, nor a "
            "second track by one artist)"
            ) in err.splitlines()


def test_a_full_list_and_json_say_nothing_more(capsys, ctx, library):
    rc, _out, err = run_cli(capsys, ctx, "similar", str(library.ids[0]), "--space", "audio",
                            "-k", "3")
    assert rc == 0 and "not 3" not in err
    rc, out, err = run_cli(capsys, ctx, "similar", str(library.ids[0]), "--space", "audio",
                           "-k", "20", "--json")
    assert rc == 0 and len(json.loads(out)["audio"]) == 7 and "not 20" not in err


def test_the_default_length_cut_short_is_no_news(capsys, ctx, library):
    """A small library lists fewer than the default 10 on every query: no note each time."""
    rc, _out, err = run_cli(capsys, ctx, "similar", str(library.ids[0]), "--space", "audio")
    assert rc == 0 and "not 10" not in err


def test_a_graph_list_short_of_unplaced_tracks_does_not_say_there_are_no_others(ctx, library):
    """The graph list ranks only the tracks the graph model placed: "no other track to list"
    was false of a library whose newer tracks the model has not placed yet."""
    from musicsage.search.index import SpaceIndex
    from musicsage.search.similar import similar_lists

    placed = library.ids[:4]  # the other four: added since the model was trained
    graph = SpaceIndex("graph", placed, clustered_vectors(4), model_id="g",
                       directory=ctx.data_dir / "g")
    result = similar_lists(library.conn, library.ids[0], {"graph": graph, "audio": "none"},
                           k=20, space="graph")
    assert len(result.graph) == 3
    assert result.short_lists() == [
        "the graph list has 3 tracks, not 20: no other track the graph model placed is left "
        "to list (copies of the query or of a song already listed, and missing files are never "
        "listed)"]


def test_a_list_short_of_copies_of_its_own_songs_names_them(capsys, ctx, tmp_path):
    """Songs 3 to 9 each have an "(Album Version)" copy: the list shows one track of each
    song, 9 of the 16 others. "no other track with an audio vector is left to list (copies of
    the query and missing files …)" was false: 7 more have one; copies of songs listed."""
    lib = Library(ctx, tmp_path / "music")
    lib.add(10)
    lib.ids += [add_track(lib.conn, str(tmp_path / "music" / f"album{i:03d}.wav"),
                          title=f"Song {i:03d} (Album Version)", artist=f"Artist {i % 5}")
                for i in range(3, 10)]
    vectors = clustered_vectors(10)
    lib.embed(np.vstack([vectors, vectors[3:10] + 0.01]))
    lib.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "similar", str(lib.ids[0]), "--space", "audio",
                           "-k", "20")
    assert rc == 0 and len([l for l in out.splitlines() if l[:3].strip().isdigit()]) == 9
    assert ("note: the audio list has 9 tracks, not 20: no other track with an audio vector "
            "is left to list (copies of the query or of a song already listed, and missing "
            "files are never listed)") in err.splitlines()
