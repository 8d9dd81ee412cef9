"""A stored audio vector whose blob is not the ``dim`` float32s its row says (a 3-byte blob, a
``dim`` of 4 beside 16 floats: a damaged database, a tool that wrote into it) is a damaged
vector: its track is left out of every list, as one holding NaN is, and ``similar``, ``radio``
and ``suggest`` still answer — they exited 70 with a traceback ("cannot reshape array"). Every
vector damaged reads as NaN rows of their declared width (it was one column)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from search_helpers import AUDIO_MODEL, add_playlist, clustered_vectors, run_cli

from musicsage.library.queries import get_embeddings
from hints_told_support import as_default


@pytest.fixture
def lib(library):
    """12 tracks with audio vectors, the last one's blob cut to 3 bytes, the one before's
    ``dim`` wrong; a playlist of 3."""
    library.add(12)
    library.embed(clustered_vectors(12, clusters=3))
    library.conn.execute("UPDATE audio_embeddings SET vector = x'010203' WHERE track_id = ?",
                         (library.ids[-1],))
    library.conn.execute("UPDATE audio_embeddings SET dim = 4 WHERE track_id = ?",
                         (library.ids[-2],))
    library.mix = add_playlist(library.conn, "/p/mix.m3u", "Mix", library.ids[:3])
    return library


def test_a_cut_short_blob_reads_as_a_damaged_row(lib):
    ids, matrix = get_embeddings(lib.conn, AUDIO_MODEL)
    assert ids.tolist() == lib.ids and matrix.shape == (12, 16)
    assert np.isfinite(matrix[:-2]).all() and not np.isfinite(matrix[-2:]).any()


@pytest.mark.parametrize("command", [["similar", "{first}"], ["radio", "{first}"],
                                     ["suggest", "Mix"]])
def test_lists_leave_the_damaged_track_out_instead_of_failing(capsys, ctx, lib, command):
    args = [a.format(first=lib.ids[0]) for a in command]
    rc, out, err = run_cli(capsys, ctx, *args, "--json")
    assert rc == 0 and "Traceback" not in err, err
    listed = _track_ids(json.loads(out))
    assert listed and not listed & set(lib.ids[-2:]), listed


def _track_ids(value) -> set[int]:
    """Every ``track_id`` anywhere in a command's JSON output."""
    if isinstance(value, dict):
        found = {value["track_id"]} if isinstance(value.get("track_id"), int) else set()
        return found.union(*(_track_ids(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_track_ids(v) for v in value))
    return set()


def test_every_vector_damaged_reads_at_the_declared_width(lib):
    """`export` wrote a library whose vectors were all damaged one column wide."""
    lib.conn.execute("UPDATE audio_embeddings SET vector = x'01020304', dim = 16")
    ids, matrix = get_embeddings(lib.conn, AUDIO_MODEL)
    assert matrix.shape == (12, 16) and not np.isfinite(matrix).any()


def test_a_corrupted_huge_declared_width_is_not_allocated(lib):
    """A damaged ``dim`` of 2**40 on every row was taken as the width: a MemoryError (at
    once: a smaller one, 2e9, had the old code allocate ~16 GB first)."""
    lib.conn.execute("UPDATE audio_embeddings SET vector = x'01020304', dim = ?", (2**40,))
    ids, matrix = get_embeddings(lib.conn, AUDIO_MODEL)
    assert matrix.shape == (12, 1) and not np.isfinite(matrix).any()


def test_the_damaged_track_as_query_is_told_in_one_line(capsys, ctx, lib):
    rc, out, err = run_cli(capsys, ctx, "similar", str(lib.ids[-1]), "--space", "audio")
    assert (rc, out) == (1, "")
    assert as_default(err, ctx.data_dir) == ("musicsage similar: no similar tracks: audio: the query track has no audio "
                   "embedding: its stored spectral-test vector is damaged (NaN or infinite "
                   "values, or the wrong length); an embed analyses it again (Compute "
                   "embeddings in the window, or musicsage embed)\n")
