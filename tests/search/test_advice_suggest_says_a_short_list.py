"""`suggest PLAYLIST -k N` that lists fewer than N tracks has a note saying why, in the words
`similar` says it (`SimilarResult.short_lists`): `suggest Mix -k 10` listed 7 tracks without
a word, and the user could not tell a library run out from a cut."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import numpy as np  # noqa: E402
from search_helpers import (Library, add_playlist, add_track, clustered_vectors,  # noqa: E402
                            run_cli)


@pytest.fixture
def playlist(ctx, tmp_path) -> int:
    lib = Library(ctx, tmp_path / "music")
    lib.add(10)  # by five artists (the helper's "Artist {i % 5}")
    lib.embed(clustered_vectors(10))
    pid = add_playlist(lib.conn, str(tmp_path / "mix.m3u"), "Mix", lib.ids[:3])
    lib.conn.commit()
    return pid


def _suggest(ctx, playlist: int, k: int, variety: bool = False):
    from musicsage.usecases.suggest import suggest_tracks

    return suggest_tracks(ctx, playlist, k=k, space="audio", variety=variety)


def test_a_list_shorter_than_asked_says_why(ctx, playlist):
    from musicsage.search.suggest import short_lists

    result = _suggest(ctx, playlist, 10)
    assert len(result.audio) == 7  # 10 tracks, 3 of them the playlist's
    assert short_lists(result) == [
        "the audio list has 7 tracks, not 10: no other track with an audio vector is left to "
        "list (the playlist's tracks, copies of them or of a song already listed, and missing "
        "files are never listed)"]


def test_one_per_artist_is_named_when_it_shortened_the_list(ctx, playlist):
    from musicsage.search.suggest import short_lists

    result = _suggest(ctx, playlist, 10, variety=True)
    n = len(result.audio)
    assert 0 < n < 7
    assert short_lists(result) == [
        f"the audio list has {n} {'track' if n == 1 else 'tracks'}, not 10: no other track "
        "with an audio vector is left to list (the playlist's tracks, copies of them or of a "
        "song already listed, and missing files are never listed, nor a second track by one "
        "artist)"]


def test_a_full_list_says_nothing(ctx, playlist):
    from musicsage.search.suggest import short_lists

    assert short_lists(_suggest(ctx, playlist, 7)) == []
    assert short_lists(_suggest(ctx, playlist, 3)) == []


def test_the_command_line_says_a_short_list_only_where_k_was_typed(capsys, ctx, playlist):
    """The note reaches stderr for ``-k 10``; a list short of the default -k, and --json,
    stay quiet, as ``similar`` does."""
    note = ("note: the audio list has 7 tracks, not 10: no other track with an audio vector is "
            "left to list (the playlist's tracks, copies of them or of a song already listed, and "
            "missing files are never listed)")
    rc, _out, err = run_cli(capsys, ctx, "suggest", "Mix", "--space", "audio", "-k", "10")
    assert rc == 0 and note in err.splitlines()
    rc, _out, err = run_cli(capsys, ctx, "suggest", "Mix", "--space", "audio")
    assert rc == 0 and "not 10" not in err
    rc, _out, err = run_cli(capsys, ctx, "suggest", "Mix", "--space", "audio", "-k", "10", "--json")
    assert rc == 0 and "not 10" not in err


def test_a_list_short_of_copies_of_its_own_songs_names_them(capsys, ctx, tmp_path):
    """Songs 3 to 9 each have an "(Album Version)" copy: a list shows one track of each song,
    so 7 of the 14 tracks outside the playlist. "no other track with an audio vector is left
    to list (the playlist's tracks, copies of them and missing files …)" was false: 7 more
    have one, neither members, copies of them nor missing; they are copies of songs listed."""
    lib = Library(ctx, tmp_path / "music")
    lib.add(10)
    lib.ids += [add_track(lib.conn, str(tmp_path / "music" / f"album{i:03d}.wav"),
                          title=f"Song {i:03d} (Album Version)", artist=f"Artist {i % 5}")
                for i in range(3, 10)]
    vectors = clustered_vectors(10)
    lib.embed(np.vstack([vectors, vectors[3:10] + 0.01]))
    add_playlist(lib.conn, str(tmp_path / "mix.m3u"), "Mix", lib.ids[:3])
    lib.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "suggest", "Mix", "--space", "audio", "-k", "10")
    assert rc == 0 and len([l for l in out.splitlines() if l[:3].strip().isdigit()]) == 7
    assert ("note: the audio list has 7 tracks, not 10: no other track with an audio vector is "
            "left to list (the playlist's tracks, copies of them or of a song already listed, "
            "and missing files are never listed)") in err.splitlines()
