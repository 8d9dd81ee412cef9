"""A stored vector whose row declares a fractional dimension (``dim`` 4.5, a REAL in a
hand-edited or damaged row) with the 18 bytes that makes: ``stats`` counted it damaged, but
the reader took it as whole and raised ValueError reshaping it, so every search, map and
training of the library failed on it. Both now ask one test (``whole_vector``): the reader
reads it as a NaN row, as it does any vector ``stats`` calls damaged."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "search"))
from search_helpers import AUDIO_MODEL, Library  # noqa: E402

from musicsage.library.damaged_vectors import damaged_counts  # noqa: E402
from musicsage.library.queries import get_embeddings  # noqa: E402


def test_a_fractional_dimension_is_damaged_for_stats_and_a_nan_row_for_the_reader(ctx, tmp_path):
    library = Library(ctx, tmp_path / "music")
    library.add(3)
    library.embed(np.arange(12, dtype=np.float32).reshape(3, 4))
    library.conn.execute("UPDATE audio_embeddings SET dim = 4.5, vector = ? WHERE track_id = ?",
                         (bytes(18), library.ids[1]))
    assert damaged_counts(library.conn) == {AUDIO_MODEL: 1}
    ids, matrix = get_embeddings(library.conn, AUDIO_MODEL)
    assert ids.tolist() == list(library.ids) and matrix.shape == (3, 4)
    assert np.isnan(matrix[1]).all() and matrix[[0, 2]].tolist() == [[0, 1, 2, 3], [8, 9, 10, 11]]
