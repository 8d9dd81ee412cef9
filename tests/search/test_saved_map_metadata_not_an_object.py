"""A saved map whose metadata is valid JSON but not an object (a list, a number: a file
written by something else, or edited) crashed the map with an AttributeError. It is a foreign
or damaged file, not a map of other settings: laid out again, said as unreadable (a warning:
the map the user knew is lost), never as "the map's settings changed"."""

from __future__ import annotations

import json

import numpy as np
import pytest
from search_helpers import clustered_vectors

from musicsage.search.index import SpaceIndex
from musicsage.search.projection import (MAP_FILE, UNREADABLE, MapParams, compute_map,
                                         saved_with_other_settings, unreadable_map)


@pytest.mark.parametrize("meta", [[1, 2], 7, "text", None])
def test_a_saved_map_with_metadata_not_an_object_is_laid_out_again_as_unreadable(tmp_path, meta):
    space = SpaceIndex("audio", np.arange(1, 21), clustered_vectors(20, clusters=4),
                       model_id="m", directory=tmp_path)
    first = compute_map(space, params=MapParams())
    with np.load(tmp_path / MAP_FILE, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    arrays["meta"] = np.array(json.dumps(meta))
    np.savez(tmp_path / MAP_FILE, **arrays)

    assert not saved_with_other_settings([tmp_path], MapParams())
    assert unreadable_map([tmp_path])
    again = compute_map(space, params=MapParams())
    assert not again.cached and (again.note, again.note_level) == (UNREADABLE, "warning")
    assert again.xy.shape == first.xy.shape
