"""A library whose stored audio vectors hold NaN or infinite values was refused by `train` with
"features contain NaN or infinite values": no track named, no count, nothing to do. The line
now counts the tracks, names the first by its title and file, and says how to get new
vectors."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "search"))
from search_helpers import AUDIO_MODEL, Library  # noqa: E402

from musicsage.errors import MusicsageError  # noqa: E402
from musicsage.graph.data import GraphData  # noqa: E402


def test_a_nan_vector_is_refused_naming_its_track(ctx, tmp_path):
    library = Library(ctx, tmp_path / "music")
    library.add(6)
    vectors = np.ones((6, 4), np.float32)
    vectors[2, 1], vectors[4, 0] = np.nan, np.inf
    library.embed(vectors)
    with pytest.raises(MusicsageError) as refused:
        GraphData.from_library(library.conn, AUDIO_MODEL)
    line = str(refused.value)
    assert "\n" not in line
    assert line.startswith(f"2 tracks have '{AUDIO_MODEL}' vectors with NaN or infinite values")
    assert "'Song 002'" in line and str(tmp_path / "music" / "artist2" / "song002.wav") in line
    assert "musicsage embed" in line
