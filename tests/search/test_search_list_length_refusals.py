"""``-k 0`` (or negative) and ``radio --length 0`` are refused in one line that names the
option as typed and the value, before the query is looked up: it said "k must be at least 1"
(no option of that name) and only after the query, so that an ambiguous query listed its
candidates and failed on them, and the -k typo was never said."""

from __future__ import annotations

import pytest
from search_helpers import add_playlist, clustered_vectors, run_cli


@pytest.fixture
def songs(library):
    library.add(12)  # "Song 000" … "Song 011": "Song" names all of them
    library.embed(clustered_vectors(12, clusters=3))
    library.conn.commit()
    return library


@pytest.mark.parametrize("k", ["0", "-3"])
@pytest.mark.parametrize("query", ["1", "Song"])
def test_similar_refuses_k_below_one_as_typed(capsys, ctx, songs, k, query):
    rc, out, err = run_cli(capsys, ctx, "similar", query, "-k", k)
    assert (rc, out) == (1, "")
    assert err.strip() == f"musicsage similar: -k must be at least 1 (tracks to list), got {k}"


def test_suggest_refuses_k_below_one_as_typed(capsys, ctx, songs):
    pid = add_playlist(songs.conn, "/x/mix.m3u", "mix", songs.ids[:3])
    songs.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "suggest", str(pid), "-k", "0")
    assert (rc, out) == (1, "")
    assert err.strip() == "musicsage suggest: -k must be at least 1 (tracks to list), got 0"


@pytest.mark.parametrize("query", ["1", "Song"])
def test_radio_refuses_length_below_one_as_typed(capsys, ctx, songs, query):
    rc, out, err = run_cli(capsys, ctx, "radio", query, "--length", "0")
    assert (rc, out) == (1, "")
    assert err.strip() == ("musicsage radio: --length must be at least 1 (tracks to queue), "
                           "got 0")
