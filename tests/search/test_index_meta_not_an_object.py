"""A neighbour index whose meta file is valid JSON but not an object (``[]``, ``null``, a
number) is rebuilt like any other damaged cache file: it raised AttributeError, so every
later ``similar``, ``radio`` and click in the window failed with "unexpected error … this is
a bug" until the user found and deleted the cache."""

from __future__ import annotations

import json

import numpy as np
import pytest

from musicsage.search.index import META_FILE, IndexParams, SpaceIndex

HNSW = IndexParams(exact_below=0)  # force the hnsw engine (and its files) on small data


def _space(tmp_path, vectors) -> SpaceIndex:
    return SpaceIndex("audio", np.arange(100, 100 + len(vectors)), vectors, model_id="m1",
                      directory=tmp_path / "audio", params=HNSW)


@pytest.mark.parametrize("meta", ["[]", "null", "7", '"index"'])
def test_meta_file_that_is_not_an_object_is_rebuilt(tmp_path, meta):
    vectors = np.random.default_rng(3).normal(size=(300, 8)).astype(np.float32)
    expected = _space(tmp_path, vectors).neighbours(100, 5)
    meta_file = tmp_path / "audio" / META_FILE
    fingerprint = json.loads(meta_file.read_text())["fingerprint"]
    meta_file.write_text(meta)

    again = _space(tmp_path, vectors)
    assert again.neighbours(100, 5) == expected
    assert again.status == "rebuilt"
    assert json.loads(meta_file.read_text())["fingerprint"] == fingerprint  # good again
    third = _space(tmp_path, vectors)
    third.neighbours(100, 5)
    assert third.status == "loaded"


@pytest.mark.parametrize("entry", [[], "index.hnsw", None, 7, {}, {"size": "x"},
                                   {"name": "index.hnsw", "size": None, "mac": []}])
def test_meta_with_the_right_fields_but_a_damaged_file_entry_is_rebuilt(tmp_path, entry):
    """Every field the check compares first is right; only the entry naming the index file
    (its size and MAC) is not a usable object: a KeyError/TypeError there is a rebuild too."""
    vectors = np.random.default_rng(4).normal(size=(300, 8)).astype(np.float32)
    expected = _space(tmp_path, vectors).neighbours(100, 5)
    meta_file = tmp_path / "audio" / META_FILE
    meta = json.loads(meta_file.read_text())
    meta["file"] = entry
    meta_file.write_text(json.dumps(meta))

    again = _space(tmp_path, vectors)
    assert again.neighbours(100, 5) == expected
    assert again.status == "rebuilt"
    assert isinstance(json.loads(meta_file.read_text())["file"], dict)  # good again
    third = _space(tmp_path, vectors)
    third.neighbours(100, 5)
    assert third.status == "loaded"
