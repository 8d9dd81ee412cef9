"""``radio --variety`` keeps one track per artist, the seed's included: with only the seed's
artist's other tracks to play it refused, blaming "copies of it and missing files" alone —
neither of which the library held — so the user could not tell that ``--variety`` was why.
It now says how many tracks it left out, by whom, and what to run instead — and says so only
where ``--variety`` did leave some out: not where the only other tracks are copies of the
seed or missing files."""

from __future__ import annotations

import json

from search_helpers import add_track, clustered_vectors, run_cli

NOT_QUEUED = ("musicsage radio: no radio: no other track to queue after the seed (copies of it "
              "and missing files are never queued)")


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
    assert err == (f"{NOT_QUEUED}, 1 track by Artist 0 left out by one per artist: run "
                   "without --variety to queue them\n")


def test_copies_of_one_song_by_the_seeds_artist_count_once(capsys, ctx, library):
    """Without --variety the second copy would fold into the first: one track to queue."""
    seed, _other = _one_artist_library(library)
    library.ids.append(add_track(library.conn, str(library.root / "again.wav"),
                                 title="Song 005", artist="Artist 0"))  # a copy of the other
    library.embed(clustered_vectors(3, clusters=1))
    rc, _out, err = run_cli(capsys, ctx, "radio", str(seed), "--variety")
    assert rc == 1 and ", 1 track by Artist 0 left out by one per artist: " in err, err


def test_with_variety_only_copies_and_missing_files_left_names_no_artist(capsys, ctx,
                                                                          library):
    """The seed's artist was named whenever --variety was on and the seed had an artist."""
    seed, other = _one_artist_library(library)
    library.set_missing(other)
    library.ids.append(add_track(library.conn, str(library.root / "copy.wav"),
                                 title="Song 000 (2011 Remaster)", artist="Artist 0"))
    library.embed(clustered_vectors(3, clusters=1))
    rc, out, err = run_cli(capsys, ctx, "radio", str(seed), "--variety")
    assert (rc, out, err) == (1, "", NOT_QUEUED + "\n")


def test_without_variety_the_same_library_plays_the_other_track(capsys, ctx, library):
    seed, other = _one_artist_library(library)
    rc, out, err = run_cli(capsys, ctx, "radio", str(seed), "--json")
    assert rc == 0, err
    assert [t["track_id"] for t in json.loads(out)["tracks"]] == [other]
