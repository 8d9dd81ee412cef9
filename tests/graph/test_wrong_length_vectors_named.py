"""A stored audio vector that is not the ``dim`` floats its row declares (cut short or
overwritten: a 3-byte blob) is read as a row of NaN, and ``train`` called it a vector "with
NaN or infinite values" — the words for a model that overflowed on a track's audio, which
sent the user looking for a bad file instead of a damaged vector. Training now says the
vector is the wrong length, in its refusal, its leave-out note and its every-track refusal;
a vector that really holds NaN is still named as before."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "search"))
from search_helpers import AUDIO_MODEL, Library  # noqa: E402

from musicsage.errors import MusicsageError  # noqa: E402
from musicsage.graph.data import GraphData  # noqa: E402


def _cut(library: Library, track_id: int) -> None:
    """Overwrite the track's stored vector with three bytes, as a damaged database holds."""
    library.conn.execute("UPDATE audio_embeddings SET vector = ? WHERE track_id = ?",
                         (b"\x01\x02\x03", track_id))


def _library(ctx, tmp_path) -> Library:
    library = Library(ctx, tmp_path / "music")
    library.add(6)
    library.embed(np.ones((6, 4), np.float32))
    return library


def test_a_cut_vector_is_refused_as_the_wrong_length(ctx, tmp_path):
    library = _library(ctx, tmp_path)
    _cut(library, library.ids[2])
    with pytest.raises(MusicsageError) as refused:
        GraphData.from_library(library.conn, AUDIO_MODEL)
    line = str(refused.value)
    assert line.startswith(f"1 track has '{AUDIO_MODEL}' vectors of the wrong length")
    assert "NaN" not in line and "'Song 002'" in line and "musicsage embed" in line


def test_a_cut_vector_beside_a_nan_one_names_both_kinds(ctx, tmp_path):
    library = _library(ctx, tmp_path)
    vectors = np.ones((6, 4), np.float32)
    vectors[4, 0] = np.nan
    library.embed(vectors)
    _cut(library, library.ids[2])
    with pytest.raises(MusicsageError) as refused:
        GraphData.from_library(library.conn, AUDIO_MODEL)
    assert str(refused.value).startswith(
        f"2 tracks have '{AUDIO_MODEL}' vectors with NaN or infinite values or of the wrong "
        "length")


def test_cut_vectors_of_missing_tracks_are_left_out_as_the_wrong_length(ctx, tmp_path):
    library = _library(ctx, tmp_path)
    _cut(library, library.ids[1])
    library.set_missing(library.ids[1])
    data = GraphData.from_library(library.conn, AUDIO_MODEL)
    assert data.n_tracks == 5
    assert data.read_notes == (
        f"left out 1 track whose '{AUDIO_MODEL}' vector is the wrong length (damaged) and "
        "whose audio cannot be analysed again (1 file missing)",)


def test_every_vector_cut_and_beyond_reanalysis_is_refused_as_the_wrong_length(ctx, tmp_path):
    library = _library(ctx, tmp_path)
    for track_id in library.ids:
        _cut(library, track_id)
        library.set_missing(track_id)
    with pytest.raises(MusicsageError,
                       match=f"^every track's '{AUDIO_MODEL}' vector is the wrong length "
                             r"\(damaged\), and none can be analysed again \(6 files missing\)"):
        GraphData.from_library(library.conn, AUDIO_MODEL)


def test_train_and_stats_judge_a_vector_of_an_unreadable_dim_alike(ctx, tmp_path):
    """A row whose ``dim`` is no number ('4x', a damaged page) holds a 16-byte vector: the
    reader makes it a NaN row and ``stats`` counts it damaged, not ``dim`` floats long. Training
    judged its length by SQLite's arithmetic ('4x' * 4 = 16) and called it one "with NaN or
    infinite values"; both now read it with one check, the wrong length."""
    from musicsage.library.damaged_vectors import damaged_counts, wrong_length_tracks

    library = _library(ctx, tmp_path)
    library.conn.execute("UPDATE audio_embeddings SET dim = '4x' WHERE track_id = ?",
                         (library.ids[3],))
    assert damaged_counts(library.conn) == {AUDIO_MODEL: 1}
    assert wrong_length_tracks(library.conn, AUDIO_MODEL, library.ids) == {library.ids[3]}
    with pytest.raises(MusicsageError, match=f"^1 track has '{AUDIO_MODEL}' vectors of the "
                                             r"wrong length \(damaged\) \('Song 003'"):
        GraphData.from_library(library.conn, AUDIO_MODEL)
