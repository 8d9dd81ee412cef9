"""A library of two songs: their audio vectors, z-scored over two rows, are each other's
negative, so `similar` listed the other song at -1.000 "not close in sound" and the radio
queued it at -1.000, whatever the two sounded like."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent / "search"))
from search_helpers import Library, clustered_vectors, run_cli  # noqa: E402


@pytest.fixture
def library(ctx, tmp_path) -> Library:
    return Library(ctx, tmp_path / "music")


def _two_alike_songs(library: Library) -> None:
    """Two tracks whose raw audio features are nearly the same song."""
    library.add(2)
    base = np.linspace(1.0, 2.0, 16, dtype=np.float32)
    library.embed(np.stack([base, base * 1.01 + 0.001]))
    library.conn.commit()


def test_similar_in_a_library_of_two_songs_says_there_is_too_little_to_compare(capsys, ctx,
                                                                                library):
    _two_alike_songs(library)
    rc, out, err = run_cli(capsys, ctx, "similar", str(library.ids[0]), "--space", "audio")
    assert (rc, out) == (1, "")
    assert "-1.0" not in err
    assert err.startswith("musicsage similar: no similar tracks: audio: nothing to compare by "
                          "sound yet: fewer than 3 different tracks have an audio vector")


def test_a_third_song_that_is_a_copy_of_one_of_two_changes_nothing(ctx, library):
    """Identical vectors count once: z-scored, two songs and a copy are still ±1 apart."""
    from musicsage.search.index import SpaceIndex
    from musicsage.search.similar import TOO_FEW_NOTE, similar_lists

    library.add(3)
    a, b = np.linspace(1.0, 2.0, 16), np.linspace(2.0, 1.0, 16)
    space = SpaceIndex("audio", library.ids, np.stack([a, b, b]).astype(np.float32),
                       model_id="a", directory=ctx.data_dir / "a")
    result = similar_lists(library.conn, library.ids[0], {"graph": "none", "audio": space},
                           k=5, space="audio")
    assert result.audio == [] and result.notes["audio"] == TOO_FEW_NOTE


def test_three_different_songs_are_listed_with_their_scores(ctx, library):
    from musicsage.search.index import SpaceIndex
    from musicsage.search.similar import similar_lists

    library.add(3)
    space = SpaceIndex("audio", library.ids, clustered_vectors(3), model_id="a",
                       directory=ctx.data_dir / "a")
    result = similar_lists(library.conn, library.ids[0], {"graph": "none", "audio": space},
                           k=5, space="audio")
    assert len(result.audio) == 2 and "audio" not in result.notes
    assert all(isinstance(r["score"], float) for r in result.audio)


def test_the_radio_of_two_songs_queues_the_other_without_a_false_score(capsys, ctx, library):
    _two_alike_songs(library)
    rc, out, err = run_cli(capsys, ctx, "radio", str(library.ids[0]), "--json")
    assert rc == 0
    tracks = json.loads(out)["tracks"]
    assert [(t["track_id"], t["score"]) for t in tracks] == [(library.ids[1], None)]
    rc, out, err = run_cli(capsys, ctx, "radio", str(library.ids[0]))
    assert rc == 0 and "-1.000" not in out and f"(#{library.ids[1]})" in out


def test_many_copies_of_two_songs_are_still_two_and_a_third_song_anywhere_counts(ctx):
    from musicsage.search.index import SpaceIndex
    from musicsage.search.scoring import too_few_to_score

    matrix = np.zeros((300, 8), np.float32)
    matrix[::2] = 1.0  # two songs, 150 copies each

    def space(m, name="audio"):
        return SpaceIndex(name, np.arange(1, len(m) + 1), m, model_id="a",
                          directory=ctx.data_dir / "a")

    assert too_few_to_score(space(matrix))
    third = matrix.copy()
    third[-1] = 2.0
    assert not too_few_to_score(space(third))
    assert not too_few_to_score(space(matrix, "graph"))  # graph vectors are not z-scored
    assert not too_few_to_score(space(matrix[:1]))  # one track: nothing to score at all
