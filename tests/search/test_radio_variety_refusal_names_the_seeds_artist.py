"""``radio --variety`` keeps one track per artist, the seed's included: with only the seed's
artist's other tracks to play it refused, blaming "copies of it and missing files" alone —
neither of which the library held — so the user could not tell that ``--variety`` was why."""

from __future__ import annotations

import json

from search_helpers import clustered_vectors, run_cli


def _one_artist_library(library) -> list[int]:
    """Two tracks by one artist ("Artist 0"), with audio vectors: no copies, none missing."""
    ids = library.add(1, start=0) + library.add(1, start=5)  # artist = i % 5: both Artist 0
    library.embed(clustered_vectors(2, clusters=1))
    return ids


def test_a_radio_with_variety_and_only_the_seeds_artist_left_says_variety_is_why(
        capsys, ctx, library):
    seed, _other = _one_artist_library(library)
    rc, out, err = run_cli(capsys, ctx, "radio", str(seed), "--variety")
    assert (rc, out) == (1, "")
    assert err == ("musicsage radio: no radio: no other track to queue after the seed (copies "
                   "of it and missing files are never queued, nor, with --variety, tracks by "
                   "the seed's artist)\n")


def test_without_variety_the_same_library_plays_the_other_track(capsys, ctx, library):
    seed, other = _one_artist_library(library)
    rc, out, err = run_cli(capsys, ctx, "radio", str(seed), "--json")
    assert rc == 0, err
    assert [t["track_id"] for t in json.loads(out)["tracks"]] == [other]
