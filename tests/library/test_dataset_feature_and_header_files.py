"""Dataset dir files the import read wrongly: a features.json with a UTF-8 byte-order mark
was refused (the CSVs accept one), a damaged .npy header was refused in the words of Python's
syntax tree, and a header naming a column twice let the last one win and blamed the rows."""

from __future__ import annotations

import json

import numpy as np
import pytest

from musicsage.errors import MusicsageError
from musicsage.library.dataset_read import read_dataset


def dataset(tmp_path, tracks: str = "track_id,title\na,A\nb,B\n"):
    d = tmp_path / "d"
    d.mkdir()
    (d / "tracks.csv").write_text(tracks)
    return d


def test_features_json_with_a_bom_is_read(tmp_path):
    d = dataset(tmp_path)
    np.save(d / "features.npy", np.ones((2, 3), dtype=np.float32))
    (d / "features.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(
        {"model_id": "openl3-x", "model_version": "v1"}).encode())
    read = read_dataset(d)
    assert (read.model_id, read.version) == ("openl3-x", "v1")


def test_a_damaged_npy_header_is_named_as_such(tmp_path):
    d = dataset(tmp_path)
    header = b"{garbage      }\n"
    (d / "features.npy").write_bytes(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little")
                                     + header + bytes(24))
    with pytest.raises(MusicsageError) as exc:
        read_dataset(d)
    assert str(exc.value) == "features.npy: damaged .npy header: save it again with numpy.save"


def test_a_column_named_twice_is_refused_naming_it(tmp_path):
    d = dataset(tmp_path, "track_id,title,artist,track_id\nt0,S,A,Album 0\nt1,S,A,Album 0\n")
    with pytest.raises(MusicsageError) as exc:
        read_dataset(d)
    assert str(exc.value) == (f"{d / 'tracks.csv'}: column 'track_id' appears twice in the "
                              "header; rename or remove one of them")


def test_trailing_empty_header_cells_are_no_repeated_column(tmp_path):
    read = read_dataset(dataset(tmp_path, "track_id,title,,\na,A,,\n"))
    assert read.keys == ["a"]
