"""A features.npy that cannot be the tracks' features is refused from its header, in the
app's words, before its data is read.

A features.npy of the wrong shape (a 1 GB file beside a tracks.csv of three rows) was read
whole — twice its size in memory — before its shape was refused; and one of rows of
different lengths (saved by numpy as an array of Python objects) was refused in numpy's
words about memory maps: "not a readable array (Array can't be memory-mapped: Python objects
in dtype.)", which says neither what is wrong with the file nor what to do."""

from __future__ import annotations

import sqlite3
import tracemalloc

import numpy as np
import pytest

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.library.dataset_features import load_features
from musicsage.library.dataset_read import read_dataset

TRACKS = "track_id,title\nt1,A\nt2,B\nt3,C\n"
MEMBERS = "playlist_id,track_id\np1,t1\np1,t2\np2,t3\n"


def dataset(tmp_path, features: np.ndarray, *, allow_pickle: bool = False):
    """A dataset dir of three tracks in two playlists, holding ``features``."""
    d = tmp_path / "ds"
    d.mkdir()
    (d / "tracks.csv").write_text(TRACKS)
    (d / "memberships.csv").write_text(MEMBERS)
    np.save(d / "features.npy", features, allow_pickle=allow_pickle)
    return d


def test_a_features_npy_of_the_wrong_shape_is_refused_before_its_data_is_read(tmp_path):
    rows, width = 32_768, 4  # 1 MiB of float64 for 3 tracks: read whole, it shows
    d = dataset(tmp_path, np.ones((rows, width)))
    tracemalloc.start()
    try:
        with pytest.raises(MusicsageError) as exc:
            read_dataset(d)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(exc.value) == ("features.npy has shape (32768, 4), which does not match 3 "
                              "tracks in tracks.csv (row i holds the features of the track "
                              "on row i)")
    assert peak < 256 * 1024, f"{peak:,} bytes allocated to refuse a file's shape"


def test_rows_of_different_lengths_are_refused_in_the_apps_words(tmp_path, capsys):
    ragged = np.empty(3, dtype=object)
    ragged[:] = [[1.0, 2.0], [1.0], [0.0, 0.0, 0.0]]
    d = dataset(tmp_path, ragged, allow_pickle=True)
    words = ("features.npy: holds Python objects, not numbers (rows of different lengths, or "
             "cells that are not numbers); save a 2-D array of numbers, every row as long as "
             "the others")
    with pytest.raises(MusicsageError) as exc:
        load_features(d / "features.npy")
    assert str(exc.value) == words
    lib = tmp_path / "lib"
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [f"musicsage import: {words}"]
    assert not (lib / "library.sqlite3").exists()  # refused before a library was made


def test_a_features_npy_of_the_right_shape_still_imports(tmp_path, capsys):
    d = dataset(tmp_path, np.arange(12, dtype=np.float64).reshape(3, 4))
    lib = tmp_path / "lib"
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0
    with sqlite3.connect(lib / "library.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM audio_embeddings").fetchone()[0] == 3
    assert read_dataset(d).features.dtype == np.float32
